"""Instrument names as musicians write them → General MIDI sounds.

Every General MIDI program (0-127) by its GM name and the words people use for it;
common percussion by its GM percussion key (channel 10); drum kits by their bank-128
preset; and instruments General MIDI lacks (tabla, oud, ukulele, ...) by their nearest
GM stand-in, flagged as a substitute with a note.
"""

from __future__ import annotations

__all__ = ["GM_NAMES", "KIT_NAMES", "LAYER_WORDS", "PERCUSSION_NAMES", "SUBSTITUTES", "Sound",
           "gm_program_name", "instrument_entries", "layer_of"]

from dataclasses import dataclass
from typing import Literal

from livetimbre.director.instrument_brands import BRAND_KITS, BRANDS, STAND_INS
from livetimbre.director.spec import Layer
from livetimbre.music.textures import TEXTURE_WORDS

# program → "GM name | other words" (the GM name is matched too).
GM_NAMES: dict[int, str] = {
    0: "Acoustic Grand Piano | piano, pianos, grand piano, acoustic piano, concert grand, "
       "upright piano, felt piano, keys, piano chords, soft piano, piano melody, keyboard, "
       "keyboards",
    1: "Bright Acoustic Piano | bright acoustic piano",
    2: "Electric Grand Piano | electric grand, cp70",
    3: "Honky-tonk Piano | honky tonk piano, saloon piano, tack piano, barrelhouse piano",
    4: "Electric Piano 1 | rhodes, electric piano, e piano, epiano, fender rhodes, ep, "
       "rhodes piano, electric pianos",
    5: "Electric Piano 2 | wurlitzer, wurli, fm piano, dx7 piano, dx piano",
    6: "Harpsichord | harpsichords", 7: "Clavinet | clav, clavi", 8: "Celesta | celeste",
    9: "Glockenspiel | glock, glockenspiel bells", 10: "Music Box | musicbox",
    11: "Vibraphone | vibes, vibraphones, vibraharp", 12: "Marimba | marimbas",
    13: "Xylophone | xylophones",
    14: "Tubular Bells | bells, bell, chimes, church bells, tubular bell, chime, bell melody",
    15: "Dulcimer | hammered dulcimer",
    16: "Drawbar Organ | organ, hammond, hammond organ, b3, drawbar, jazz organ, organs, "
        "electric organ",
    17: "Percussive Organ | percussive organ", 18: "Rock Organ | rock organ",
    19: "Church Organ | church organ, pipe organ, cathedral organ",
    20: "Reed Organ | harmonium, pump organ", 21: "Accordion | accordian, squeezebox",
    22: "Harmonica | blues harp, mouth organ, harmonicas",
    23: "Tango Accordion | bandoneon",
    24: "Acoustic Guitar (nylon) | nylon guitar, classical guitar, nylon string guitar, "
        "spanish guitar, flamenco guitar, nylon",
    25: "Acoustic Guitar (steel) | acoustic guitar, steel string guitar, folk guitar, "
        "12 string guitar, acoustic guitars, strummed guitar, acoustic, steel guitar, "
        "pedal steel, slide guitar, dobro",
    26: "Electric Guitar (jazz) | jazz guitar, hollow body guitar, archtop guitar",
    27: "Electric Guitar (clean) | electric guitar, clean guitar, guitar, guitars, "
        "clean electric guitar, electric guitars, guitar melody, guitar riff, lead guitar, "
        "rhythm guitar",
    28: "Electric Guitar (muted) | muted guitar, palm muted guitar, funk guitar, funky guitar, "
        "chicken scratch guitar",
    29: "Overdriven Guitar | overdrive guitar, crunchy guitar, crunch guitar, driven guitar",
    30: "Distortion Guitar | distorted guitar, distorted guitars, distortion guitars, "
        "heavy guitar, heavy guitars, metal guitar, fuzz guitar, power chords, "
        "distorted electric guitar",
    31: "Guitar Harmonics | harmonics",
    32: "Acoustic Bass | upright bass, double bass, stand up bass, string bass, "
        "acoustic bass guitar",
    33: "Electric Bass (finger) | electric bass, bass guitar, fingered bass, finger bass",
    34: "Electric Bass (pick) | picked bass, pick bass", 35: "Fretless Bass | fretless",
    36: "Slap Bass 1 | slap bass, slapped bass, slap", 37: "Slap Bass 2 | popping bass",
    38: "Synth Bass 1 | synth bass, analog bass, sub bass, moog bass, bass synth, "
        "synthbass, synth bassline",
    39: "Synth Bass 2 | reese, reese bass, acid bass, 303, tb 303, wobble bass, acid line",
    40: "Violin | violins, solo violin", 41: "Viola | violas",
    42: "Cello | cellos, violoncello, solo cello", 43: "Contrabass | bowed bass",
    44: "Tremolo Strings | tremolo strings", 45: "Pizzicato Strings | pizzicato, pizz, "
                                                 "plucked strings",
    46: "Orchestral Harp | harp, harps, concert harp, celtic harp",
    47: "Timpani | kettle drums, kettledrums",
    48: "String Ensemble 1 | strings, string section, string ensemble, orchestral strings, "
        "string quartet, lush strings, string orchestra",
    49: "String Ensemble 2 | slow strings", 50: "Synth Strings 1 | synth strings, "
                                                "string machine, solina",
    51: "Synth Strings 2 | synth strings 2",
    52: "Choir Aahs | choir, choirs, choral, choir aahs, chorale, chant, chanting",
    53: "Voice Oohs | oohs, humming, hums", 54: "Synth Voice | synth voice, synth choir",
    55: "Orchestra Hit | orchestra hit, orch hit, orchestral hit, orchestra hits",
    56: "Trumpet | trumpets", 57: "Trombone | trombones", 58: "Tuba | sousaphone, tubas",
    59: "Muted Trumpet | muted trumpets, harmon mute trumpet",
    60: "French Horn | horn, french horns", 61: "Brass Section | brass, horns, horn section, "
                                                "brass section, brass band, brass stabs",
    62: "Synth Brass 1 | synth brass", 63: "Synth Brass 2 | synth brass 2",
    64: "Soprano Sax | soprano saxophone",
    65: "Alto Sax | sax, saxophone, saxophones, alto saxophone, saxes",
    66: "Tenor Sax | tenor saxophone", 67: "Baritone Sax | bari sax, baritone saxophone",
    68: "Oboe | oboes", 69: "English Horn | cor anglais", 70: "Bassoon | bassoons",
    71: "Clarinet | clarinets", 72: "Piccolo | piccolos", 73: "Flute | flutes, flute melody",
    74: "Recorder | recorders", 75: "Pan Flute | pan pipes, panpipes, pan flutes",
    76: "Blown Bottle | bottle", 77: "Shakuhachi | shakuhachi flute",
    78: "Whistle | tin whistle, penny whistle, whistling, whistles",
    79: "Ocarina | ocarinas",
    80: "Lead 1 (square) | square lead, square wave, chiptune, 8 bit, chip tune",
    81: "Lead 2 (sawtooth) | saw lead, sawtooth, synth lead, lead synth, synth, synths, "
        "synthesizer, synthesizers, supersaw, synth melody, sawtooth lead",
    82: "Lead 3 (calliope) | calliope", 83: "Lead 4 (chiff) | chiff lead",
    84: "Lead 5 (charang) | charang", 85: "Lead 6 (voice) | voice lead",
    86: "Lead 7 (fifths) | fifths lead", 87: "Lead 8 (bass + lead) | bass lead",
    88: "Pad 1 (new age) | new age pad, fantasia pad", 89: "Pad 2 (warm) | warm pad, pad, "
                                                          "pads, synth pad, synth pads",
    90: "Pad 3 (polysynth) | polysynth, poly synth", 91: "Pad 4 (choir) | choir pad",
    92: "Pad 5 (bowed) | bowed pad, glass pad", 93: "Pad 6 (metallic) | metallic pad",
    94: "Pad 7 (halo) | halo pad", 95: "Pad 8 (sweep) | sweep pad",
    96: "FX 1 (rain) | rain fx", 97: "FX 2 (soundtrack) | soundtrack fx",
    98: "FX 3 (crystal) | crystal pad", 99: "FX 4 (atmosphere) | atmosphere pad",
    100: "FX 5 (brightness) | brightness fx", 101: "FX 6 (goblins) | goblins fx",
    102: "FX 7 (echoes) | echoes fx", 103: "FX 8 (sci-fi) | sci fi fx",
    104: "Sitar | sitars", 105: "Banjo | banjos", 106: "Shamisen | shamisen",
    107: "Koto | kotos", 108: "Kalimba | thumb piano",
    109: "Bagpipe | bagpipes, uilleann pipes, pipes, highland pipes",
    110: "Fiddle | fiddles", 111: "Shanai | shehnai",
    112: "Tinkle Bell | sleigh bells, bell tree", 113: "Agogo | agogo bells",
    114: "Steel Drums | steel drum, steelpan, steel pan, steel drums",
    115: "Woodblock | wood block", 116: "Taiko Drum | taiko, taiko drums",
    117: "Melodic Tom | melodic toms", 118: "Synth Drum | synth drums, electronic toms",
    119: "Reverse Cymbal | reverse cymbal, reversed cymbal",
    120: "Guitar Fret Noise | fret squeaks", 121: "Breath Noise | breathing",
    122: "Seashore | sea waves", 123: "Bird Tweet | birdsong",
    124: "Telephone Ring | ringing phone",
    125: "Helicopter | chopper", 126: "Applause | clapping crowd", 127: "Gunshot | gunshots",
}
# texture kinds (music.textures) that General MIDI has a sound-effect program for.
_EFFECTS = {"rain": 96, "seashore": 122, "ocean": 122, "birds": 123, "helicopter": 125,
            "applause": 126, "breath": 121, "telephone": 124, "gunshot": 127,
            "fret noise": 120}


