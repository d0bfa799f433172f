"""How long a MusicGen clip takes, and how many bars ahead it must be asked for."""

from __future__ import annotations

__all__ = ["DEFAULT_MODEL", "FRAME_RATE", "PAD_BARS", "PAD_SECONDS", "bars_ahead",
           "generated_seconds", "render_seconds"]

import math

DEFAULT_MODEL = "facebook/musicgen-small"
FRAME_RATE = 50  # EnCodec token frames per second of every MusicGen checkpoint
PAD_BARS = 1  # generated beyond the clip, so the fitter can start on a downbeat
PAD_SECONDS = 0.5


def generated_seconds(bars: int, tempo: float, beats_per_bar: int) -> float:
    """Seconds of audio generated for a clip of `bars` bars (the clip plus padding)."""
    return (bars + PAD_BARS) * beats_per_bar * 60.0 / tempo + PAD_SECONDS


def render_seconds(bars: int, tempo: float, beats_per_bar: int, steps_per_second: float,
                   fit_seconds: float = 0.0, frame_rate: float = FRAME_RATE) -> float:
    """Wall-clock seconds to generate and fit such a clip at `steps_per_second`."""
    steps = generated_seconds(bars, tempo, beats_per_bar) * frame_rate
    return steps / max(steps_per_second, 1e-9) + fit_seconds


def bars_ahead(seconds: float, tempo: float, beats_per_bar: int) -> int:
    """Bars before its launch a clip taking `seconds` must be requested (its render,
    then the next bar line)."""
    bar = beats_per_bar * 60.0 / tempo
    return math.ceil(seconds / bar) + 1
