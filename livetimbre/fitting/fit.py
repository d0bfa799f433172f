"""Fitting generated audio to the session's grid (issue: MusicGen holds tempo only to
about ±5 BPM).

1. Beats and downbeats: a neural track when one is given and confident, else librosa's
   (`beats.track_beats`); half/double tempo corrected against the session tempo.
2. From a downbeat, bars × beats-per-bar beats are pinned to the grid by a time map
   (Rubber Band), so drift inside the clip is straightened too.
3. The stretched audio is resampled to the engine rate (soxr), the loop cut exactly at
   the downbeat to `ceil(bars × samples-per-bar)` frames (the bar may be fractional:
   beat k lands at k × samples-per-beat, not rounded per bar), and its end cross-faded
   into the audio leading into the downbeat, so the loop wraps without a seam.
4. When no beat can be found (ambient, noise) the clip is cut by length alone, and the
   result says so.

Everything the fit did goes into `FitResult.info` (the sidecar's `fit`).
"""

from __future__ import annotations

__all__ = ["CROSSFADE_S", "MIN_CONFIDENCE", "FitResult", "fit_by_length", "fit_to_grid",
           "grid_error_ms"]

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from livetimbre.fitting.beats import BeatTrack, correct_octave, track_beats
from livetimbre.fitting.info import FitInfo
from livetimbre.fitting.loop import join_seam, seam_step_dbfs
from livetimbre.fitting.stretch import stretch_along
from livetimbre.music.tempo import bar_samples
from livetimbre.music.theory import Meter

CROSSFADE_S = 0.02
MIN_CONFIDENCE = 0.3
_MARGIN_S = 0.05  # stretched audio kept before the lead-in (Rubber Band's start-up)
_POST_S = 0.15  # audio needed past the loop's last beat
_MAX_EXTRAPOLATED_BARS = 1


@dataclass(frozen=True)
class FitResult:
    """A loop of exactly the clip's frames at the engine rate, and how it was made."""

    audio: np.ndarray  # float32 (frames, channels)
    info: FitInfo


def _frames_channels(audio: np.ndarray) -> np.ndarray:
    shaped = audio.reshape(audio.shape[0], -1) if audio.ndim > 1 else audio[:, None]
    return np.ascontiguousarray(shaped, dtype=np.float32)


def _resample(audio: np.ndarray, rate: int, engine_rate: int) -> np.ndarray:
    if rate == engine_rate:
        return audio
    import soxr

    return np.asarray(soxr.resample(audio, rate, engine_rate, quality="VHQ"), np.float32)


def _cut(resampled: np.ndarray, start: int, frames: int, fade: int) -> np.ndarray:
    """Frames [start, start + frames) with the seam joined to the `fade` frames before."""
    need = start + frames
    if resampled.shape[0] < need:
        pad = np.zeros((need - resampled.shape[0], resampled.shape[1]), np.float32)
        resampled = np.concatenate([resampled, pad])
    body = resampled[start:start + frames]
    lead_in = resampled[max(0, start - fade):start]
    return join_seam(body, lead_in)


def grid_error_ms(beats: np.ndarray, beat_seconds: float, span_s: float,
                  skip_s: float = 0.0) -> float:
    """The largest distance (ms) from a grid beat in [skip_s, span_s) to the nearest of
    `beats`; inf without beats."""
    if len(beats) == 0:
        return math.inf
    worst = 0.0
    k = math.ceil(skip_s / beat_seconds - 1e-9)
    while k * beat_seconds < span_s - 1e-9:
        worst = max(worst, float(np.min(np.abs(beats - k * beat_seconds))))
        k += 1
    return round(1000 * worst, 2)