# Instruments General MIDI lacks → (nearest program, why).
SUBSTITUTES: dict[str, tuple[int, str]] = {
    "ukulele": (24, "a nylon-string guitar"), "uke": (24, "a nylon-string guitar"),
    "mandolin": (25, "a steel-string guitar"), "bouzouki": (25, "a steel-string guitar"),
    "balalaika": (25, "a steel-string guitar"), "lute": (24, "a nylon-string guitar"),
    "oud": (24, "a nylon-string guitar"), "saz": (106, "a shamisen"),
    "baglama": (106, "a shamisen"), "pipa": (106, "a shamisen"), "guzheng": (107, "a koto"),
    "erhu": (110, "a fiddle"), "sarangi": (110, "a fiddle"), "veena": (104, "a sitar"),
    "tanpura": (104, "a sitar drone"), "tambura": (104, "a sitar drone"),
    "santoor": (15, "a dulcimer"), "qanun": (15, "a dulcimer"), "kanun": (15, "a dulcimer"),
    "cimbalom": (15, "a dulcimer"), "kora": (46, "a harp"), "lyre": (46, "a harp"),
    "bansuri": (73, "a flute"), "ney": (77, "a shakuhachi"), "duduk": (68, "an oboe"),
    "zurna": (111, "a shanai"), "didgeridoo": (109, "a bagpipe drone"),
    "melodica": (22, "a harmonica"), "mellotron": (49, "slow strings"),
    "theremin": (85, "a voice lead"), "handpan": (114, "steel drums"),
    "hang drum": (114, "steel drums"), "mbira": (108, "a kalimba"),
    "flugelhorn": (56, "a trumpet"), "cornet": (56, "a trumpet"),
    "808": (38, "a synth bass (an 808's long kick-bass)"),
    "808s": (38, "a synth bass (an 808's long kick-bass)"),
    "808 bass": (38, "a synth bass (an 808's long kick-bass)"),
    "vocal": (53, "voice oohs; a vocals layer sings words"),
    "vocals": (53, "voice oohs; a vocals layer sings words"),
    "voice": (53, "voice oohs; a vocals layer sings words"),
    "voices": (53, "voice oohs; a vocals layer sings words"),
    "singer": (53, "voice oohs; a vocals layer sings words"),
    "singing": (53, "voice oohs; a vocals layer sings words"),
    "vocalist": (53, "voice oohs; a vocals layer sings words"),
    "female vocal": (53, "voice oohs; a vocals layer sings words"),
    "female vocals": (53, "voice oohs; a vocals layer sings words"),
    "male vocal": (53, "voice oohs; a vocals layer sings words"),
    "male vocals": (53, "voice oohs; a vocals layer sings words"),
    "vocal harmonies": (53, "voice oohs; a vocals layer sings words"),
    "backing vocals": (53, "voice oohs; a vocals layer sings words"),
    "vocoder": (54, "a synth voice"), "talkbox": (54, "a synth voice"),
}

