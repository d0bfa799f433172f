"""A composed track as a picture: the waveform with its sections named, loudness over
time (momentary and short-term LUFS) and a piano roll per layer, on one time axis in
seconds (matplotlib, drawn off screen)."""

from __future__ import annotations

__all__ = ["draw_track"]

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from livetimbre.files.write import atomic_path
from livetimbre.music.notes import Part
from livetimbre.pictures.piano_roll import draw_lane
from livetimbre.planner.trackplan import CompositionPlan

Curve = tuple[np.ndarray, np.ndarray]


def _envelope(audio: np.ndarray, points: int = 4000) -> tuple[np.ndarray, np.ndarray]:
    """Per-column (min, max) of the mono mix: a waveform that draws fast."""
    mono = audio.mean(axis=1) if audio.ndim == 2 else audio
    per = max(1, mono.shape[0] // points)
    count = mono.shape[0] // per
    blocks = mono[: count * per].reshape(count, per)
    return blocks.min(axis=1), blocks.max(axis=1)


def draw_track(path: Path, audio: np.ndarray, rate: int, plan: CompositionPlan,
               tracks: Sequence[tuple[str, float, Part]], loudness: dict[str, Curve],
               target_lufs: float) -> None:
    """Write the picture of the track to `path` (PNG), atomically."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    layers = list(dict.fromkeys(name for name, _, _ in tracks))
    seconds = audio.shape[0] / rate
    rows = 2 + len(layers)
    fig, axes = plt.subplots(rows, 1, sharex=True, squeeze=False,
                             figsize=(16, 3.2 + 0.9 * rows),
                             gridspec_kw={"height_ratios": [2.2, 1.6, *([1] * len(layers))]})
    wave, loud = axes[0, 0], axes[1, 0]
    low, high = _envelope(audio)
    x = np.linspace(0, seconds, low.shape[0])
    wave.fill_between(x, low, high, color="#2a6f97", linewidth=0)
    wave.set_ylim(-1, 1)
    wave.set_ylabel("waveform", rotation=0, ha="right", va="center")
    for section in plan.sections:
        for ax in axes[:, 0]:
            ax.axvline(section.start_seconds, color="0.2", linewidth=1.1, zorder=3)
        wave.annotate(f"{section.name} ({section.bars} bars)", (section.start_seconds, 1.02),
                      xycoords=("data", "axes fraction"), fontsize=9, va="bottom")
    for label, (times, values) in loudness.items():
        loud.plot(times, values, linewidth=1.0, label=label)
    loud.axhline(target_lufs, color="0.5", linestyle="--", linewidth=0.8,
                 label=f"target {target_lufs:g} LUFS")
    loud.set_ylim(max(-60.0, target_lufs - 30), target_lufs + 8)
    loud.set_ylabel("LUFS", rotation=0, ha="right", va="center")
    loud.legend(loc="lower right", fontsize=7, ncols=3)
    beats_per_bar = int(plan.meter.split("/")[0])
    seconds_per_beat = plan.bar_seconds / beats_per_bar
    total_beats = plan.bars * beats_per_bar
    for ax, layer in zip(axes[2:, 0], layers, strict=True):
        draw_lane(ax, layer, tracks, total_beats, beats_per_bar, [], seconds_per_beat)
    axes[-1, 0].set_xlim(0, seconds)
    axes[-1, 0].set_xlabel("seconds")
    fig.suptitle(f"{plan.prompt[:80]} — {plan.genre}, {plan.key}, {plan.meter}, "
                 f"{plan.tempo:g} BPM, {plan.seconds:.1f} s", fontsize=10)
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=80)
    plt.close(fig)
