"""Subgenre, scene and regional names per genre, so a named style is read as its genre
(and family) rather than left to loose clues: 'g-funk' is hip-hop, 'bolero' latin,
'requiem' classical.

Each genre id (installed or planned, see genre_names) lists the names musicians and
record shops file under it; a style between two genres goes where its rhythm and
instruments are closest. Classical forms (sonata, fugue, requiem, ...) go to the
classical genre that plays them most. `WEAK_NAMES` are names that are also ordinary
words or loose usage: they lean towards their genre instead of deciding it.
"""

from __future__ import annotations

__all__ = ["SUBGENRES", "WEAK_NAMES"]

SUBGENRES: dict[str, str] = {
    "rock": "krautrock, kraut rock, prog rock, progressive rock, art rock, space rock, "
            "noise rock, heartland rock, roots rock, yacht rock, acid rock, jam band, "
            "jam rock, surf music, post grunge, dad rock, pub rock, merseybeat, "
            "british invasion, freakbeat, mod rock, rap rock, rock opera, desert rock, glam, "
            "latin rock, christian rock, j rock, jrock, visual kei, gothic rock, goth rock, "
            "swamp rock, power trio, instrumental rock, guitar band, "
            "psych rock, neo psychedelia, anatolian rock, rock en espanol",
    "hard-rock": "hair band, sleaze rock, boogie rock, aor, album oriented rock, heavy psych, "
                 "70s hard rock, glam rock anthem, riff rock, southern hard rock, "
                 "hard blues rock, proto metal",
    "punk": "oi, street punk, anarcho punk, crust punk, crust, d beat, horror punk, "
            "celtic punk, folk punk, proto punk, protopunk, post hardcore, screamo, "
            "melodic hardcore, straight edge, riot grrrl, queercore, deathrock, psychobilly, "
            "cowpunk, gypsy punk, egg punk, emo revival, midwest emo, easycore, "
            "new york hardcore, powerviolence, garage punk, surf punk, punk n roll, "
            "hardcore punk band, skate rock, melodic punk, uk82, youth crew",
    "indie-rock": "slowcore, sadcore, bedroom pop, bedroom rock, noise pop, twee, twee pop, "
                  "c86, chamber pop, baroque pop, indietronica, nu gaze, post punk revival, "
                  "garage revival, math pop, slacker rock, new rave, madchester, baggy, "
                  "dance punk, no wave, psych pop, lo fi indie, indie folk rock, "
                  "alternative indie, dream rock, art punk, indie surf, emo indie",
    "metal": "melodic death metal, melodeath, deathcore, grindcore, goregrind, mathcore, "
             "post metal, sludge metal, stoner metal, drone metal, funeral doom, "
             "groove metal, alternative metal, alt metal, rap metal, funk metal, glam metal, "
             "hair metal, nwobhm, new wave of british heavy metal, crossover thrash, "
             "technical death metal, tech death, brutal death metal, war metal, pagan metal, "
             "celtic metal, symphonic black metal, atmospheric black metal, blackgaze, "
             "depressive black metal, avant garde metal, neoclassical metal, shred, "
             "shred metal, kawaii metal, trap metal, neue deutsche harte, ndh, "
             "nu metalcore, post metalcore, melodic metalcore, doom, stoner doom, "
             "epic doom, heavy psych metal, cyber metal, industrial rock",
    "pop": "art pop, sunshine pop, hyperpop, bubblegum, city pop, c pop, cpop, mandopop, "
           "cantopop, canto pop, latin pop, pop latino, schlager, boy band, girl group, "
           "tropical pop, doo wop pop, sophisti pop, swedish pop, scandipop, alt pop, "
           "dark pop, t pop, opm, pinoy pop, brill building, wall of sound, 60s pop, 90s pop, "
           "2000s pop, pop rap, dance pop anthem, electro pop anthem, eurovision, "
           "chamber pop ballad, idol pop, j idol, kawaii pop, pop anthem",
    "pop-ballad": "adult contemporary, love song, soft pop, easy listening, schmaltz, "
                  "slow dance song, wedding ballad, torch ballad, ballad song",
    "synth-pop": "futurepop, electroclash, minimal synth, minimal wave, hi nrg, hi energy, "
                 "eurobeat, freestyle, latin freestyle, cold wave, ethereal wave, "
                 "techno pop, technopop, new romantic, electro synth pop, synth rock, "
                 "dark synth pop, 80s new wave",
    "disco": "eurodisco, euro disco, post disco, space disco, cosmic disco, "
             "boogie disco, disco soul, philly disco, disco pop, hi nrg disco, "
             "roller disco, disco revival, studio 54",
    "folk": "freak folk, psych folk, psychedelic folk, anti folk, antifolk, chamber folk, "
            "neofolk, contemporary folk, protest song, protest folk, "
            "british folk, english folk, american folk, folk revival, skiffle, dark folk, "
            "nordic folk, scandinavian folk, slavic folk, folk ballad, murder ballad, "
            "work song, work songs, sea shanties, shanties, troubadour, chanson, fado, "
            "polka, yodel, yodeling, alpine folk, folk duo, fingerstyle folk, "
            "acoustic singer songwriter, coffeehouse folk, folk pop, stomp and holler",
    "country": "bro country, red dirt, texas country, bakersfield sound, bakersfield, "
               "nashville sound, countrypolitan, neotraditional country, "
               "truck driving country, cowboy music, country gospel, country soul, "
               "country folk, cajun, zydeco, western swing, country boogie, "
               "countrified, country ballad, honky tonk country, trucker song, "
               "line dance, line dancing, square dance, barn dance, hoedown",
    "celtic": "celtic rock, scottish folk, highland, breton, welsh folk, cape breton, "
              "sean nos, hornpipe, strathspey, slip jig, pipe band, pipes and drums, "
              "celtic fusion, celtic new age, irish pub song, irish drinking song, "
              "celtic harp music, gaelic song, manx folk, galician folk, ceilidh, "
              "trad session",
    "bluegrass": "progressive bluegrass, jug band, mountain music, clawhammer, "
                 "bluegrass gospel, high lonesome, jamgrass, dawg music, old time fiddle, "
                 "fiddle tune, fiddle tunes, string band music, hillbilly music",
    "blues": "country blues, piedmont blues, texas blues, memphis blues, st louis blues, "
             "west coast blues, swamp blues, louisiana blues, hill country blues, "
             "jump blues, boogie woogie, barrelhouse, juke joint blues, harmonica blues, "
             "acoustic blues, slide blues, british blues, blues revival, soul blues, "
             "gospel blues, urban blues, modern blues, field holler, field hollers, "
             "talking blues, piano blues, blues ballad, blues standard, blues jam, "
             "twelve bar, 12 bar, prewar blues, pre war blues",
    "soul": "deep soul, blue eyed soul, philly soul, philadelphia soul, chicago soul, "
            "memphis soul, psychedelic soul, pop soul, retro soul, modern soul, doo wop, "
            "doowop, smooth soul, brit soul, uk soul, sweet soul, chicano soul, "
            "soul revue, soul ballad, stax soul, sixties soul",
    "r-and-b": "alternative r and b, alt r and b, pbr and b, trap soul, neo r and b, "
               "hip hop soul, r and b ballad, urban contemporary, slow jams, "
               "90s r and b, 2000s r and b, future r and b, bedroom r and b",
    "gospel": "southern gospel, contemporary gospel, urban gospel, gospel choir, "
              "christian contemporary, contemporary christian, ccm, praise music, "
              "sacred harp, shape note, hymnody, worship music, church choir, "
              "gospel quartet, spirituals, revival meeting",
    "funk": "go go, gogo, boogie funk, funk soul, deep funk, jazz funk, minneapolis sound, "
            "synth funk, funk pop, psychedelic funk, new orleans funk, second line, "
            "brass band funk, funk jam, funk band, p funk jam, funkadelic",
    "boom-bap": "conscious rap, political hip hop, abstract hip hop, alternative hip hop, "
                "turntablism, hardcore hip hop, gangsta rap, g funk, gfunk, "
                "west coast hip hop, west coast rap, east coast rap, horrorcore, nerdcore, "
                "backpack rap, instrumental hip hop, beat tape, uk hip hop, uk rap, "
                "jazz rap, golden era hip hop, sample based hip hop, dusty hip hop",
    "trap": "grime, miami bass, crunk, hyphy, phonk, drift phonk, memphis rap, cloud rap, "
            "emo rap, soundcloud rap, uk drill, chicago drill, brooklyn drill, ny drill, "
            "plugg, pluggnb, rage rap, chopped and screwed, screwed and chopped, "
            "dirty south, southern hip hop, southern rap, new orleans bounce, "
            "atlanta trap, trap rap, drill beat, gangsta trap, melodic rap, "
            "pop rap beat, club rap, snap music",
    "lo-fi-hip-hop": "lo fi jazz hop, chill hop, beats to study to, lofi chill, "
                     "lo fi chill beats, chill beats, bedroom beats, lofi jazz, lo fi jazz, "
                     "lofi piano beats, sleepy beats, jazzy hip hop",
    "orchestral": "late romantic, impressionist, impressionism, modernist, "
                  "minimalism, minimalist, minimal music, post minimalism, serialism, "
                  "twelve tone, atonal, contemporary classical, operetta, "
                  "classical crossover, symphonic poem, tone poem, concert band, "
                  "wind ensemble, marching band, military march, requiem, oratorio, "
                  "overture, serenade, divertimento, rhapsody, sinfonia, opera aria, "
                  "aria, lieder, lied, art song, mass, requiem mass, string quartet, "
                  "string quintet, piano trio, piano quintet, wind quintet, chamber piece, "
                  "chamber orchestra, philharmonic, concert overture, symphony orchestra, "
                  "classical era, classical period, viennese classical, ballet, "
                  "ballet music, ballet suite, suite, adagio, adagietto, andante, andantino, "
                  "allegro, allegretto, largo, larghetto, lento, presto, vivace, moderato",
    "baroque": "medieval, gregorian chant, plainchant, plainsong, madrigal, motet, "
               "polyphony, baroque concerto, concerto grosso, toccata, partita, "
               "passacaglia, chaconne, gigue, sarabande, allemande, courante, gavotte, "
               "bourree, invention, canon, chorale, cantata, trio sonata, galant, rococo, "
               "pavane, galliard, lute song, consort music, basso continuo, "
               "renaissance music, medieval music, early baroque, high baroque",
    "solo-piano": "prelude, impromptu, mazurka, polonaise, ballade, bagatelle, sonata, "
                  "sonatina, barcarolle, berceuse, fantasie, fantasia, song without words, "
                  "gymnopedie, gnossienne, piano etude, piano nocturne, piano prelude, "
                  "modern classical piano, new age piano, scherzo, intermezzo, rondo, "
                  "piano miniature, piano improvisation, piano recital",
    "cinematic": "film music, movie score, orchestral score, epic trailer, "
                 "hybrid orchestral, trailer score, game score, rpg music, jrpg, "
                 "boss battle, boss fight music, battle music, fantasy score, "
                 "adventure score, sci fi score, horror score, underscore, "
                 "orchestral soundtrack, anime soundtrack, anime ost, ost",
    "bossa-nova": "pagode, choro, chorinho, forro, baiao, frevo, maracatu, tropicalia, "
                  "tropicalismo, bossa jazz, musica popular brasileira, sertanejo, "
                  "brazilian pop, samba cancao, samba de roda, samba reggae, "
                  "brazilian music",
    "salsa": "son montuno, guaracha, bolero, danzon, charanga, pachanga, boogaloo, "
             "latin boogaloo, bomba, plena, vallenato, champeta, mariachi, ranchera, norteno, "
             "banda, corridos, corrido, tejano, conjunto, cumbia villera, latin soul, "
             "nueva cancion, trova, nueva trova, guajira, rumba, cuban son, descarga, songo, "
             "latin big band, afro latin, andean, andean music, huayno, cuban music, "
             "mexican folk, regional mexican, salsa romantica, cumbia sonidera",
    "reggaeton": "baile funk, funk carioca, brazilian funk, reggaeton romantico, "
                 "neoperreo, reggaeton lento, latin club, latin urban pop",
    "flamenco": "bulerias, solea, alegrias, fandango, seguiriyas, tangos flamencos, "
                "flamenco fusion, cante jondo, zambra, farruca, granaina, malaguena, "
                "flamenco pop, gypsy rumba, rumba catalana, spanish flamenco",
    "tango": "tango vals, vals criollo, electrotango, electro tango, neotango, "
             "tango orchestra, orquesta tipica, candombe, chacarera, milonga candombe",
    "afrobeat": "gqom, kwaito, mbalax, makossa, bikutsi, coupe decale, ndombolo, "
                "rumba congolaise, congolese rumba, afro soul, afro jazz, ethio jazz, "
                "ethiopian jazz, ethiopian, mbaqanga, isicathamiya, marabi, chimurenga, "
                "mbira music, taarab, benga, bongo flava, township jive, desert blues, "
                "tishoumaren, assouf, wassoulou, griot, griot music, mande, african drumming, "
                "west african, palm wine, palmwine, fuji music, apala, azonto, afro fusion, "
                "afroswing, kizomba, semba, kuduro, afro house music",
    "indian-classical": "khayal, dhrupad, thumri, bhajan, kirtan, sufi, sufi music, filmi, "
                        "tollywood, kollywood, punjabi, punjabi folk, indian folk, baul, "
                        "lavani, garba, dandiya, indian fusion, ragas, ragam, alap, alaap, "
                        "jugalbandi, devotional, asian underground, gamelan, gagaku, enka, "
                        "chinese traditional, chinese classical, guzheng music, "
                        "japanese traditional, japanese folk, min yo, pentatonic folk, "
                        "mongolian throat singing, throat singing, tuvan",
    "middle-eastern": "taqsim, taksim, dabke, raqs sharqi, khaleeji, mizrahi, klezmer, "
                      "rebetiko, rembetiko, turkish folk, turkish classical, ottoman, "
                      "persian classical, dastgah, radif, mugham, armenian folk, kurdish, "
                      "balkan, balkan brass, balkan beat, gypsy brass, romani, gnawa, rai, "
                      "chaabi, andalusi, arabesque, tarab, shaabi, mahraganat, arabic pop, "
                      "greek folk, sephardic, bedouin",
    "trance": "goa trance, full on, forest psytrance, dark psy, progressive psytrance, "
              "tech trance, dream trance, happy hardcore, hardstyle, rawstyle, hard dance, "
              "jumpstyle, uk hardcore, freeform, nu nrg, makina, hands up, balearic trance, "
              "acid trance, orchestral trance",
    "dubstep": "tearout, tear out, deathstep, melodic dubstep, chillstep, color bass, "
               "colour bass, festival trap, edm trap, hybrid trap, post dubstep, "
               "midtempo bass, briddim, dubstep drop",
    "uk-garage": "uk funky, uk bass, niche, dark garage, garage revival uk, 4x4 garage, "
                 "two step garage",
    "breakbeat": "breakcore, glitch hop, acid breaks, progressive breaks, "
                 "breakbeat hardcore, hardcore breaks, rave breaks, old skool rave, "
                 "oldskool rave, electro breaks, nu breaks, ghettotech",
    "downtempo": "folktronica, glitch, glitch music, balearic, balearic beat, illbient, "
                 "wonky, lo fi electronic, psybient, psychill, dubtronica, ambient pop, "
                 "sunset chill, cafe del mar, nu chill, chill electronica",
    "house": "acid house, garage house, disco house, filter house, funky house, "
             "tribal house, latin house, jackin house, ghetto house, juke, footwork, "
             "jersey club, baltimore club, ballroom, vogue, hip house, italo house, "
             "melodic house, organic house, tropical house, slap house, brazilian bass, "
             "future house, bass house, g house, complextro, fidget house, microhouse, "
             "minimal house, lo fi house, outsider house, piano house, ambient house, "
             "eurodance, euro house, deep tech, afro tech, club house",
    "techno": "ambient techno, melodic techno, peak time techno, hypnotic techno, schranz, "
              "gabber, hardcore techno, frenchcore, speedcore, ebm, "
              "electronic body music, industrial, aggrotech, electro industrial, "
              "dark electro, raw techno, warehouse techno, acid, bleep techno, dark techno, "
              "minimal, detroit, tekno, free tekno, industrial music",
    "drum-and-bass": "darkstep, techstep, atmospheric drum and bass, intelligent dnb, "
                     "intelligent drum and bass, ragga jungle, drumfunk, sambass, "
                     "crossbreed, minimal drum and bass, rollers, jungle music, liquid, "
                     "jump up dnb, halftime dnb, dancefloor dnb",
    "synthwave": "dreamwave, spacesynth, sovietwave, future funk, mallsoft, chiptune, "
                 "chip music, chiptune music, 8 bit music, bitpop, game boy music, "
                 "retro synth, retro wave, neon synth, synth wave",
    "ambient": "drone music, drone, space ambient, ambient drone, isolationism, "
               "healing music, sleep music, spa music, yoga music, relaxation music, "
               "berlin school, kosmische, kosmische musik, electroacoustic, "
               "musique concrete, sound art, tape music, generative music, "
               "ambient electronic, lofi ambient, binaural beats, singing bowl music, "
               "field recordings, ambient soundscape, ambient piano",
    "swing": "gypsy jazz, jazz manouche, manouche, charleston, jump jive, new orleans jazz, "
             "trad jazz, traditional jazz, hot jazz, stride, stride piano, territory band, "
             "kansas city jazz, swing revival, neo swing, roaring twenties, 1920s jazz, "
             "20s jazz, 30s swing, 40s swing, speakeasy, jitterbug, big band jazz",
    "jazz": "avant garde jazz, spiritual jazz, soul jazz, third stream, west coast jazz, "
            "chamber jazz, ecm jazz, nordic jazz, vocal jazz, jazz vocal, torch song, "
            "lounge jazz, cocktail jazz, piano bar, jazz waltz, organ trio, jazz quartet, "
            "jazz quintet, dark jazz, doom jazz, noir jazz, jazz noir, film noir, "
            "free improvisation, straight ahead jazz, mainstream jazz, contemporary jazz, "
            "modern jazz, jazz bar, scat, crooner, jazz standards, jazz club, post bop, "
            "latin jazz standard, jazz guitar trio",
    "ska": "skacore, trad ska, jamaican ska, ska jazz, third wave ska, 2 tone ska",
    "dancehall": "calypso, chutney, chutney soca, bouyon, zouk, kompa, konpa, "
                 "digital dancehall, reggae fusion, afro dancehall, bashment, "
                 "caribbean dance",
    "reggae": "nyabinghi, dub poetry, steppers, roots and culture, uk reggae, mento, "
              "roots rock reggae, reggae dub, dub music, conscious reggae",
}