# GM percussion keys (channel 10); the value is (key, GM name, substitute note or None).
PERCUSSION_NAMES: dict[str, tuple[int, str, str | None]] = {}
for _words, _key, _name, _note in (
    ("hi hats, hi hat, hihat, hihats, hats, closed hats, closed hi hat", 42, "Closed Hi-Hat",
     None),
    ("open hats, open hi hat, open hat", 46, "Open Hi-Hat", None),
    ("kick, kick drum, kicks, bass drum, double kick, double bass drum", 36, "Bass Drum 1", None),
    ("snare, snare drum, snares", 38, "Acoustic Snare", None),
    ("toms, tom toms, tom fills", 47, "Low-Mid Tom", None),
    ("ride cymbal, ride cymbals", 51, "Ride Cymbal 1", None),
    ("crash cymbal, cymbals, cymbal", 49, "Crash Cymbal 1", None),
    ("handclaps, hand claps, claps, clapping, clap", 39, "Hand Clap", None),
    ("stomping, stomps, foot stomp, foot stomps, stomp", 36, "Bass Drum 1",
     "stomps: a kick drum"),
    ("rimshot, rimshots, side stick", 37, "Side Stick", None),
    ("tambourine, tambourines", 54, "Tambourine", None), ("cowbell", 56, "Cowbell", None),
    ("congas, conga", 63, "Open Hi Conga", None), ("bongos, bongo", 60, "Hi Bongo", None),
    ("timbales, timbale", 65, "High Timbale", None), ("shaker, shakers", 70, "Maracas", None),
    ("maracas", 70, "Maracas", None), ("claves", 75, "Claves", None),
    ("guiro", 73, "Short Guiro", None), ("cabasa", 69, "Cabasa", None),
    ("triangle", 81, "Open Triangle", None), ("wood blocks", 76, "Hi Wood Block", None),
    ("tabla, tablas", 60, "Hi Bongo", "tabla: bongos, the nearest GM hand drums"),
    ("djembe, djembes", 64, "Low Conga", "djembe: a low conga"),
    ("darbuka, darbouka, doumbek, dumbek, goblet drum", 62, "Mute Hi Conga",
     "darbuka: a muted high conga"),
    ("cajon", 64, "Low Conga", "cajón: a low conga"),
    ("castanets", 75, "Claves", "castanets: claves"),
    ("gong", 52, "Chinese Cymbal", "gong: a Chinese cymbal"),
    ("frame drum, bodhran, daf, riq", 64, "Low Conga", "a frame drum: a low conga"),
    ("hand drums, hand percussion, percussion, percussions", 63, "Open Hi Conga", None),
):
    for _word in _words.split(", "):
        PERCUSSION_NAMES[_word] = (_key, _name, _note)

