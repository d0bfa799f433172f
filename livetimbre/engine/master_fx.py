"""The master's performance effects: stutter (beat repeat) and tape stop.

Both work on the master mix before its gain and limiter, on the audio thread. They
record what plays into one preallocated buffer from the moment they engage, and read
it back: the stutter loops its first slice (crossfaded at every seam), the tape stop
reads it ever slower until it halts. Leaving either crossfades back to the live mix.
"""

from __future__ import annotations

__all__ = ["TAPESTOP_BEATS", "MasterFx"]

import numpy as np

from livetimbre.engine.mixer import crossfade_curves
from livetimbre.music.values import MIN_TEMPO

TAPESTOP_BEATS = 2.0  # how long the tape takes to halt
_SEAM_MS = 3.0  # the crossfade at each stutter seam, and back to live


class MasterFx:
    """Stutter and tape stop. Engage with `stutter_at` / `tapestop_on`, leave with
    `release`; `process` runs them over each block of the master."""

    def __init__(self, sample_rate: int, max_block: int) -> None:
        self.sample_rate = sample_rate
        self._seam = max(2, round(_SEAM_MS / 1000 * sample_rate))
        self._fade_in, self._fade_out = crossfade_curves(self._seam)
        longest = TAPESTOP_BEATS * 60 / MIN_TEMPO * sample_rate
        self._tape = np.zeros((int(longest) + 2 * max_block + self._seam, 2), np.float32)
        self._live = np.zeros((max_block, 2), np.float32)
        self._steps = np.arange(max_block, dtype=np.float64)
        self.stutter_frames = 0  # the slice length while stuttering, else 0
        self.tape_frames = 0  # the frames the tape takes to halt while stopping, else 0
        self._start = 0  # the frame recording began
        self._recorded = 0
        self._leaving = 0  # frames into the crossfade back to live; 0 when not leaving
        self._pending: tuple[str, int, int] | None = None  # engaged after that crossfade
        self._now = 0  # the frame the next block starts on

    @property
    def active(self) -> bool:
        return bool(self.stutter_frames or self.tape_frames or self._leaving)

    def stutter_at(self, frame: int, slice_frames: int) -> None:
        """Loop the `slice_frames` that play from `frame` on (0: stop stuttering)."""
        if slice_frames <= 0:
            self._stop("stutter")
            return
        self._engage("stutter", frame, min(slice_frames, self._tape.shape[0] - self._seam))

    def tapestop(self, frame: int, halt_frames: int) -> None:
        """Slow the master from `frame` to a halt over `halt_frames` (0: play on)."""
        if halt_frames <= 0:
            self._stop("tape")
            return
        self._engage("tape", frame, min(halt_frames, self._tape.shape[0]))

    def _stop(self, kind: str) -> None:
        if self._pending is not None and self._pending[0] == kind:
            self._pending = None
        if self.stutter_frames if kind == "stutter" else self.tape_frames:
            self.release()

    def _engage(self, kind: str, frame: int, frames: int) -> None:
        """Start effect `kind` on `frame`; if another is sounding, it first fades back to
        the live mix, and this one starts once that fade is over."""
        now = self._now
        sounding = (self.stutter_frames or self.tape_frames) and now > self._start
        if sounding:
            if not self._leaving:
                self.release()
            faded = now + self._seam - self._leaving + 1  # where that fade ends
            self._pending = (kind, max(frame, faded), frames)
            return
        self._pending = None
        self.stutter_frames = frames if kind == "stutter" else 0
        self.tape_frames = frames if kind == "tape" else 0
        self._start, self._recorded, self._leaving = frame, 0, 0

    def release(self) -> None:
        """Back to the live mix, crossfading from what the effect played."""
        self._leaving = 1

    def process(self, out: np.ndarray, frame: int) -> None:
        """Apply the engaged effect to `out`, the master's frames from `frame` on."""
        n = out.shape[0]
        self._now = frame + n
        if self.active and frame + n > self._start:
            skip = max(0, self._start - frame)
            span = out[skip:]
            self._record(span)
            live = self._live[:span.shape[0]]
            live[:] = span
            if self.stutter_frames:
                self._stutter(span, frame + skip)
            else:
                self._tapestop(span, frame + skip)
            if self._leaving:
                self._leave(span, live)
        pending = self._pending
        if pending is not None and not self.active:
            kind, start, frames = pending
            self._engage(kind, start, frames)
            if start < frame + n:
                self.process(out[max(0, start - frame):], max(start, frame))

    def _record(self, audio: np.ndarray) -> None:
        room = self._tape.shape[0] - self._recorded
        take = min(room, audio.shape[0])
        self._tape[self._recorded:self._recorded + take] = audio[:take]
        self._recorded += take

    def _stutter(self, out: np.ndarray, frame: int) -> None:
        length = self.stutter_frames
        seam = self._seam
        into = frame - self._start
        k = max(0, length - into)  # the first pass plays live while it records
        while k < out.shape[0]:
            position = (into + k) % length
            take = min(out.shape[0] - k, length - position)
            out[k:k + take] = self._tape[position:position + take]
            if position < seam:  # a seam: the slice's start over its continuation
                m = min(take, seam - position)
                out[k:k + m] *= self._fade_in[position:position + m]
                out[k:k + m] += (self._tape[length + position:length + position + m]
                                 * self._fade_out[position:position + m])
            k += take

    def _tapestop(self, out: np.ndarray, frame: int) -> None:
        n = out.shape[0]
        halt = self.tape_frames
        t = np.minimum(self._steps[:n] + (frame - self._start), halt)
        read = t - t * t / (2 * halt)  # position of a tape slowing linearly to a stop
        index = np.clip(read.astype(np.int64), 0, max(0, self._recorded - 2))
        frac = (read - index)[:, None].astype(np.float32)
        out[:] = self._tape[index] * (1 - frac) + self._tape[index + 1] * frac
        speed = (1 - t / halt)[:, None].astype(np.float32)
        out *= np.minimum(1.0, 4 * speed)  # the last quarter fades to silence

    def _leave(self, out: np.ndarray, live: np.ndarray) -> None:
        n = out.shape[0]
        at = self._leaving - 1
        k = min(n, self._seam - at)
        out[:k] *= self._fade_out[at:at + k]
        out[:k] += live[:k] * self._fade_in[at:at + k]
        out[k:] = live[k:]
        self._leaving += k
        if self._leaving > self._seam:
            self._leaving = 0
            self.stutter_frames = self.tape_frames = 0

