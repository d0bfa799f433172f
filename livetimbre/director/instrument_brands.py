"""More instrument names: brands and models musicians name instruments by, and instruments
General MIDI lacks with their nearest GM stand-in.

A brand names the instrument itself ('telecaster' is an electric guitar, 'rhodes' an
electric piano, 'tr-808' a drum machine), so it is no substitute. A stand-in is the GM
sound closest in how the instrument is played and how it sounds (a santur is struck
strings: the dulcimer; a kazoo is a nasal buzz: the shanai). `CONTEXT_WORDS`
reads a word by the genre around it: a harp in the blues is a harmonica.
"""

from __future__ import annotations

__all__ = ["BRANDS", "BRAND_KITS", "CONTEXT_WORDS", "STAND_INS"]

# brand or model → GM program.
BRANDS: dict[str, int] = {
    **dict.fromkeys(("steinway", "steinway grand", "bosendorfer", "bechstein", "yamaha grand",
                     "baby grand", "grand piano sound"), 0),
    **dict.fromkeys(("fender rhodes piano", "rhodes mark", "suitcase rhodes", "stage piano"), 4),
    **dict.fromkeys(("wurlitzer piano", "dx7", "yamaha dx7", "fm electric piano"), 5),
    **dict.fromkeys(("hohner clavinet", "clavinet d6"), 7),
    **dict.fromkeys(("hammond b3", "b3 organ", "leslie", "leslie organ", "hammond c3"), 16),
    **dict.fromkeys(("farfisa", "vox continental", "combo organ"), 17),
    **dict.fromkeys(("telecaster", "tele", "stratocaster", "strat", "fender guitar",
                     "rickenbacker", "fender strat", "fender telecaster", "jazzmaster",
                     "jaguar guitar", "twangy guitar", "twang guitar"), 27),
    **dict.fromkeys(("les paul", "gibson", "gibson les paul", "sg", "flying v",
                     "marshall stack", "marshall amp", "humbucker guitar"), 29),
    **dict.fromkeys(("es 335", "gibson es 335", "gretsch", "hollowbody", "hollow body",
                     "semi hollow guitar"), 26),
    **dict.fromkeys(("martin guitar", "taylor guitar", "dreadnought", "jumbo acoustic",
                     "resonator guitar", "resonator", "national steel", "lap steel",
                     "lap steel guitar", "twelve string guitar", "12 string"), 25),
    **dict.fromkeys(("fender bass", "precision bass", "p bass", "jazz bass", "j bass",
                     "hofner bass", "violin bass", "rickenbacker bass", "musicman bass"), 33),
    **dict.fromkeys(("moog", "minimoog", "mini moog", "moog synth", "arp odyssey",
                     "sh 101", "monosynth", "mono synth", "analog synth", "analogue synth",
                     "modular synth", "modular", "eurorack", "keytar", "korg ms20",
                     "ms20"), 81),
    **dict.fromkeys(("juno", "juno 60", "juno 106", "jupiter 8", "prophet 5",
                     "oberheim", "ob xa", "polysynth pad", "cs 80", "cs80"), 90),
    **dict.fromkeys(("tb 303", "tb303", "roland 303", "acid 303"), 39),
    **dict.fromkeys(("stylophone", "gameboy", "game boy", "nes sound", "8 bit synth",
                     "chip synth"), 80),
    **dict.fromkeys(("solina string ensemble", "arp solina", "string synth"), 50),
    **dict.fromkeys(("mellotron flute",), 73),
    **dict.fromkeys(("mellotron strings", "mellotron choir"), 49),
}

# drum machine and sampler brands → (bank-128 preset, kit name).
BRAND_KITS: dict[str, tuple[int, str]] = {
    **dict.fromkeys(("tr 808", "roland 808", "808 drum machine", "tr808"), (25, "TR-808 kit")),
    **dict.fromkeys(("tr 909", "tr909", "roland 909", "909 drums", "linndrum", "linn drum",
                     "mpc", "akai mpc", "sp 1200", "sp1200", "sp 404", "sp404", "dmx",
                     "oberheim dmx", "drum computer", "beat machine", "groovebox",
                     "drum sampler", "tr 707", "tr 606", "drumbox"), (24, "Electronic kit")),
    **dict.fromkeys(("ludwig kit", "ludwig drums", "gretsch drums", "pearl kit",
                     "drum set", "drumset", "trap kit", "trap set"), (0, "Standard kit")),
}