# drum kit words → (bank-128 preset, name).
KIT_NAMES: dict[str, tuple[int, str]] = {
    "808 drums": (25, "TR-808 kit"), "808 kit": (25, "TR-808 kit"), "tr 808": (25, "TR-808 kit"),
    "drum machine": (24, "Electronic kit"), "electronic drums": (24, "Electronic kit"),
    "drum machines": (24, "Electronic kit"), "909": (24, "Electronic kit"),
    "jazz drums": (32, "Jazz kit"), "jazz kit": (32, "Jazz kit"),
    "brushes": (40, "Brush kit"), "brushed drums": (40, "Brush kit"),
    "brush kit": (40, "Brush kit"), "brush drums": (40, "Brush kit"),
    "live drums": (8, "Room kit"), "acoustic drums": (8, "Room kit"),
    "rock drums": (16, "Power kit"),
    "power drums": (16, "Power kit"), "orchestral percussion": (48, "Orchestra kit"),
}

# words that name a layer but not its sound: the genre's sound for that layer plays.
LAYER_WORDS: dict[str, Layer] = {
    **dict.fromkeys(("drums", "drum", "drum kit", "beat", "beats", "drum beat", "drum loop",
                     "drum track", "drumming", "groove", "breakbeat drums", "percussive"),
                    "drums"),
    **dict.fromkeys(("bass", "bassline", "bass line", "low end", "basslines"), "bass"),
    **dict.fromkeys(("chords", "chord progression", "harmony", "comping"), "chords"),
    **dict.fromkeys(("lead", "melody", "melodies", "hook", "topline", "riff"), "lead"),
    **dict.fromkeys(("texture", "textures", "fx"), "texture"),
    **{word: "texture" for _kind, words in TEXTURE_WORDS if _kind not in _EFFECTS
       for word in words},
}


