"""FluidSynth through pyfluidsynth: SoundFont rendering, offline, to float32 stereo.

Each render gets a fresh FluidSynth instance, so reverb and voice state never leak
from one clip into the next and the same notes always give the same samples. A
long-lived instance keeps the SoundFont in FluidSynth's sample cache, which makes the
per-render load take a few tens of milliseconds instead of half a second.
"""

from __future__ import annotations

__all__ = ["FluidSynthRenderer", "fluidsynth_available"]

import ctypes
import threading
from fractions import Fraction
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from livetimbre.errors import SoundFontError
from livetimbre.music.notes import Part
from livetimbre.synth.base import note_frames

_TAIL_SECONDS = 4.0
# Load only the samples a render uses; the keeper instance holds the whole font in
# FluidSynth's sample cache, so this costs ~20 ms per render instead of ~70 ms.
_SETTINGS = {"synth.dynamic-sample-loading": 1}
_SILENCE = 1e-5  # −100 dBFS: a tail quieter than this is over
_GAIN = 0.4
_keepers: dict[tuple[str, int], Any] = {}
_lock = threading.Lock()


def _load_module() -> tuple[ModuleType | None, str]:
    try:
        import fluidsynth
    except (ImportError, OSError) as exc:
        return None, f"pyfluidsynth/libfluidsynth unavailable ({exc})"
    return fluidsynth, ""


def fluidsynth_available() -> tuple[bool, str]:
    """(available, reason when not)."""
    module, reason = _load_module()
    return module is not None, reason


class FluidSynthRenderer:
    """Renders parts with a SoundFont; one instance per process is enough."""

    name = "fluidsynth"

    def __init__(self, soundfont: Path, sample_rate: int) -> None:
        module, reason = _load_module()
        if module is None:
            raise SoundFontError(f"FluidSynth cannot be used: {reason}.")
        self._fs = module
        self.soundfont = soundfont
        self.sample_rate = sample_rate
        self._write_float = module.cfunc(
            "fluid_synth_write_float", ctypes.c_int,
            ("synth", ctypes.c_void_p, 1), ("len", ctypes.c_int, 1),
            ("lbuf", ctypes.c_void_p, 1), ("loff", ctypes.c_int, 1),
            ("lincr", ctypes.c_int, 1), ("rbuf", ctypes.c_void_p, 1),
            ("roff", ctypes.c_int, 1), ("rincr", ctypes.c_int, 1),
        )
        self._version = self._library_version()
        with _lock:
            key = (str(soundfont), sample_rate)
            if key not in _keepers:
                keeper, _ = self._new_synth(keep_all_samples=True)
                _keepers[key] = keeper

    def _library_version(self) -> str:
        try:
            major, minor, micro = ctypes.c_int(), ctypes.c_int(), ctypes.c_int()
            getter = self._fs.cfunc(
                "fluid_version", None, ("major", ctypes.c_void_p, 1),
                ("minor", ctypes.c_void_p, 1), ("micro", ctypes.c_void_p, 1),
            )
            getter(ctypes.byref(major), ctypes.byref(minor), ctypes.byref(micro))
            return f"{major.value}.{minor.value}.{micro.value}"
        except (AttributeError, OSError):
            return "unknown"

    def _new_synth(self, keep_all_samples: bool = False) -> tuple[Any, int]:
        settings = {} if keep_all_samples else _SETTINGS
        synth = self._fs.Synth(gain=_GAIN, samplerate=self.sample_rate, **settings)
        sfid = synth.sfload(str(self.soundfont))
        if sfid == -1:
            synth.delete()
            raise SoundFontError(f"FluidSynth could not load the SoundFont {self.soundfont}.")
        return synth, sfid

    def describe(self) -> dict[str, str]:
        return {
            "synth": self.name,
            "soundfont": str(self.soundfont),
            "fluidsynth_version": self._version,
        }

    def render(self, part: Part, samples_per_meter_beat: Fraction, frames: int) -> np.ndarray:
        tail = int(_TAIL_SECONDS * self.sample_rate)
        out = np.zeros((frames + tail, 2), np.float32)
        events: list[tuple[int, int, int, int]] = []  # (frame, order, pitch, velocity)
        for note in part.notes:
            on, off = note_frames(note, samples_per_meter_beat)
            events.append((on, 1, note.pitch, note.velocity))
            events.append((off, 0, note.pitch, 0))
        events.sort()
        synth, sfid = self._new_synth()
        try:
            channel = part.channel
            if synth.program_select(channel, sfid, part.bank, part.program) != 0:
                synth.program_select(channel, sfid, part.bank, 0)
            synth.cc(channel, 91, round(part.reverb * 127))
            synth.cc(channel, 93, 0)
            pointer = out.ctypes.data
            position = 0
            for frame, kind, pitch, velocity in events:
                frame = min(frame, out.shape[0])
                if frame > position:
                    self._write(synth, pointer, position, frame - position)
                    position = frame
                if kind == 1:
                    synth.noteon(channel, pitch, velocity)
                else:
                    synth.noteoff(channel, pitch)
            # Render the release tail until it has died away (or the tail limit).
            chunk = self.sample_rate // 4
            end = max(position, frames)
            if end > position:
                self._write(synth, pointer, position, end - position)
            while end < out.shape[0]:
                count = min(chunk, out.shape[0] - end)
                self._write(synth, pointer, end, count)
                end += count
                if float(np.abs(out[end - count:end]).max()) < _SILENCE:
                    break
        finally:
            synth.delete()
        return out[:end]

    def _write(self, synth: Any, pointer: int, start: int, count: int) -> None:
        self._write_float(synth.synth, count, pointer, start * 2, 2, pointer, start * 2 + 1, 2)
