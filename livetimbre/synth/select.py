"""Choosing a synth by name: 'auto' prefers FluidSynth and falls back to 'basic'."""

from __future__ import annotations

__all__ = ["SYNTH_CHOICES", "choose_synth"]

from pathlib import Path

from livetimbre.errors import SoundFontError
from livetimbre.synth.base import Synth
from livetimbre.synth.basic import BasicSynth
from livetimbre.synth.soundfonts import find_soundfont

SYNTH_CHOICES = ("auto", "fluidsynth", "basic")


def choose_synth(
    name: str, sample_rate: int, soundfont: Path | None = None, home: Path | None = None
) -> tuple[Synth, str]:
    """(synth, note): the note says why 'auto' fell back to 'basic', else is empty.

    An explicitly requested SoundFont that is missing is an error even under 'auto':
    the user asked for it, so silently using another sound would hide the mistake.
    """
    if name not in SYNTH_CHOICES:
        raise SoundFontError(f"Unknown synth '{name}' (choose from {', '.join(SYNTH_CHOICES)}).")
    if name == "basic":
        return BasicSynth(sample_rate), ""
    from livetimbre.synth.fluid import FluidSynthRenderer, fluidsynth_available

    available, reason = fluidsynth_available()
    if soundfont is not None or name == "fluidsynth":
        font = find_soundfont(soundfont, home)
        if not available:
            raise SoundFontError(f"FluidSynth cannot be used: {reason}.")
        return FluidSynthRenderer(font, sample_rate), ""
    if not available:
        return BasicSynth(sample_rate), f"using the basic synth: {reason}"
    try:
        font = find_soundfont(None, home)
    except SoundFontError as exc:
        return BasicSynth(sample_rate), f"using the basic synth: {exc}"
    return FluidSynthRenderer(font, sample_rate), ""
