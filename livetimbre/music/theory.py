"""Music theory: note names, keys and modes, scales, roman-numeral chords."""

from __future__ import annotations

__all__ = [
    "MODES",
    "Chord",
    "Key",
    "Meter",
    "chord_from_roman",
    "harmonize",
    "note_name",
    "parse_key",
    "parse_meter",
    "parse_pitch_class",
]

import re
from dataclasses import dataclass

from livetimbre.errors import ValueProblem

_NAMES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
_LETTERS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}

MODES: dict[str, tuple[int, ...]] = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "phrygian": (0, 1, 3, 5, 7, 8, 10),
    "lydian": (0, 2, 4, 6, 7, 9, 11),
    "mixolydian": (0, 2, 4, 5, 7, 9, 10),
    "locrian": (0, 1, 3, 5, 6, 8, 10),
    "harmonic minor": (0, 2, 3, 5, 7, 8, 11),
}
_MODE_ALIASES = {
    "": "major", "maj": "major", "ionian": "major", "m": "minor", "min": "minor",
    "aeolian": "minor", "harmonic_minor": "harmonic minor", "harmonic-minor": "harmonic minor",
}


def parse_pitch_class(text: str) -> int:
    """'C' → 0, 'F#' → 6, 'Bb' → 10; raises ValueProblem naming the text."""
    t = text.strip()
    if not t or t[0].upper() not in _LETTERS:
        raise ValueProblem(f"'{text}' is not a note name (expected A-G with optional # or b).")
    pc = _LETTERS[t[0].upper()]
    for ch in t[1:]:
        if ch in "#♯":
            pc += 1
        elif ch in "b♭":
            pc -= 1
        else:
            raise ValueProblem(f"'{text}' is not a note name (expected A-G with optional # or b).")
    return pc % 12


def note_name(midi: int) -> str:
    """MIDI note number → name with octave, e.g. 60 → 'C4'."""
    return f"{_NAMES[midi % 12]}{midi // 12 - 1}"


@dataclass(frozen=True)
class Key:
    """A tonic pitch class and a mode."""

    tonic: int
    mode: str

    @property
    def intervals(self) -> tuple[int, ...]:
        return MODES[self.mode]

    @property
    def is_minor(self) -> bool:
        return self.intervals[2] == 3

    def __str__(self) -> str:
        return f"{_NAMES[self.tonic]} {self.mode}"

    def scale_pitches(self, low: int, high: int) -> list[int]:
        """Every MIDI pitch of the scale in [low, high]."""
        pcs = {(self.tonic + i) % 12 for i in self.intervals}
        return [p for p in range(low, high + 1) if p % 12 in pcs]

    def scale_step(self, pitch: int, direction: int) -> int:
        """The scale tone next to MIDI `pitch`: above it when `direction` > 0, else below
        (every mode's steps are 3 semitones at most)."""
        scale = self.scale_pitches(pitch - 3, pitch + 3)
        if direction > 0:
            return min((p for p in scale if p > pitch), default=pitch + 2)
        return max((p for p in scale if p < pitch), default=pitch - 2)

    def degree_pitch_class(self, degree: int) -> int:
        """Pitch class of scale degree `degree` (0-based, wraps)."""
        return (self.tonic + self.intervals[degree % 7]) % 12


def parse_key(text: str) -> Key:
    """'A minor', 'Am', 'F# dorian', 'Eb', 'C major' → Key."""
    t = text.strip()
    m = re.fullmatch(r"([A-Ga-g][#b♯♭]?)\s*(.*)", t)
    if not m:
        raise ValueProblem(f"'{text}' is not a key (try 'A minor', 'Am' or 'F# dorian').")
    tonic = parse_pitch_class(m.group(1))
    mode_text = m.group(2).strip().lower()
    mode = _MODE_ALIASES.get(mode_text, mode_text)
    if mode not in MODES:
        known = ", ".join(MODES)
        raise ValueProblem(f"'{text}': unknown mode '{m.group(2).strip()}' (known: {known}).")
    return Key(tonic, mode)


@dataclass(frozen=True)
class Meter:
    """A time signature: `beats` per bar of note value 1/`unit`."""

    beats: int
    unit: int

    def __str__(self) -> str:
        return f"{self.beats}/{self.unit}"

    @property
    def steps_per_beat(self) -> int:
        """Sixteenth-note grid steps in one beat of this meter."""
        return 16 // self.unit

    @property
    def steps_per_bar(self) -> int:
        return self.beats * self.steps_per_beat

    @property
    def is_compound(self) -> bool:
        return self.unit == 8 and self.beats % 3 == 0


def parse_meter(text: str) -> Meter:
    """'4/4' → Meter(4, 4); beats 1-16, unit 2, 4, 8 or 16."""
    m = re.fullmatch(r"\s*(\d{1,2})\s*/\s*(\d{1,2})\s*", str(text))
    if not m:
        raise ValueProblem(f"'{text}' is not a time signature (try '4/4', '3/4' or '6/8').")
    beats, unit = int(m.group(1)), int(m.group(2))
    if not 1 <= beats <= 16 or unit not in (2, 4, 8, 16):
        raise ValueProblem(
            f"'{text}' is not a supported time signature (1-16 beats of 1/2, 1/4, 1/8 or 1/16)."
        )
    return Meter(beats, unit)


_ROMAN = {"i": 0, "ii": 1, "iii": 2, "iv": 3, "v": 4, "vi": 5, "vii": 6}
_QUALITY = {
    "maj": (0, 4, 7), "min": (0, 3, 7), "dim": (0, 3, 6), "aug": (0, 4, 8),
    "sus2": (0, 2, 7), "sus4": (0, 5, 7),
}


