"""What a sung clip or section carries to its sidecar, the render cache and the grid:
its voice, who sang it (or why a wordless choir did), its range and its lyric lines."""

from __future__ import annotations

__all__ = ["SungLine", "VocalInfo", "line_at", "vocal_info"]

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from livetimbre.voice.lyric_events import lyric_events
from livetimbre.voice.melody import VocalSpec
from livetimbre.voice.score import LyricLine, VocalLine


class SungLine(BaseModel):
    """A line of the lyric: its start (beats from the clip's start), text and section."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: float
    text: str
    section: str


class VocalInfo(BaseModel):
    """The VocalSpec of a rendered clip or section, as its sidecar shows it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    voice: str  # soprano, alto, tenor, baritone
    singer: str  # who sang: the synthesiser, or the wordless choir standing in
    sung: bool  # False: a wordless choir played the melody (`note` says why)
    note: str = ""
    own_words: bool = False  # words came with the plan (/lyrics, a patch, a song's lyric)
    beats: float
    notes: int
    syllables: int
    melismas: int
    lowest: int | None = None  # MIDI notes of the line's range
    highest: int | None = None
    lines: list[SungLine]
    events: list[tuple[float, str]] = []  # (beat, syllable): the MIDI lyric events
    spec: VocalSpec | None = None  # the melody's plan (phrases, motif, range)


def vocal_info(line: VocalLine, *, singer: str, sung: bool, note: str = "",
               own_words: bool = False, spec: VocalSpec | None = None) -> VocalInfo:
    """The info of `line` as sung by `singer`."""
    pitches = [n.pitch for n in line.notes]
    return VocalInfo(
        voice=line.voice, singer=singer, sung=sung, note=note, own_words=own_words,
        beats=line.beats, notes=len(line.notes), syllables=line.syllables,
        melismas=sum(1 for n in line.notes if n.melisma),
        lowest=min(pitches) if pitches else None, highest=max(pitches) if pitches else None,
        lines=[SungLine(start=x.start, text=x.text, section=x.section) for x in line.lines],
        events=lyric_events(line), spec=spec,
    )


def line_at(lines: Sequence[SungLine | LyricLine], beat: float) -> str:
    """The text of the line being sung at `beat` (the last one started), '' before the
    first."""
    current = ""
    for line in sorted(lines, key=lambda x: x.start):
        if line.start > beat + 1e-9:
            break
        current = line.text
    return current
