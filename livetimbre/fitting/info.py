"""What a fit did, as the sidecar's `fit` figures (see `fitting.fit`).

Every field is optional: a fit by beats and a fit by length report different figures,
and a field is written to a sidecar only when the fit set it (`exclude_unset`)."""

from __future__ import annotations

__all__ = ["FitInfo"]

from pydantic import BaseModel, ConfigDict


class FitInfo(BaseModel):
    """The figures of one fit to the grid (`fit`: 'beats' or 'length')."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    fit: str | None = None  # 'beats' (stretched onto the beat grid) or 'length'
    reason: str | None = None  # why a fit by length
    trackers: dict[str, float] | None = None  # each beat tracker's confidence
    tracker: str | None = None  # the one whose beats were used
    tempo_before: float | None = None
    octave_correction: float | None = None
    beat_confidence_before: float | None = None
    downbeat: str | None = None
    stretch_ratio: float | None = None
    stretch_ratio_min: float | None = None
    stretch_ratio_max: float | None = None
    stretcher: str | None = None
    extrapolated_beats: int | None = None
    cut_point_s: float | None = None
    cut_point_sample: int | None = None
    cut_end_s: float | None = None
    crossfade_ms: float | None = None
    seam_step_dbfs: float | None = None
    frames: int | None = None
    tempo_after: float | None = None  # the loop re-tracked
    beat_confidence_after: float | None = None
    grid_error_ms: float | None = None  # None: no beat found when re-tracked
    beat_this: str | None = None  # the neural tracker's weights, or why not used
    seconds: float | None = None  # how long the fit took

    def timed(self, beat_this: str, seconds: float) -> FitInfo:
        """These figures with the neural tracker's note and the fit's time added."""
        return self.model_copy(update={"beat_this": beat_this, "seconds": seconds})
