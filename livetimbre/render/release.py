"""The files of an offline render: the mastered audio, the companions asked for (stems,
MIDI, a piano roll: see livetimbre.outputs, shared with a compose's release) and the
FILE.json sidecar, each written atomically."""

from __future__ import annotations

__all__ = ["AudioExport", "sung", "write_render"]

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
    write_lrc,
    write_sidecar,
)
from livetimbre.pictures.piano_roll import draw_piano_roll
from livetimbre.render.offline import OfflineRender
from livetimbre.voice.lrc import lrc_text
from livetimbre.voice.score import LyricLine


@dataclass(frozen=True)
class AudioExport:
    """How the audio file is written: its format, bit depth and sample rate (None: the
    render's)."""

    format: str
    bit_depth: int = 24
    sample_rate: int | None = None


def sung(result: OfflineRender) -> tuple[list[tuple[str, float, str]], list[LyricLine]]:
    """The render's sung syllables as (layer, beat, text) lyric events, and the lines a
    singer sang (not a wordless stand-in), each pass of a vocals clip at its beat."""
    events: list[tuple[str, float, str]] = []
    lines: list[LyricLine] = []
    for layer, start, beats, clip in result.passes():
        vocal = clip.info.vocal
        if vocal is None:
            continue
        events += [(layer, start + beat, text) for beat, text in vocal.events if beat < beats]
        if vocal.sung:
            lines += [LyricLine(start + x.start, x.text, x.section) for x in vocal.lines
                      if x.start < beats]
    return events, sorted(lines, key=lambda line: line.start)


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
    syllables, lines = sung(result)
    written = write_companions(asked, stems=lambda: result.stems.items(),
                               stem_rate=result.sample_rate,
                               notes=NoteTracks(tracks, session.tempo, session.meter,
                                                syllables),
                               picture=picture)
    if lines:  # the synchronised lyrics beside the render
        written.append(write_lrc(output, lrc_text(lines, session.tempo,
                                                  parse_meter(session.meter), title=title)))
    sidecar = result.sidecar()
    sidecar["file"] = {"path": str(output), "format": export.format, "sample_rate": rate,
                       "bit_depth": export.bit_depth}
    sidecar.update(companion_entries(written))
    sidecar["files"] = {kind: str(path) for path, kind in [(output, "render"), *written]}
    write_sidecar(output, sidecar)
    return sidecar