def _after(loop: np.ndarray, engine_rate: int, tempo: float, meter: Meter
           ) -> dict[str, Any]:
    """The loop re-tracked (played twice, so beats at the seam count): tempo,
    confidence and the worst beat's distance from the grid in the second pass."""
    twice = np.concatenate([loop, loop])
    track = correct_octave(track_beats(twice, engine_rate, tempo, meter.beats), tempo)
    beat_s = 60.0 / tempo
    span = loop.shape[0] / engine_rate
    return {
        "tempo_after": round(track.bpm, 3),
        "beat_confidence_after": track.confidence,
        "grid_error_ms": grid_error_ms(track.beats, beat_s, 2 * span - beat_s / 2,
                                       span - beat_s / 2) if len(track.beats) else None,
    }


def fit_by_length(audio: np.ndarray, sample_rate: int, *, tempo: float, meter: Meter,
                  bars: int, engine_rate: int, reason: str, start_s: float = 0.0,
                  crossfade_s: float = CROSSFADE_S, before: dict[str, Any] | None = None
                  ) -> FitResult:
    """No beats to go by: the clip's length of audio from `start_s` on, unstretched."""
    frames = math.ceil(bars * bar_samples(engine_rate, tempo, meter))
    resampled = _resample(_frames_channels(audio), sample_rate, engine_rate)
    fade = round(crossfade_s * engine_rate)
    start = max(fade, round(start_s * engine_rate))
    start = max(fade, min(start, resampled.shape[0] - frames))
    loop = _cut(resampled, start, frames, fade)
    info: dict[str, Any] = {
        "fit": "length", "reason": reason, **(before or {}),
        "stretch_ratio": 1.0, "stretcher": "none",
        "cut_point_s": round(start / engine_rate, 4), "crossfade_ms": round(1000 * crossfade_s, 1),
        "seam_step_dbfs": seam_step_dbfs(loop, engine_rate),
        "frames": frames,
    }
    return FitResult(loop, FitInfo.model_validate(info))


def _beat_run(track: BeatTrack, beats_needed: int, duration_s: float, lead_s: float
              ) -> tuple[np.ndarray, int] | None:
    """(beat times from a downbeat, how many of them were extrapolated), or None."""
    beats = track.beats
    if len(beats) < 4:
        return None
    period = float(np.median(np.diff(beats)))
    starts = track.downbeats if len(track.downbeats) else beats
    best: tuple[np.ndarray, int] | None = None
    for downbeat in starts:
        if downbeat < lead_s:
            continue
        first = int(np.argmin(np.abs(beats - downbeat)))
        run = beats[first:first + beats_needed]
        missing = beats_needed - len(run)
        if missing > 0:
            run = np.concatenate([run, run[-1] + period * np.arange(1, missing + 1)])
        if run[-1] + _POST_S > duration_s:
            continue
        if best is None or missing < best[1]:
            best = (run, missing)
        if missing == 0:
            break
    return best


def fit_to_grid(audio: np.ndarray, sample_rate: int, *, tempo: float, meter: Meter,
                bars: int, engine_rate: int, neural: BeatTrack | None = None,
                min_confidence: float = MIN_CONFIDENCE, crossfade_s: float = CROSSFADE_S,
                start_s: float = 0.0, retrack: bool = True,
                source_bpm: float | None = None) -> FitResult:
    """`audio` ((frames,) or (frames, channels) at `sample_rate`) as a loop of `bars`
    bars at `tempo` and the engine rate; see the module's description. `source_bpm`
    (the audio's own tempo, when known) guides the beat tracker instead of `tempo`."""
    prior = source_bpm or tempo
    source = _frames_channels(audio)
    duration = source.shape[0] / sample_rate
    per_bar = bar_samples(engine_rate, tempo, meter)
    frames = math.ceil(bars * per_bar)
    beat_len: Fraction = per_bar / meter.beats  # at the engine rate
    fade = round(crossfade_s * engine_rate)
    lead = fade + round(_MARGIN_S * engine_rate)  # the downbeat's index after resampling
    candidates = ([neural] if neural is not None else []) + [
        track_beats(source, sample_rate, prior, meter.beats)]
    before: dict[str, Any] = {"trackers": {t.source: t.confidence for t in candidates}}
    beats_needed = bars * meter.beats + 1
    for track in candidates:
        if track.confidence < min_confidence:
            continue
        corrected = correct_octave(track, prior)
        lead_s = 1.6 * lead / engine_rate  # room before the downbeat even at ratio 1.6
        run = _beat_run(corrected, beats_needed, duration, lead_s)
        if run is None or run[1] > _MAX_EXTRAPOLATED_BARS * meter.beats:
            continue
        return _stretch_fit(source, sample_rate, engine_rate, tempo, meter, frames,
                            beat_len, fade, lead, corrected, run, before, retrack,
                            crossfade_s)
    reason = ("no beat found" if all(t.confidence < min_confidence for t in candidates)
              else "too few beats after a downbeat")
    for track in candidates:
        before.setdefault("tempo_before", round(track.detected_bpm, 3))
    before["beat_confidence_before"] = max(t.confidence for t in candidates)
    return fit_by_length(source, sample_rate, tempo=tempo, meter=meter, bars=bars,
                         engine_rate=engine_rate, reason=reason, start_s=start_s,
                         crossfade_s=crossfade_s, before=before)


