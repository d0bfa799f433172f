"""General MIDI instruments: layer roles, keyword lookup and drum-kit names.

Prompts and patches name instruments in words ("synth bass", "rhodes", "808 kit");
this module turns those words into General MIDI programs and tells which musical
role (drums, bass, chords, ...) a layer plays.
"""

from __future__ import annotations

__all__ = [
    "DRUM_KITS",
    "DRUM_NOTES",
    "GM_KEYWORDS",
    "ROLES",
    "ROLE_WORDS",
    "VOICE_PROGRAM",
    "Role",
    "find_drum_kit",
    "find_program",
    "role_for_layer",
]

import re
from typing import Literal

Role = Literal["drums", "bass", "chords", "pad", "lead", "arp", "texture", "vocals"]
ROLES: tuple[Role, ...] = ("drums", "bass", "chords", "pad", "lead", "arp", "texture",
                          "vocals")

# GM "voice oohs": a vocals layer's program (its MIDI export, and the wordless choir a
# vocals clip falls back to when no singer is available).
VOICE_PROGRAM = 53

# Drum voices used by genre patterns → General MIDI percussion keys (channel 10).
DRUM_NOTES: dict[str, int] = {
    "kick": 36, "rim": 37, "snare": 38, "clap": 39, "snare2": 40, "tom_low": 45,
    "hat": 42, "pedal_hat": 44, "open_hat": 46, "tom_mid": 47, "tom_high": 50,
    "crash": 49, "ride": 51, "ride_bell": 53, "tambourine": 54, "cowbell": 56,
    "conga_high": 62, "conga_low": 64, "shaker": 70, "clave": 75, "woodblock": 76,
    # hand and orchestral percussion (tabla, darbuka, timbales, campana; timpani in the
    # orchestra kit sit on the tom keys)
    "bongo_high": 60, "bongo_low": 61, "conga_open": 63, "timbale_high": 65,
    "timbale_low": 66, "agogo_high": 67, "agogo_low": 68, "cabasa": 69, "guiro": 73,
    "triangle": 81,
}

# Bank-128 drum kit presets of a General MIDI / GS SoundFont.
DRUM_KITS: dict[str, int] = {
    "standard": 0, "room": 8, "power": 16, "electronic": 24, "808": 25, "tr-808": 25,
    "jazz": 32, "brush": 40, "brushes": 40, "orchestra": 48,
}

# Keywords (longest match wins) → General MIDI program number (0-based).
GM_KEYWORDS: dict[str, int] = {
    "grand piano": 0, "piano": 0, "bright piano": 1, "electric grand": 2, "honky": 3,
    "rhodes": 4, "electric piano": 4, "epiano": 4, "wurlitzer": 5, "harpsichord": 6,
    "clavinet": 7, "clav": 7, "celesta": 8, "glockenspiel": 9, "music box": 10,
    "vibraphone": 11, "vibes": 11, "marimba": 12, "xylophone": 13, "tubular bells": 14,
    "bells": 14, "dulcimer": 15, "organ": 16, "drawbar organ": 16, "percussive organ": 17,
    "rock organ": 18, "church organ": 19, "accordion": 21, "harmonica": 22,
    "nylon guitar": 24, "acoustic guitar": 25, "steel guitar": 25, "jazz guitar": 26,
    "clean guitar": 27, "guitar": 27, "muted guitar": 28, "overdrive guitar": 29,
    "distorted guitar": 30, "distortion guitar": 30, "acoustic bass": 32,
    "upright bass": 32, "double bass": 32, "fingered bass": 33, "electric bass": 33,
    "picked bass": 34, "fretless bass": 35, "slap bass": 36, "synth bass": 38,
    "analog bass": 38, "sub bass": 38, "reese bass": 39, "reese": 39, "808 bass": 38,
    "acid bass": 39,
    "violin": 40, "viola": 41, "cello": 42, "contrabass": 43, "tremolo strings": 44,
    "pizzicato": 45, "pluck": 45, "harp": 46, "timpani": 47, "strings": 48,
    "string ensemble": 48, "slow strings": 49, "synth strings": 50, "choir": 52,
    "voice": 53, "voices": 53, "orchestra hit": 55, "trumpet": 56, "trombone": 57,
    "tuba": 58, "muted trumpet": 59, "french horn": 60, "horn": 60, "horns": 61,
    "brass": 61, "synth brass": 62, "soprano sax": 64, "alto sax": 65, "sax": 65,
    "saxophone": 65, "tenor sax": 66, "baritone sax": 67, "oboe": 68, "english horn": 69,
    "bassoon": 70, "clarinet": 71, "piccolo": 72, "flute": 73, "recorder": 74,
    "pan flute": 75, "whistle": 78, "ocarina": 79, "square lead": 80, "square": 80,
    "chiptune": 80, "saw lead": 81, "sawtooth": 81, "synth lead": 81,
    "analog lead": 81, "calliope": 82, "chiff": 83, "charang": 84, "voice lead": 85,
    "fifths": 86, "bass lead": 87, "new age pad": 88, "warm pad": 89,
    "analog pad": 90, "polysynth": 90, "choir pad": 91, "bowed pad": 92, "glass pad": 92,
    "metallic pad": 93, "halo pad": 94, "sweep pad": 95, "rain": 96, "soundtrack": 97,
    "crystal": 98, "atmosphere": 99, "brightness": 100, "goblins": 101, "echoes": 102,
    "sci-fi": 103, "sitar": 104, "banjo": 105, "shamisen": 106, "koto": 107,
    "kalimba": 108, "bagpipe": 109, "fiddle": 110, "steel drums": 114, "steel drum": 114,
}

