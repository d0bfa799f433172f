"""QA (AETHER): checks a mastered track must pass before it is released.

Failing checks: integrated loudness within 1 LU of the target, true peak at or under the
ceiling, no clipped samples, no silent section and no silent stretch inside the track,
length within 50 ms of the plan, section boundaries on the bar grid, every clip planned
in the track's key and tempo. Warnings (estimates, which can be fooled): the notes'
share in the key, and the tempo heard in the audio.
"""

from __future__ import annotations

__all__ = ["LOUDNESS_TOLERANCE_LU", "check_track"]

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np

from livetimbre.mastering.meters import integrated_lufs, true_peak_db
from livetimbre.music.notes import Part
from livetimbre.planner.clip import ClipPlan
from livetimbre.planner.trackplan import CompositionPlan
from livetimbre.track.analysis import estimate_tempo, notes_in_key
from livetimbre.track.sections import bar_frame
from livetimbre.track.specs import MixSpec, QACheck, QAReport

LOUDNESS_TOLERANCE_LU = 1.0
DURATION_TOLERANCE_S = 0.05
SILENCE_DBFS = -60.0
SILENT_STRETCH_S = 2.0
CLIP_LEVEL = 0.99997  # a 24-bit full-scale sample
IN_KEY_SHARE = 0.7
TEMPO_TOLERANCE = 0.04


def _silent_stretch(audio: np.ndarray, rate: int, skip_end: int) -> float:
    """The longest run (s) of 50 ms blocks under SILENCE_DBFS, ignoring the ending."""
    block = max(1, rate // 20)
    body = audio[: max(0, audio.shape[0] - skip_end)]
    count = body.shape[0] // block
    if count == 0:
        return 0.0
    peaks = np.abs(body[: count * block]).reshape(count, block, -1).max(axis=(1, 2))
    quiet = peaks < 10 ** (SILENCE_DBFS / 20)
    longest = run = 0
    for flag in quiet:
        run = run + 1 if flag else 0
        longest = max(longest, run)
    return longest * block / rate


def check_track(audio: np.ndarray, rate: int, plan: CompositionPlan, target_lufs: float,
                ceiling_dbtp: float, mix: MixSpec, clips: Sequence[Sequence[ClipPlan]],
                parts: Sequence[Part], measured: tuple[float, float] | None = None
                ) -> QAReport:
    """Run every check on the mastered `audio` (at the export `rate`). `measured` is
    (integrated LUFS, true peak dBTP) when mastering already measured exactly this audio;
    otherwise they are measured here."""
    checks: list[QACheck] = []

    def add(name: str, ok: bool, value: Any, expected: str, detail: str = "",
            severity: Literal["fail", "warn"] = "fail") -> None:
        checks.append(QACheck(name=name, ok=bool(ok), severity=severity,
                              value=value, expected=expected, detail=detail))

    lufs, peak = measured if measured is not None else (integrated_lufs(audio, rate),
                                                         true_peak_db(audio))
    add("integrated_loudness", abs(lufs - target_lufs) <= LOUDNESS_TOLERANCE_LU,
        round(lufs, 2), f"{target_lufs:g} ± {LOUDNESS_TOLERANCE_LU:g} LUFS")
    add("true_peak", peak <= ceiling_dbtp + 1e-3, round(peak, 2),
        f"≤ {ceiling_dbtp:g} dBTP")
    clipped = int(np.count_nonzero(np.abs(audio) >= CLIP_LEVEL))
    add("clipping", clipped == 0, clipped, "0 samples at full scale")
    seconds = audio.shape[0] / rate
    add("duration", abs(seconds - plan.seconds) <= DURATION_TOLERANCE_S, round(seconds, 4),
        f"{plan.seconds:.4f} s ± {DURATION_TOLERANCE_S * 1000:g} ms")
    ending = round(mix.ending_fade_seconds * rate)
    stretch = _silent_stretch(audio, rate, ending)
    add("silence", stretch < SILENT_STRETCH_S, round(stretch, 2),
        f"no stretch of {SILENT_STRETCH_S:g} s or more under {SILENCE_DBFS:g} dBFS")
    quiet = [name for name, rms in mix.section_rms.items() if rms < SILENCE_DBFS]
    add("silent_sections", not quiet, quiet, f"every section above {SILENCE_DBFS:g} dBFS RMS")
    off_grid = []
    for section, (start, end) in zip(plan.sections, mix.section_frames, strict=True):
        for bar, frame in ((section.start_bar, start), (section.start_bar + section.bars, end)):
            expected = bar_frame(bar, mix.sample_rate, plan)
            if abs(frame - expected) > 1:
                off_grid.append(f"{section.name} bar {bar}: frame {frame}, grid {expected}")
    add("bar_grid", not off_grid, off_grid, "every section boundary on a bar line (±1 frame)")
    keys = sorted({c.key for section in clips for c in section} - {plan.key})
    tempi = sorted({c.tempo for section in clips for c in section} - {plan.tempo})
    add("key_consistency", not keys, keys, f"every clip in {plan.key}")
    add("tempo_consistency", not tempi, tempi, f"every clip at {plan.tempo:g} BPM")
    share = notes_in_key(parts, plan.key)
    add("notes_in_key", share >= IN_KEY_SHARE, share,
        f"≥ {IN_KEY_SHARE:g} of note time on the {plan.key} scale", severity="warn")
    heard = estimate_tempo(audio, rate)
    ratios = [heard / plan.tempo * f for f in (1.0, 2.0, 0.5, 1.5, 2 / 3)] if heard else []
    near = any(abs(r - 1) <= TEMPO_TOLERANCE for r in ratios)
    add("tempo_heard", near, heard, f"{plan.tempo:g} BPM (or half, double) ± "
        f"{TEMPO_TOLERANCE:.0%}", "an onset-autocorrelation estimate", severity="warn")
    failures = [f"{c.name}: {c.value} (expected {c.expected})" for c in checks
                if not c.ok and c.severity == "fail"]
    warnings = [f"{c.name}: {c.value} (expected {c.expected})" for c in checks
                if not c.ok and c.severity == "warn"]
    figures = {"integrated_lufs": round(lufs, 2), "true_peak_dbtp": round(peak, 2),
               "duration_s": round(seconds, 4), "plan_seconds": plan.seconds,
               "duration_error_ms": round(1000 * (seconds - plan.seconds), 2),
               "sample_rate": rate}
    return QAReport(passed=not failures, failures=failures, warnings=warnings, checks=checks,
                    figures=figures)
