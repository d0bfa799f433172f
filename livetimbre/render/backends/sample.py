"""The 'sample' backend: a user's own audio loop in a slot, fitted to the bar grid.

The file is read as hostile input (`files.sound_in`), its key estimated (and, when the
clip asks, the loop pitch-shifted into the session's key), played end to end as many
times as the clip's bars need, fitted to the session's grid by `fitting.fit_to_grid`
(beats tracked, Rubber Band, exact cut on a downbeat, seam cross-faded) and balanced
like a generated clip of its layer's role. A tempo or key change plans it again.
"""

from __future__ import annotations

__all__ = ["SampleBackend"]

import math
from importlib.util import find_spec
from pathlib import Path

import numpy as np

from livetimbre import __version__
from livetimbre.errors import RenderError
from livetimbre.files.sound_in import LOOP, read_user_audio
from livetimbre.fitting import FitResult, fit_by_length, fit_to_grid
from livetimbre.fitting.key import estimate_key, semitones_between, shift_pitch
from livetimbre.fitting.stretch import rubberband_available, stretch_along
from livetimbre.music.theory import parse_key, parse_meter
from livetimbre.planner.clip import ClipPlan
from livetimbre.render.backends.base import BackendContext, Progress, RenderedClip
from livetimbre.render.info import ClipInfo, SampleInfo
from livetimbre.render.mixing import balance

SAMPLE_FIT_VERSION = "1"
_SLOWEST = 1.6  # without a given bpm, room for a loop this much slower than the session


def _repeats(frames: int, rate: int, plan: ClipPlan, bpm: float | None) -> int:
    """How many copies of the loop hold the clip's beats and a bar either side."""
    beats = plan.beats + 2 * parse_meter(plan.meter).beats + 1
    seconds = beats * 60.0 / (bpm or plan.tempo / _SLOWEST)
    return max(1, math.ceil(seconds * rate / frames))


class SampleBackend:
    """Fits the loop a plan's `sample` names; see the module."""

    name = "sample"
    note = ""

    def __init__(self, context: BackendContext) -> None:
        self.context = context

    def versions(self) -> dict[str, str]:
        return {"livetimbre": __version__, "sample_fit": SAMPLE_FIT_VERSION,
                "rubberband": "yes" if rubberband_available() else "no"}

    def render(self, plan: ClipPlan, progress: Progress | None = None) -> RenderedClip:
        report = progress or (lambda _fraction: None)
        source = plan.sample
        if source is None:
            raise RenderError(f"{plan.layer}@{plan.scene}: the sample backend plays "
                              "{sample: FILE} clips only.")
        missing = [m for m in ("librosa", "soxr", "pyrubberband") if find_spec(m) is None]
        if missing:
            raise RenderError(f"Playing your own loops needs {', '.join(missing)}: "
                              "pip install 'livetimbre[samples]'.")
        audio, header = read_user_audio(Path(source.path), LOOP)
        rate = header.sample_rate
        report(0.1)
        estimate = estimate_key(audio, rate)
        shift, key_from = 0, None
        if source.key is not None:
            given = None if source.key == "auto" else parse_key(source.key)
            origin = given or (estimate.key if estimate is not None else None)
            if origin is not None:
                key_from = str(origin)
                shift = semitones_between(origin, parse_key(plan.key))
        audio, shifter = shift_pitch(audio, rate, shift)
        report(0.3)
        repeats = _repeats(audio.shape[0], rate, plan, source.bpm)
        played = np.concatenate([audio] * repeats) if repeats > 1 else audio
        meter = parse_meter(plan.meter)
        fitted = fit_to_grid(played, rate, tempo=plan.tempo, meter=meter, bars=plan.bars,
                             engine_rate=plan.sample_rate, source_bpm=source.bpm)
        if fitted.info.fit == "length" and source.bpm:
            fitted = self._by_given_bpm(played, rate, plan, source.bpm, fitted)
        report(0.9)
        loop, measured, gain_db = balance(fitted.audio, plan.role, plan.sample_rate,
                                          plan.theme.dynamics_db)
        report(1.0)
        sample = SampleInfo(
            file=Path(source.path).name[:200], sample_rate=rate, channels=header.channels,
            seconds=round(header.seconds, 3), repeats=repeats, bpm=source.bpm,
            key_estimated=str(estimate.key) if estimate is not None else None,
            key_confidence=estimate.correlation if estimate is not None else None,
            key_from=key_from, shift_semitones=shift, shifter=shifter)
        return RenderedClip(
            plan=plan, audio=np.ascontiguousarray(loop, dtype=np.float32), part=None,
            recipe_hash=plan.recipe_hash(plan.backend, self.versions()),
            info=ClipInfo(fit=fitted.info, loop=sample, raw_lufs=round(measured, 2),
                          balance_gain_db=round(gain_db, 2)))

    @staticmethod
    def _by_given_bpm(played: np.ndarray, rate: int, plan: ClipPlan, bpm: float,
                      unfitted: FitResult) -> FitResult:
        """No beats to track (a pad, a drone): stretched by the given tempo's ratio, then
        cut by length."""
        length = round(played.shape[0] * bpm / plan.tempo)
        stretched, _method = stretch_along(played, rate, [(0, 0), (played.shape[0], length)],
                                           length)
        before = unfitted.info.model_dump(include={"trackers", "tempo_before",
                                                   "beat_confidence_before"},
                                          exclude_none=True)
        return fit_by_length(stretched, rate, tempo=plan.tempo, meter=parse_meter(plan.meter),
                             bars=plan.bars, engine_rate=plan.sample_rate,
                             reason="no beat found: stretched by the bpm given",
                             before=before)
