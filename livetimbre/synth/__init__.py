"""Synths: note events → float32 stereo audio (FluidSynth, or the numpy fallback)."""

from livetimbre.synth.base import Synth, fold_loop, note_frames
from livetimbre.synth.select import choose_synth

__all__ = ["Synth", "choose_synth", "fold_loop", "note_frames"]
