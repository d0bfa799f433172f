"""A piano roll of a render: one lane per layer, notes as bars shaded by velocity, bar
lines and scene names along the top (matplotlib, drawn off screen)."""

from __future__ import annotations

__all__ = ["draw_lane", "draw_piano_roll"]

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from livetimbre.files.write import atomic_path
from livetimbre.music.notes import Part


def draw_piano_roll(path: Path, tracks: Sequence[tuple[str, float, Part]], beats_per_bar: int,
                    scenes: Sequence[tuple[int, str]], title: str) -> None:
    """Write a PNG of `tracks` ((layer, start beat, part) passes) to `path`, atomically;
    `scenes` are (first bar, name) pairs."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    layers = list(dict.fromkeys(name for name, _, _ in tracks))
    total_beats = max((offset + part.beats for _, offset, part in tracks), default=1.0)
    fig, axes = plt.subplots(len(layers), 1, sharex=True, squeeze=False,
                             figsize=(min(24.0, 4 + total_beats / 8), 1.2 + 1.5 * len(layers)))
    for ax, layer in zip(axes[:, 0], layers, strict=True):
        draw_lane(ax, layer, tracks, total_beats, beats_per_bar, [b for b, _ in scenes])
    top = axes[0, 0]
    for first_bar, scene in scenes:
        top.annotate(scene, (first_bar * beats_per_bar, 1.02), xycoords=("data", "axes fraction"),
                     fontsize=8, va="bottom")
    axes[-1, 0].set_xlim(0, total_beats)
    axes[-1, 0].set_xlabel(f"beats ({beats_per_bar} a bar)")
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=90)
    plt.close(fig)


def draw_lane(ax: Any, layer: str, tracks: Sequence[tuple[str, float, Part]],
              total_beats: float, beats_per_bar: int, marks: Sequence[float],
              x_scale: float = 1.0) -> None:
    """One layer's notes on `ax` (x in beats × `x_scale`), with bar lines and heavier
    lines at the bars in `marks`."""
    import matplotlib.pyplot as plt

    cmap = plt.get_cmap("viridis")
    pitches = [n.pitch for name, _, part in tracks if name == layer for n in part.notes]
    for name, offset, part in tracks:
        if name != layer:
            continue
        for note in part.notes:
            start = offset + note.start
            width = min(note.duration, total_beats - start)
            if part.channel == 9:
                ax.plot(start * x_scale, note.pitch, marker="|", markersize=7,
                        color=cmap(note.velocity / 127))
            else:
                ax.broken_barh([(start * x_scale, width * x_scale)], (note.pitch - 0.4, 0.8),
                               facecolors=cmap(note.velocity / 127))
    if pitches:
        ax.set_ylim(min(pitches) - 2, max(pitches) + 2)
    ax.set_ylabel(layer, rotation=0, ha="right", va="center")
    ax.tick_params(axis="y", labelsize=7)
    bars = int(total_beats // beats_per_bar) + 1
    if bars <= 200:
        for bar in range(bars):
            ax.axvline(bar * beats_per_bar * x_scale, color="0.85", linewidth=0.6, zorder=0)
    for first_bar in marks:
        ax.axvline(first_bar * beats_per_bar * x_scale, color="0.3", linewidth=1.2, zorder=0)