# names that are also ordinary words or loose usage → the weight of their vote.
WEAK_NAMES: dict[str, float] = {
    "glam": 0.7, "crust": 0.6, "oi": 0.6, "twee": 0.7, "baggy": 0.5,
    "drone": 0.5, "juke": 0.6, "ballroom": 0.5, "vogue": 0.5, "footwork": 0.6, "grime": 0.8,
    "industrial": 0.6, "acid": 0.5, "minimal": 0.5, "liquid": 0.5, "rollers": 0.5,
    "rumba": 0.8, "banda": 0.7, "minimalist": 0.5, "mass": 0.4,
    "suite": 0.5, "canon": 0.5, "invention": 0.4, "prelude": 0.7, "aria": 0.7,
    "medieval": 0.7, "stride": 0.5, "scat": 0.6, "crooner": 0.6, "shred": 0.6,
    "doom": 0.7, "ost": 0.6, "underscore": 0.5, "balearic": 0.7, "glitch": 0.6,
    "wonky": 0.4, "niche": 0.4, "highland": 0.6, "romani": 0.7, "balkan": 0.8,
    "devotional": 0.6, "ethiopian": 0.8, "west african": 0.8, "punjabi": 0.8,
    "kurdish": 0.8, "ottoman": 0.7, "andean": 0.8, "detroit": 0.6, "freestyle": 0.5,
    "bubblegum": 0.7, "aor": 0.7, "opm": 0.6, "impressionist": 0.6, "atonal": 0.6,
    "speakeasy": 0.7, "charleston": 0.7, "ballet": 0.8, "fantasia": 0.5, "sufi": 0.8,
    "shanties": 0.8, "yodel": 0.8, "polka": 0.9, "chanson": 0.8, "griot": 0.8,
    "line dance": 0.7, "line dancing": 0.7, "modernist": 0.5, "serenade": 0.7,
    "rhapsody": 0.7, "overture": 0.8, "piano bar": 0.7, "torch song": 0.8,
    # Italian tempo marks: the score's language, a lean towards classical music
    **dict.fromkeys(("adagio", "adagietto", "andante", "andantino", "allegro", "allegretto",
                     "largo", "larghetto", "lento", "presto", "vivace", "moderato"), 0.5),
}
