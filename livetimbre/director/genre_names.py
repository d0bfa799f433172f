"""Genre names musicians write, for every planned genre, and the clues that point to one.

The registry's own `aliases` (genres/*.yaml) are read too and win; this table lets the
director recognise a genre (and its family) that is planned but not installed yet, so
"bossa nova" is understood as latin even while the nearest installed genre plays it.
`HINTS` are words that lean towards a genre when the prompt names none.
"""

from __future__ import annotations

__all__ = ["FAMILY_WORDS", "HINTS", "NAMES", "NEIGHBOURS"]

# genre id → names and aliases (lower case; hyphens and spaces are the same).
NAMES: dict[str, str] = {
    "rock": "rock, rock and roll, rock n roll, classic rock, alt rock, alternative rock, "
            "garage rock, soft rock, southern rock, blues rock, psychedelic rock, surf rock, "
            "rockabilly, stadium rock, arena rock, pop rock, grunge, britpop, rock band",
    "hard-rock": "hard rock, heavy rock, stoner rock, glam rock",
    "punk": "punk, punk rock, pop punk, hardcore punk, hardcore, post punk, emo, skate punk",
    "indie-rock": "indie rock, indie, indie pop, shoegaze, math rock, post rock, dream pop, "
                  "alt indie, jangle pop",
    "metal": "metal, heavy metal, folk metal, viking metal, industrial metal, gothic metal, "
             "thrash metal, thrash, death metal, black metal, doom metal, "
             "metalcore, nu metal, power metal, djent, progressive metal, prog metal, "
             "speed metal, sludge, symphonic metal",
    "pop": "pop, pop music, pop song, dance pop, electropop, k pop, kpop, j pop, jpop, "
           "teen pop, bubblegum pop, chart pop, mainstream pop, europop, power pop",
    "pop-ballad": "pop ballad, power ballad, ballad, love ballad, piano ballad",
    "synth-pop": "synth pop, synthpop, new wave, electro pop, darkwave, coldwave, italo, "
                 "italo disco",
    "disco": "disco, nu disco, disco funk, seventies disco",
    "folk": "folk, folk music, acoustic folk, indie folk, folk song, singer songwriter, "
            "americana, folk rock, traditional folk, campfire song, sea shanty, shanty",
    "country": "country, country music, country and western, honky tonk, outlaw country, "
               "country pop, nashville, western, cowboy song, alt country",
    "celtic": "celtic, irish, irish folk, scottish, celtic folk, jig, reel, gaelic",
    "bluegrass": "bluegrass, newgrass, hillbilly, old time, appalachian",
    "blues": "blues, delta blues, chicago blues, blues shuffle, twelve bar blues, "
             "12 bar blues, electric blues, bluesy, blues rock ballad",
    "soul": "soul, soul music, neo soul, motown, northern soul, classic soul, "
            "southern soul, soulful",
    "r-and-b": "r and b, rnb, r n b, rhythm and blues, contemporary r and b, new jack swing, "
               "slow jam, quiet storm",
    "gospel": "gospel, gospel music, church music, praise and worship, worship, "
              "spiritual, christian music, hymn, hymns",
    "funk": "funk, funky, p funk, funk rock, electro funk",
    "boom-bap": "boom bap, boombap, old school hip hop, 90s hip hop, golden age hip hop, "
                "east coast hip hop, underground hip hop, conscious hip hop",
    "trap": "trap, trap beat, drill, hip hop, hiphop, rap, rap beat, hip hop beat, "
            "modern hip hop, mumble rap",
    "lo-fi-hip-hop": "lo fi hip hop, lofi hip hop, lofi, lo fi, chillhop, study beats, "
                     "jazzhop, lo fi beats, lofi beats",
    "orchestral": "orchestral, orchestra, symphony, symphonic, classical, classical music, "
                  "romantic era, concerto, chamber music, string quartet piece, opera, "
                  "neoclassical, neo classical, contemporary classical",
    "baroque": "baroque, bach, fugue, harpsichord music, early music, renaissance, "
               "medieval, minuet, chamber baroque",
    "solo-piano": "solo piano, piano solo, piano piece, nocturne, etude, piano sonata, "
                  "solo piano piece",
    "cinematic": "cinematic, film score, soundtrack, movie soundtrack, trailer music, "
                 "movie music, epic orchestral, game soundtrack, video game music, "
                 "video game, epic music",
    "bossa-nova": "bossa nova, bossa, bossanova, samba jazz, brazilian jazz, mpb, samba",
    "salsa": "salsa, son cubano, mambo, cha cha, cha cha cha, cumbia, merengue, "
             "latin jazz, afro cuban, timba, bachata, latin music, latin",
    "reggaeton": "reggaeton, reggaetón, dembow, latin trap, urbano, perreo, moombahton",
    "flamenco": "flamenco, rumba flamenca, spanish guitar music, gypsy kings, sevillanas, "
                "bulerias, flamenco guitar piece",
    "tango": "tango, argentine tango, nuevo tango, tango nuevo, milonga",
    "afrobeat": "afrobeat, afrobeats, afro beat, afropop, afro pop, highlife, amapiano, "
                "african, african music, juju, soukous",
    "indian-classical": "indian classical, indian, raga, hindustani, carnatic, bollywood, "
                        "indian music, bhangra, qawwali, ghazal, desi",
    "middle-eastern": "middle eastern, arabic, arab, persian, turkish, egyptian, "
                      "belly dance, arabian, levantine, maqam, oriental",
    "trance": "trance, uplifting trance, psytrance, psy trance, progressive trance, "
              "goa trance, vocal trance, hard trance",
    "dubstep": "dubstep, brostep, riddim, wobble, wobble bass music, bass music, "
               "deep dubstep, future bass",
    "uk-garage": "uk garage, garage, 2 step, two step, speed garage, ukg, bassline house, "
                 "future garage",
    "breakbeat": "breakbeat, breaks, big beat, nu skool breaks, electro breaks, "
                 "breakbeat music",
    "downtempo": "downtempo, trip hop, chillout, chill out, chillwave, lounge, "
                 "electronica, idm, chill electronic, down tempo",
    "house": "house, house music, deep house, tech house, chicago house, progressive house, "
             "edm, electro house, big room, dance music, club music, french house",
    "techno": "techno, techno music, minimal techno, detroit techno, industrial techno, "
              "acid techno, hard techno, rave",
    "drum-and-bass": "drum and bass, drum n bass, dnb, d and b, jungle, liquid dnb, "
                     "neurofunk, liquid drum and bass, drumstep",
    "synthwave": "synthwave, retrowave, outrun, darksynth, vaporwave, eighties synth, "
                 "cyberpunk, 80s synthwave",
    "ambient": "ambient, ambient music, ambience, drone ambient, atmospheric, dark ambient, "
               "space music, soundscape, new age, meditation music",
    "swing": "swing, big band, swing jazz, jump blues, lindy hop, electro swing, "
             "big band swing, dixieland, ragtime",
    "jazz": "jazz, bebop, bop, hard bop, cool jazz, jazz trio, jazz combo, modal jazz, "
            "smooth jazz, jazz fusion, fusion, free jazz, jazz ballad, jazz standard, "
            "jazzy, piano jazz, latin jazz ballad, acid jazz, nu jazz",
    "ska": "ska, ska punk, two tone, 2 tone, rocksteady ska",
    "dancehall": "dancehall, ragga, raggamuffin, soca, dancehall riddim",
    "reggae": "reggae, roots reggae, one drop, dub, rocksteady, lovers rock, dub reggae, "
              "jamaican",
}