ROLE_WORDS: dict[Role, tuple[str, ...]] = {
    # first: "lead vocal" is a singer; "choir" stays a pad (a wordless texture)
    "vocals": ("vocals", "vocal", "voice", "singer", "singing", "vox", "lyrics"),
    "drums": ("drum", "drums", "kit", "beat", "beats", "perc", "percussion", "hats", "kick"),
    "bass": ("bass", "bassline", "sub", "low"),
    "pad": ("pad", "pads", "strings", "atmos", "atmosphere", "drone", "choir"),
    "lead": ("lead", "melody", "hook", "solo", "topline", "sax", "flute", "trumpet",
             "melodica", "harmonica"),
    "arp": ("arp", "arps", "arpeggio", "sequence", "seq", "pluck", "plucks"),
    "chords": ("chords", "chord", "keys", "piano", "rhodes", "organ", "comp", "stabs", "guitar"),
    "texture": ("texture", "fx", "noise", "ambience", "ambient", "field", "bells", "rain",
                "storm", "vinyl", "crackle", "riser", "uplifter", "downlifter", "sweep",
                "ocean", "wave", "surf", "seashore", "bird", "applause", "helicopter", "hum"),
}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9\-]+", text.lower())


def role_for_layer(name: str, instrument: str = "") -> Role:
    """The musical role of a layer, from its name first, then its instrument words (a
    name's parts count too: 'lead-vocal' is a singer)."""
    for source in (name, instrument):
        words = _words(source)
        words += [part for word in words if "-" in word for part in word.split("-") if part]
        for role, keys in ROLE_WORDS.items():
            if any(w in keys or w.rstrip("s") in keys for w in words):
                return role
    return "chords"


def find_program(text: str) -> int | None:
    """The General MIDI program named in `text` (longest keyword wins), or None."""
    lowered = " ".join(_words(text))
    best: tuple[int, int] | None = None
    for keyword, program in GM_KEYWORDS.items():
        if re.search(rf"(?<![a-z0-9]){re.escape(keyword)}(?![a-z0-9])", lowered) and (
            best is None or len(keyword) > best[0]
        ):
            best = (len(keyword), program)
    return None if best is None else best[1]


def find_drum_kit(text: str) -> int | None:
    """The bank-128 kit preset named in `text` ('808 kit', 'jazz kit'), or None."""
    words = _words(text)
    for word in words:
        if word in DRUM_KITS:
            return DRUM_KITS[word]
    return None
