"""What a singer reads: the notes of a vocal line, each with the syllable sung on it.

The lyric and melody writers produce a `VocalLine`; the singing synthesiser, the MIDI
export (lyric meta-events), the `.lrc` writer and the grid read it. Times are in beats
of the meter from the clip (or section) start, as in `music.notes`.
"""

from __future__ import annotations

__all__ = [
    "VOICE_RANGES",
    "VOICE_TYPES",
    "LyricLine",
    "SungNote",
    "VocalLine",
    "VoiceType",
]

from dataclasses import dataclass
from typing import Literal

VoiceType = Literal["soprano", "alto", "tenor", "baritone"]
VOICE_TYPES: tuple[VoiceType, ...] = ("soprano", "alto", "tenor", "baritone")

# The comfortable range of each voice type as MIDI notes (lowest, highest), as choral
# writing gives it: soprano C4–A5, alto G3–E5, tenor C3–A4, baritone A2–F4.
VOICE_RANGES: dict[VoiceType, tuple[int, int]] = {
    "soprano": (60, 81),
    "alto": (55, 76),
    "tenor": (48, 69),
    "baritone": (45, 65),
}


@dataclass(frozen=True, slots=True)
class SungNote:
    """One sung note. A syllable spans one note, or several when it is a melisma: the
    notes after the first carry `melisma=True` and the same syllable and word."""

    start: float
    duration: float
    pitch: int
    velocity: int
    syllable: str
    word: str
    syllable_index: int
    phonemes: tuple[str, ...] = ()
    stressed: bool = False
    melisma: bool = False
    breath_after: bool = False


@dataclass(frozen=True, slots=True)
class LyricLine:
    """A line of the lyric as printed (and timed in a `.lrc` file): where it starts."""

    start: float
    text: str
    section: str


@dataclass(frozen=True)
class VocalLine:
    """A voice's notes for one clip or section, with the lines of lyric they sing."""

    voice: VoiceType
    beats: float
    notes: tuple[SungNote, ...]
    lines: tuple[LyricLine, ...]

    @property
    def syllables(self) -> int:
        """How many syllables are sung (a melisma counts once)."""
        return sum(1 for n in self.notes if not n.melisma)
