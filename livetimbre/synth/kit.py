"""A kit of the user's one-shots playing a drum part in place of the SoundFont's kit.

Each General MIDI percussion key the composer writes plays the one-shot of its voice
(kick 35-36, snare 38/40, clap 39, rim 37, closed and pedal hat 42/44, open hat 46,
toms, crashes, rides, other percussion); a voice the kit lacks borrows a close one
(an open hat the closed hat, a clap or a tom the snare, ...) or stays silent. A one-shot starts
at its note's exact sample, scaled by the velocity; an open hat is cut short (a 5 ms
fade) by the next closed hat, as a drummer's foot does.
"""

from __future__ import annotations

__all__ = ["KitSampler", "voice_for_note"]

import math
from fractions import Fraction
from pathlib import Path

import numpy as np

from livetimbre.files.sound_in import ONE_SHOT, read_user_audio
from livetimbre.music.notes import Part
from livetimbre.planner.sources import KIT_SAMPLER_VERSION, KitPlan
from livetimbre.synth.base import note_frames

_NOTES: dict[str, tuple[int, ...]] = {
    "kick": (35, 36), "snare": (38, 40), "clap": (39,), "rim": (37,), "hat": (42, 44),
    "openhat": (46,), "tom": (41, 43, 45, 47, 48, 50), "crash": (49, 52, 55, 57),
    "ride": (51, 53, 59),
}
_BORROW: dict[str, tuple[str, ...]] = {
    "snare": ("clap", "rim"), "clap": ("snare", "rim"), "rim": ("snare", "clap"),
    "openhat": ("hat",), "ride": ("hat",), "crash": ("ride", "openhat", "hat"),
    "perc": ("rim", "hat"), "tom": ("snare",), "hat": (), "kick": (),
}
_CHOKE_S = 0.005


def voice_for_note(pitch: int) -> str:
    """The kit voice that plays General MIDI percussion key `pitch`."""
    for voice, notes in _NOTES.items():
        if pitch in notes:
            return voice
    return "perc"


class KitSampler:
    """Plays drum parts with the one-shots of a `KitPlan` (a `Synth`)."""

    name = "kit"

    def __init__(self, kit: KitPlan, sample_rate: int) -> None:
        self.kit = kit
        self.sample_rate = sample_rate
        self.shots: dict[str, np.ndarray] = {}
        for voice in kit.voices:
            audio, header = read_user_audio(Path(voice.path), ONE_SHOT)
            if header.sample_rate != sample_rate:
                from scipy.signal import resample_poly

                step = math.gcd(header.sample_rate, sample_rate)
                audio = np.asarray(resample_poly(audio, sample_rate // step,
                                                 header.sample_rate // step, axis=0),
                                   dtype=np.float32)
            self.shots[voice.voice] = audio

    def describe(self) -> dict[str, str]:
        return {"synth": "kit", "kit_sampler": KIT_SAMPLER_VERSION}

    def shot(self, voice: str) -> np.ndarray | None:
        """The one-shot that plays `voice`: its own, a borrowed one, or None."""
        for name in (voice, *_BORROW.get(voice, ())):
            if name in self.shots:
                return self.shots[name]
        return None

    def render(self, part: Part, samples_per_meter_beat: Fraction, frames: int) -> np.ndarray:
        longest = max((s.shape[0] for s in self.shots.values()), default=0)
        out = np.zeros((frames + longest, 2), dtype=np.float32)
        open_hats: list[tuple[int, int, float]] = []  # (start, end, gain) of open hats
        for note in sorted(part.notes, key=lambda n: n.start):
            voice = voice_for_note(note.pitch)
            shot = self.shot(voice)
            if shot is None:
                continue
            on, _off = note_frames(note, samples_per_meter_beat)
            if voice == "hat" and open_hats:
                self._choke(out, open_hats, on)
            end = on + shot.shape[0]
            gain = max(0, min(127, note.velocity)) / 127.0
            out[on:end] += shot * gain
            if voice == "openhat" and "openhat" in self.shots:
                open_hats.append((on, end, gain))
        return out

    def _choke(self, out: np.ndarray, open_hats: list[tuple[int, int, float]], at: int
               ) -> None:
        """Open hats still ringing at sample `at` fade out over 5 ms from there (only
        what they add is taken away)."""
        shot = self.shots["openhat"]
        fade = max(1, round(_CHOKE_S * self.sample_rate))
        for start, end, gain in open_hats:
            if start < at < end:
                kept = np.zeros(end - at, dtype=np.float32)
                head = min(fade, end - at)
                kept[:head] = np.linspace(1.0, 0.0, fade, dtype=np.float32)[:head]
                out[at:end] -= shot[at - start:end - start] * ((1.0 - kept) * gain)[:, None]
        open_hats.clear()