def _stretch_fit(source: np.ndarray, rate: int, engine_rate: int, tempo: float,
                 meter: Meter, frames: int, beat_len: Fraction, fade: int, lead: int,
                 track: BeatTrack, run: tuple[np.ndarray, int], before: dict[str, Any],
                 retrack: bool, crossfade_s: float) -> FitResult:
    beats, extrapolated = run
    src = beats * rate  # source sample positions of the pinned beats
    beat_src = float(beat_len) * rate / engine_rate  # grid beat in source samples
    ratios = beat_src / np.diff(src)
    lead_src = lead * rate / engine_rate  # where the downbeat lands in the stretched audio
    start = src[0] - lead_src / ratios[0] - 2.0
    if start < 0:  # not enough audio before the downbeat: silence in front
        pad = math.ceil(-start)
        source = np.concatenate([np.zeros((pad, source.shape[1]), np.float32), source])
        src = src + pad
        start += pad
    first = math.floor(start)
    end = min(source.shape[0], math.ceil(src[-1] + _POST_S * rate))
    segment = source[first:end]
    # Segment start → 0, beat i → lead_src + i beats of the grid, the rest at the last
    # beat's ratio; the downbeat is then at engine sample `lead` exactly after resampling.
    total = math.ceil(lead_src + (len(src) - 1) * beat_src + (end - src[-1]) * ratios[-1])
    points = [(0, 0)]
    for i, s in enumerate(src):
        point = (round(s - first), round(lead_src + i * beat_src))
        if point[0] > points[-1][0] and point[1] > points[-1][1]:
            points.append(point)
    points.append((segment.shape[0], max(total, points[-1][1] + 1)))
    stretched, method = stretch_along(segment, rate, points, points[-1][1])
    resampled = _resample(stretched, rate, engine_rate)
    loop = _cut(resampled, lead, frames, fade)
    span = float(np.sum(np.diff(src))) / rate
    info: dict[str, Any] = {
        "fit": "beats", "tracker": track.source, **before,
        "tempo_before": round(track.detected_bpm, 3), "octave_correction": track.correction,
        "beat_confidence_before": track.confidence,
        "downbeat": "tracked" if track.source != "librosa" else "kick phase",
        "stretch_ratio": round(float(len(src) - 1) * beat_src / rate / span, 5),
        "stretch_ratio_min": round(float(ratios.min()), 5),
        "stretch_ratio_max": round(float(ratios.max()), 5),
        "stretcher": method, "extrapolated_beats": extrapolated,
        "cut_point_s": round(float(beats[0]), 4), "cut_point_sample": round(float(beats[0]) * rate),
        "cut_end_s": round(float(beats[-1]), 4),
        "crossfade_ms": round(1000 * crossfade_s, 1),
        "seam_step_dbfs": seam_step_dbfs(loop, engine_rate), "frames": frames,
    }
    if retrack:
        info.update(_after(loop, engine_rate, tempo, meter))
    return FitResult(loop, FitInfo.model_validate(info))