# a family's own name (a shelf, not a genre) → the family id.
FAMILY_WORDS: dict[str, str] = {
    "electronic": "electronic", "electronic music": "electronic", "electro": "electronic",
    "edm music": "electronic", "club": "electronic", "dance": "electronic",
    "folk and country": "folk-country", "world": "world", "world music": "world",
    "ethnic": "world", "traditional": "world", "hip hop music": "hip-hop",
    "urban": "hip-hop", "rnb soul": "soul", "classical piece": "classical",
    "instrumental rock": "rock", "heavy": "metal", "caribbean": "reggae",
}

# Words and GM programs that lean towards a genre when none is named (a clue each).
HINTS: dict[str, str] = {
    "rock": "drums, riff, riffs, electric guitar, 29, 30, 27, anthem, band, guitar solo",
    "hard-rock": "30, 29, loud, aggressive, heavy, riff, power chords, stadium",
    "punk": "fast, raw, angry, 30, shouting, rebellious, energetic",
    "indie-rock": "jangly, 27, 25, nostalgic, wistful, reverb, bedroom",
    "metal": "30, distorted, aggressive, dark, heavy, double kick, blast, brutal",
    "pop": "catchy, happy, upbeat, hook, radio, 81, 0, bright, chorus, dance",
    "pop-ballad": "0, 48, emotional, sad, love, slow, heartfelt, tender",
    "synth-pop": "80s, 81, 90, 38, eighties, retro, catchy, neon, 80",
    "disco": "70s, seventies, 48, 36, groovy, dance, four on the floor, strings, 33",
    "folk": "25, 24, 110, 22, acoustic, campfire, storytelling, gentle, 105, 21, rustic",
    "country": "105, 25, 110, 22, twang, cowboy, western, truck, prairie, 26",
    "celtic": "110, 109, 78, 46, 73, pipes, jig, reel, misty, highland, 75",
    "bluegrass": "105, 110, 25, fast picking, picking, mountain, 105",
    "blues": "22, 26, 27, shuffle, sad, soulful, bluesy, 12 bar, 16",
    "soul": "16, 4, 61, 56, warm, soulful, vintage, 60s, emotional, 53",
    "r-and-b": "4, 38, smooth, sensual, late night, slow jam, 90s, 53, 89",
    "gospel": "52, 19, 16, 0, church, uplifting, joyful, praise, spiritual, 20",
    "funk": "36, 28, 61, 7, groovy, syncopated, slap, 70s",
    "boom-bap": "90s, 0, vinyl, sample, dusty, scratch, 33, chopped",
    "trap": "808, 38, hi hats, dark, hard, menacing, triplet",
    "lo-fi-hip-hop": "4, vinyl, dusty, chill, study, relaxed, mellow, cozy, rainy, nostalgic",
    "orchestral": "48, 40, 42, 60, 47, 56, 73, 71, 68, 70, grand, majestic, sweeping, "
                  "concert",
    "baroque": "6, 40, 19, 42, 74, ornate, counterpoint, harpsichord",
    "solo-piano": "0, piano, intimate, reflective, tender, gentle",
    "cinematic": "48, 47, 60, epic, heroic, trailer, dramatic, suspense, tension, 52",
    "bossa-nova": "24, 73, 65, brazil, brazilian, beach, lounge, gentle, sunny, 11",
    "salsa": "56, 57, 0, 63, 60, 65, cuban, dance, lively, hot, tropical, percussion",
    "reggaeton": "dembow, 38, 81, latin, party, club, sensual",
    "flamenco": "24, spanish, passionate, claps, castanets, andalusian, fiery",
    "tango": "23, 21, 40, 0, argentina, passionate, dramatic, milonga",
    "afrobeat": "56, 61, 63, 64, 27, african, nigeria, polyrhythm, horns, groovy",
    "indian-classical": "104, 111, 73, tabla, sitar, raga, drone, india, 60",
    "middle-eastern": "oud, darbuka, 106, 111, desert, exotic, mystical, 68",
    "trance": "81, 90, arpeggio, euphoric, uplifting, rave, supersaw, festival, 138",
    "dubstep": "39, wobble, heavy, drop, aggressive, bass, growl",
    "uk-garage": "shuffled, skippy, 2 step, swung, late night, 38",
    "breakbeat": "breaks, amen, chopped, big beat, 90s, rave",
    "downtempo": "chill, relaxed, mellow, smooth, 89, downbeat, lounge, trip",
    "house": "four on the floor, 4, 38, dance, club, groovy, party, 81",
    "techno": "dark, hypnotic, warehouse, industrial, repetitive, driving, 39, machine",
    "drum-and-bass": "fast, breakbeat, jungle, rolling, energetic, 38, 39",
    "synthwave": "80s, 81, 90, 38, retro, neon, night drive, nostalgic, eighties, 80",
    "ambient": "89, 92, 94, 95, 88, calm, peaceful, meditative, spacious, floating, drone, "
               "serene, relaxing, sleep, dreamy, ethereal, atmospheric",
    "swing": "56, 57, 65, 61, big band, dance, lively, 1930s, 1940s, 40s",
    "jazz": "65, 66, 32, 0, 11, 26, 4, smoky, late night, club, improvised, saxophone, "
            "sophisticated, walking bass",
    "ska": "56, 57, upstroke, skank, upbeat, bouncy, 61",
    "dancehall": "jamaican, 38, riddim, party, caribbean",
    "reggae": "16, 33, skank, island, jamaican, laid back, sunny, one drop, 18",
}

# family → installed genres to fall back on, in order, when none of its own is installed.
NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "rock": ("funk", "disco", "synthwave"),
    "metal": ("techno", "drum-and-bass", "funk"),
    "pop": ("disco", "synthwave", "house"),
    "folk-country": ("jazz", "lo-fi-hip-hop", "cinematic"),
    "blues": ("jazz", "funk", "lo-fi-hip-hop"),
    "soul": ("funk", "jazz", "disco"),
    "hip-hop": ("lo-fi-hip-hop", "trap", "funk"),
    "classical": ("cinematic", "ambient", "jazz"),
    "latin": ("jazz", "reggae", "funk"),
    "world": ("ambient", "cinematic", "reggae"),
    "electronic": ("house", "techno", "synthwave"),
    "jazz": ("jazz", "lo-fi-hip-hop", "funk"),
    "reggae": ("reggae", "funk", "lo-fi-hip-hop"),
    "other": ("ambient", "house", "jazz"),
}