# instruments General MIDI lacks → (nearest program, why).
STAND_INS: dict[str, tuple[int, str]] = {
    "kazoo": (111, "a shanai (a nasal buzz)"), "kazoos": (111, "a shanai (a nasal buzz)"),
    "santur": (15, "a dulcimer"), "yangqin": (15, "a dulcimer"), "zither": (15, "a dulcimer"),
    "autoharp": (15, "a dulcimer"), "psaltery": (15, "a dulcimer"),
    "kantele": (15, "a dulcimer"), "gusli": (15, "a dulcimer"),
    "hurdy gurdy": (110, "a fiddle (a bowed drone)"),
    "nyckelharpa": (110, "a fiddle"), "hardanger fiddle": (110, "a fiddle"),
    "morin khuur": (110, "a fiddle"), "haegeum": (110, "a fiddle"),
    "rebab": (110, "a fiddle"), "kamancheh": (110, "a fiddle"), "kemence": (110, "a fiddle"),
    "esraj": (110, "a fiddle"), "dilruba": (110, "a fiddle"),
    "sarod": (104, "a sitar"), "setar": (104, "a sitar"), "tanbur": (104, "a sitar"),
    "biwa": (106, "a shamisen"), "sanshin": (106, "a shamisen"),
    "gayageum": (107, "a koto"), "kayagum": (107, "a koto"),
    "dizi": (73, "a flute"), "fife": (72, "a piccolo"), "low whistle": (78, "a whistle"),
    "xiao": (77, "a shakuhachi"), "hulusi": (71, "a clarinet"),
    "suona": (111, "a shanai"), "nadaswaram": (111, "a shanai"), "mizmar": (111, "a shanai"),
    "sheng": (20, "a reed organ"),
    "concertina": (21, "an accordion"), "melodeon": (21, "an accordion"),
    "button accordion": (21, "an accordion"), "bayan": (21, "an accordion"),
    "charango": (24, "a nylon-string guitar"), "cuatro": (24, "a nylon-string guitar"),
    "vihuela": (24, "a nylon-string guitar"), "requinto": (24, "a nylon-string guitar"),
    "tres": (25, "a steel-string guitar"), "cavaquinho": (25, "a steel-string guitar"),
    "bandurria": (25, "a steel-string guitar"), "domra": (25, "a steel-string guitar"),
    "bajo sexto": (25, "a steel-string guitar"), "baritone guitar": (27, "an electric guitar"),
    "guitarron": (32, "an acoustic bass"), "banjolele": (105, "a banjo"),
    "ngoni": (105, "a banjo"), "akonting": (105, "a banjo"), "berimbau": (105, "a banjo"),
    "jaw harp": (105, "a banjo (a twang)"), "jews harp": (105, "a banjo (a twang)"),
    "mouth harp": (22, "a harmonica"), "harmonica harp": (22, "a harmonica"),
    "balafon": (12, "a marimba"), "gyil": (12, "a marimba"), "amadinda": (12, "a marimba"),
    "log drum": (117, "a melodic tom"), "log drums": (117, "a melodic tom"),
    "tongue drum": (108, "a kalimba"), "steel tongue drum": (108, "a kalimba"),
    "sansula": (108, "a kalimba"), "likembe": (108, "a kalimba"),
    "singing bowl": (14, "tubular bells (a ringing bowl)"),
    "singing bowls": (14, "tubular bells (a ringing bowl)"),
    "tibetan bowls": (14, "tubular bells (a ringing bowl)"),
    "wind chimes": (14, "tubular bells"), "handbells": (14, "tubular bells"),
    "hand bells": (14, "tubular bells"), "gamelan": (13, "a xylophone (a metallophone)"),
    "saron": (13, "a xylophone"),
    "toy piano": (8, "a celesta"), "glass harmonica": (92, "a bowed glass pad"),
    "wine glasses": (92, "a bowed glass pad"), "musical saw": (85, "a voice lead"),
    "singing saw": (85, "a voice lead"), "ondes martenot": (85, "a voice lead"),
    "slide whistle": (78, "a whistle"), "euphonium": (58, "a tuba"),
    "baritone horn": (58, "a tuba"), "mellophone": (60, "a French horn"),
    "alto horn": (60, "a French horn"), "bugle": (56, "a trumpet"),
    "piccolo trumpet": (56, "a trumpet"), "bass trombone": (57, "a trombone"),
    "bass clarinet": (71, "a clarinet"), "contrabassoon": (70, "a bassoon"),
    "alto flute": (73, "a flute"), "bass flute": (73, "a flute"),
    "electric violin": (40, "a violin"), "electric cello": (42, "a cello"),
    "omnichord": (46, "a harp (strummed)"), "harp guitar": (25, "a steel-string guitar"),
    "beatbox": (53, "voice oohs"),
    "beatboxing": (53, "voice oohs"),
}

# a word whose meaning depends on the genre around it: word → {family: (program, note)}.
CONTEXT_WORDS: dict[str, dict[str, tuple[int, str]]] = {
    "harp": {"blues": (22, "harp in the blues: a harmonica")},
    "harps": {"blues": (22, "harp in the blues: a harmonica")},
}
