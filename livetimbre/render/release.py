"""The files of an offline render: the mastered audio, the companions asked for (stems,
MIDI, a piano roll: see livetimbre.outputs, shared with a compose's release) and the
FILE.json sidecar, each written atomically."""

from __future__ import annotations

__all__ = ["AudioExport", "write_render"]

from dataclasses import dataclass
from functools import partial
from itertools import accumulate
from pathlib import Path
from typing import Any

from livetimbre.files.audio import write_audio
from livetimbre.music.theory import parse_meter
from livetimbre.outputs import (
    Companions,
    NoteTracks,
    companion_entries,
    write_companions,
    write_sidecar,
)
from livetimbre.pictures.piano_roll import draw_piano_roll
from livetimbre.render.offline import OfflineRender


@dataclass(frozen=True)
class AudioExport:
    """How the audio file is written: its format, bit depth and sample rate (None: the
    render's)."""

    format: str
    bit_depth: int = 24
    sample_rate: int | None = None


def write_render(result: OfflineRender, output: Path, export: AudioExport, asked: Companions,
                 title: str) -> dict[str, Any]:
    """Write `result` to `output` with its companions and sidecar; returns the sidecar.
    `title` heads the piano roll."""
    session = result.session
    rate = write_audio(output, result.mastered.audio, result.sample_rate, export.format,
                       export.bit_depth, export.sample_rate)
    tracks = result.midi_tracks()
    starts = accumulate(result.scene_bars, initial=0)
    marks = [(bar, session.scenes[index].name)
             for bar, index in zip(starts, result.scene_order, strict=False)]
    picture = partial(draw_piano_roll, tracks=tracks,
                      beats_per_bar=parse_meter(session.meter).beats, scenes=marks, title=title)
    written = write_companions(asked, stems=lambda: result.stems.items(),
                               stem_rate=result.sample_rate,
                               notes=NoteTracks(tracks, session.tempo, session.meter),
                               picture=picture)
    sidecar = result.sidecar()
    sidecar["file"] = {"path": str(output), "format": export.format, "sample_rate": rate,
                       "bit_depth": export.bit_depth}
    sidecar.update(companion_entries(written))
    sidecar["files"] = {kind: str(path) for path, kind in [(output, "render"), *written]}
    write_sidecar(output, sidecar)
    return sidecar