@dataclass(frozen=True)
class Sound:
    """What an instrument word names: a program, a percussion key or a drum kit."""

    kind: Literal["program", "percussion", "kit"]
    number: int
    gm_name: str
    substitute: bool = False
    note: str | None = None


def gm_program_name(program: int) -> str:
    """The General MIDI name of a program ('Acoustic Grand Piano')."""
    text = GM_NAMES.get(program)
    return text.split(" | ")[0] if text else f"GM program {program}"


def instrument_entries() -> list[tuple[str, Sound]]:
    """Every instrument phrase with its sound (for a PhraseIndex)."""
    entries: list[tuple[str, Sound]] = []
    for program, text in GM_NAMES.items():
        name, _, others = text.partition(" | ")
        sound = Sound("program", program, name)
        entries.append((name, sound))
        entries.extend((word, sound) for word in others.split(", ") if word)
    for word, (program, why) in SUBSTITUTES.items():
        entries.append((word, Sound("program", program, gm_program_name(program), True,
                                    f"{word}: {why}")))
    for word, (key, name, note) in PERCUSSION_NAMES.items():
        entries.append((word, Sound("percussion", key, name, note is not None, note)))
    for word, (preset, name) in KIT_NAMES.items():
        entries.append((word, Sound("kit", preset, name)))
    for word, program in BRANDS.items():  # a brand is the instrument itself
        entries.append((word, Sound("program", program, gm_program_name(program))))
    for word, (preset, name) in BRAND_KITS.items():
        entries.append((word, Sound("kit", preset, name)))
    for word, (program, why) in STAND_INS.items():
        entries.append((word, Sound("program", program, gm_program_name(program), True,
                                    f"{word}: {why}")))
    for kind, words in TEXTURE_WORDS:
        if kind in _EFFECTS:
            program = _EFFECTS[kind]
            sound = Sound("program", program, gm_program_name(program))
            entries.extend((word, sound) for word in words)
    return entries


def layer_of(sound: Sound) -> tuple[Layer, ...]:
    """The layers a sound may play, preferred first."""
    if sound.kind != "program":
        return ("drums",)
    p = sound.number
    if 32 <= p <= 39:
        return ("bass",)
    if p in (52, 53, 54, 85, 91):
        return ("choir", "pad", "lead")
    if 48 <= p <= 51 or 88 <= p <= 95 or p in (44, 49, 98, 99):
        return ("pad", "chords", "lead")
    if 0 <= p <= 7 or 16 <= p <= 31 or p in (46,):
        return ("chords", "lead", "pad")
    if p in (47, 116, 117, 118, 119, 55):
        return ("texture", "lead")
    if 96 <= p <= 103 or p >= 120:
        return ("texture",)
    return ("lead", "chords", "pad", "texture")