@dataclass(frozen=True)
class Chord:
    """A chord as a root pitch class and intervals above it."""

    symbol: str
    root: int
    intervals: tuple[int, ...]
    chromatic: bool = False  # a deliberate choice outside the key's scale

    def pitch_classes(self) -> list[int]:
        return [(self.root + i) % 12 for i in self.intervals]

    @property
    def fifth(self) -> int:
        """The fifth above the root in semitones (7 unless it is altered)."""
        return next((i for i in self.intervals if i in (6, 7, 8)), 7)


def chord_from_roman(symbol: str, key: Key) -> Chord:
    """A roman numeral taken literally, relative to `key`'s own scale: case gives the
    quality (a trailing '!' is allowed: `harmonize` reads it as "literally").

    'i' in A minor is A minor, 'VI' is F major, 'V7' is E7; an accidental counts from
    the tonic's major scale, so 'bVII' is G major in A minor and Bb major in C major;
    'ii°'/'iidim' diminished, 'IVmaj7', 'vi7', 'Isus4', 'iiadd9'.
    """
    m = re.fullmatch(
        r"([b#♭♯]?)(i{1,3}|iv|vi{0,2}|v|I{1,3}|IV|VI{0,2}|V)"
        r"(°|o|dim|\+|aug|sus2|sus4)?(maj7|7|9|add9|6)?!?",
        symbol.strip(),
    )
    if not m:
        raise ValueProblem(f"'{symbol}' is not a roman-numeral chord (try 'i', 'VI', 'V7').")
    accidental, numeral, quality_mark, extension = m.groups()
    degree = _ROMAN[numeral.lower()]
    if accidental:  # as in common practice, relative to the tonic's major scale
        root = key.tonic + MODES["major"][degree] + {"b": -1, "♭": -1}.get(accidental, 1)
    else:
        root = key.degree_pitch_class(degree)
    upper = numeral[0].isupper()
    if quality_mark in ("°", "o", "dim"):
        quality = "dim"
    elif quality_mark in ("+", "aug"):
        quality = "aug"
    elif quality_mark in ("sus2", "sus4"):
        quality = quality_mark
    else:
        quality = "maj" if upper else "min"
    intervals = list(_QUALITY[quality])
    if extension == "maj7":
        intervals.append(11)
    elif extension in ("7", "9"):
        intervals.append(9 if quality == "dim" else 10)
    elif extension == "6":
        intervals.append(9)
    if extension in ("9", "add9"):
        intervals.append(14)
    return Chord(symbol, root % 12, tuple(intervals))


_DIATONIC_EXTENSIONS = {"": (0, 2, 4), "7": (0, 2, 4, 6), "maj7": (0, 2, 4, 6),
                        "9": (0, 2, 4, 6, 8), "add9": (0, 2, 4, 8), "6": (0, 2, 4, 5)}
_GENRE_EXTENSIONS = {"triads": "", "sevenths": "7", "ninths": "9"}


def _diatonic(symbol: str, degree: int, key: Key, steps: tuple[int, ...]) -> Chord:
    """The chord stacked from `key`'s own scale on `degree` (0-based) at scale `steps`."""
    scale = key.intervals
    base = scale[degree]
    intervals = tuple(scale[(degree + s) % 7] + 12 * ((degree + s) // 7) - base for s in steps)
    return Chord(symbol, (key.tonic + base) % 12, intervals)


def harmonize(symbol: str, key: Key, extensions: str = "triads") -> Chord:
    """A progression symbol as a chord of `key`, the way a genre profile means it.

    A plain numeral names a scale degree; its chord is stacked from the key's own mode
    (so 'i' in F# major is F# major and 'IV' in A minor is D minor; case is only a
    reading aid). 'sus2', 'sus4', '6', '7', '9', 'add9' pick scale tones too, and
    `extensions` ('sevenths', 'ninths') adds diatonic sevenths or ninths. A degree whose
    triad is diminished is replaced by the chord a third below it (vii° → V, ii° in
    minor → VII), which shares two of its notes, unless the symbol asks for '°'.
    A symbol with an accidental or a trailing '!' is a deliberate chromatic choice
    (a borrowed chord, a secondary dominant): taken literally by `chord_from_roman`
    and marked `chromatic` when it leaves the scale.
    """
    text = symbol.strip()
    literal = chord_from_roman(text, key)  # validates the symbol, names it on error
    if text.endswith("!") or text[:1] in "b#♭♯":
        scale = {(key.tonic + i) % 12 for i in key.intervals}
        outside = any(pc not in scale for pc in literal.pitch_classes())
        return Chord(text, literal.root, literal.intervals, chromatic=outside)
    m = re.fullmatch(r"(i{1,3}|iv|vi{0,2}|v)(°|o|dim|\+|aug|sus2|sus4)?(maj7|7|9|add9|6)?",
                     text, flags=re.IGNORECASE)
    assert m is not None  # chord_from_roman accepted it and it has no accidental
    numeral, mark, extension = m.group(1), m.group(2) or "", m.group(3) or ""
    degree = _ROMAN[numeral.lower()]
    steps = list(_DIATONIC_EXTENSIONS[extension or _GENRE_EXTENSIONS.get(extensions, "")])
    if mark in ("sus2", "sus4"):
        steps[1] = 1 if mark == "sus2" else 3
    chord = _diatonic(text, degree, key, tuple(steps))
    diminished = chord.intervals[1:3] == (3, 6)
    if diminished and degree != 0 and mark not in ("°", "o", "dim") and key.mode != "locrian":
        chord = _diatonic(text, (degree - 2) % 7, key, tuple(steps))
    return chord
