"""QA figures for the sidecar: loudness, peaks, DC offset, silent clips, loop seams, and
how a track ends."""

from __future__ import annotations

__all__ = ["SILENCE_DBFS", "clip_report", "ending_report", "track_report"]

import numpy as np

from livetimbre.mastering.meters import db, integrated_lufs, sample_peak_db, true_peak_db

SILENCE_DBFS = -60.0
_DIGITAL_SILENCE_DB = -200.0  # what the ending figures say for exact zeros (JSON has no −inf)


def _rms_db(audio: np.ndarray) -> float:
    return db(float(np.sqrt(np.mean(np.square(audio, dtype=np.float64))))) if audio.size else -1e9


def clip_report(audio: np.ndarray) -> dict[str, float | bool]:
    """Per-clip figures: level, silence, and how big the jump at the loop seam is.

    `seam_jump` is |last sample − first sample| (the step heard when the loop wraps);
    `max_step` is the largest step between neighbouring samples inside the clip. A
    seamless loop has a seam jump no bigger than the steps it already contains.
    """
    steps = np.abs(np.diff(audio, axis=0)).max() if audio.shape[0] > 1 else 0.0
    seam = float(np.abs(audio[-1] - audio[0]).max()) if audio.size else 0.0
    rms = _rms_db(audio)
    return {
        "rms_dbfs": round(rms, 2),
        "peak_dbfs": round(sample_peak_db(audio), 2),
        "silent": bool(rms < SILENCE_DBFS),
        "seam_jump": round(seam, 5),
        "max_step": round(float(steps), 5),
        "seam_ok": bool(seam <= float(steps) + 1e-6),
    }


def track_report(audio: np.ndarray, sample_rate: int) -> dict[str, float]:
    """Whole-track figures: integrated LUFS, true peak, sample peak, DC offset."""
    dc = np.mean(audio, axis=0, dtype=np.float64) if audio.size else np.zeros(2)
    return {
        "integrated_lufs": round(integrated_lufs(audio, sample_rate), 2),
        "true_peak_dbtp": round(true_peak_db(audio), 2),
        "sample_peak_dbfs": round(sample_peak_db(audio), 2),
        "dc_offset": round(float(np.abs(dc).max()), 6),
        "duration_s": round(audio.shape[0] / sample_rate, 3),
    }


def ending_report(audio: np.ndarray, sample_rate: int, end_frame: int) -> dict[str, float]:
    """How a track ends after its last bar (`end_frame`): how long the sound rings on
    above SILENCE_DBFS, and the peak and the largest step between neighbouring samples
    in its last 10 ms (dBFS; a cut-off ending shows there)."""
    after = np.abs(audio[end_frame:]).max(axis=1) if audio.shape[0] > end_frame else None
    loud = np.flatnonzero(after > 10 ** (SILENCE_DBFS / 20)) if after is not None else None
    last = audio[max(0, audio.shape[0] - sample_rate // 100 - 1):]
    step = float(np.abs(np.diff(last, axis=0)).max()) if last.shape[0] > 1 else 0.0
    return {
        "rings_s": round((int(loud[-1]) + 1 if loud is not None and loud.size else 0)
                         / sample_rate, 3),
        "last_10ms_peak_dbfs": round(max(_DIGITAL_SILENCE_DB, sample_peak_db(last[1:])), 2),
        "last_10ms_step_dbfs": round(max(_DIGITAL_SILENCE_DB, db(step)), 2),
    }
