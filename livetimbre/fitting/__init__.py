"""Fitting generated audio to the bar grid: beats found, stretched onto the session's
grid, cut on a downbeat to exactly the clip's length and joined without a seam.

Pure DSP (numpy, librosa, Rubber Band, soxr); the heavy libraries load on first use.
"""

from livetimbre.fitting.beats import BeatTrack, correct_octave, track_beats
from livetimbre.fitting.fit import FitResult, fit_by_length, fit_to_grid
from livetimbre.fitting.info import FitInfo
from livetimbre.fitting.loop import seam_step_dbfs

__all__ = ["BeatTrack", "FitInfo", "FitResult", "correct_octave", "fit_by_length", "fit_to_grid",
           "seam_step_dbfs", "track_beats"]
