"""Synchronised lyrics: the `.lrc` file written beside a track (or a render) that sings.

Each line of the lyric is stamped `[mm:ss.xx]` at its start: beats of the meter turned
into seconds at the tempo, which counts quarter notes per minute whatever the meter (a
beat of 7/8 is an eighth note, half a quarter).
"""

from __future__ import annotations

__all__ = ["beat_seconds", "lrc_stamp", "lrc_text"]

from collections.abc import Iterable

from livetimbre.music.theory import Meter
from livetimbre.voice.score import LyricLine


def beat_seconds(tempo: float, meter: Meter) -> float:
    """How long one beat of `meter` lasts at `tempo` quarter notes per minute."""
    return 60.0 / tempo * 4.0 / meter.unit


def lrc_stamp(seconds: float) -> str:
    """`[mm:ss.xx]` for a time in seconds (hundredths rounded; minutes past 99 go on)."""
    hundredths = max(0, round(seconds * 100))
    minutes, rest = divmod(hundredths, 6000)
    return f"[{minutes:02d}:{rest // 100:02d}.{rest % 100:02d}]"


def lrc_text(lines: Iterable[LyricLine], tempo: float, meter: Meter, *, title: str = "",
             offset_s: float = 0.0) -> str:
    """The `.lrc` text of `lines` (start beats from the start of the audio, after
    `offset_s` seconds of lead-in), one stamped line each, in time order; line breaks
    inside a line's text become spaces."""
    beat = beat_seconds(tempo, meter)
    head = [f"[ti:{' '.join(title.split())}]"] if title.strip() else []
    body = [f"{lrc_stamp(offset_s + line.start * beat)}{' '.join(line.text.split())}"
            for line in sorted(lines, key=lambda line: line.start)]
    return "\n".join([*head, "[by:livetimbre]", *body]) + "\n"
