"""The files written beside a rendered or composed audio file: one WAV per layer (stems),
the notes as a standard MIDI file, a picture and the `FILE.json` sidecar.

`livetimbre render` and the compose release stage both go through here: `check_outputs`
refuses what cannot be written before any work starts, `write_companions` writes the
companions asked for and `write_sidecar` the sidecar, each atomically. A file whose name
is derived from another (a stem in its folder, the sidecar beside its audio file) must
stay in that folder: a name or a symlink leading out of it is refused (`contained`).
"""

from __future__ import annotations

__all__ = ["Companions", "NoteTracks", "check_outputs", "companion_entries", "contained",
           "lrc_path", "make_folder", "sidecar_path", "write_companions", "write_lrc",
           "write_sidecar"]

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from livetimbre.compose.midi import write_midi
from livetimbre.errors import FileProblem
from livetimbre.files.audio import format_for, write_audio
from livetimbre.files.read import shown_path
from livetimbre.files.write import atomic_path, check_output_path, write_json
from livetimbre.music.notes import Part
from livetimbre.music.theory import parse_meter

Picture = Callable[[Path], None]  # draws a PNG at the path it is given


@dataclass(frozen=True)
class Companions:
    """The companions asked for: a folder for stems, a MIDI file, a picture (None: not
    asked for)."""

    stems: Path | None = None
    midi: Path | None = None
    png: Path | None = None


@dataclass(frozen=True)
class NoteTracks:
    """The notes, as (layer, start beat, part) passes, at `tempo` in `meter`, and the
    sung syllables as (layer, beat, text) lyric events."""

    tracks: Sequence[tuple[str, float, Part]]
    tempo: float
    meter: str
    lyrics: Sequence[tuple[str, float, str]] = ()


def make_folder(folder: Path, option: str) -> None:
    """Create `folder` (and its parents) for `option`; FileProblem naming why not."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise FileProblem(f"{option} {shown_path(folder)}: cannot create it ({reason}).") from None


def contained(folder: Path, name: str, what: str) -> Path:
    """`folder/name`, if `name` is a plain file name and the file it leads to (symlinks
    followed) lies in `folder`; FileProblem naming `what` otherwise."""
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name:
        raise FileProblem(f"{what}: {shown_path(name)!r} is not a plain file name.")
    path = folder / name
    try:
        base = folder.resolve(strict=True)
        target = path.resolve(strict=False)
    except (OSError, RuntimeError) as exc:
        raise FileProblem(f"{what}: cannot write {shown_path(path)} ({exc}).") from None
    if target.parent != base:
        raise FileProblem(f"{what}: {shown_path(path)} leads out of {shown_path(folder)} "
                          f"(to {shown_path(target)}); refusing to write there.")
    return path


def sidecar_path(audio: Path) -> Path:
    """`FILE.json` beside the audio file `FILE` (refused if it leads out of its folder)."""
    return contained(audio.parent, audio.name + ".json", "sidecar")


def check_outputs(audio: Path, asked: Companions, requested_format: str | None,
                  default_format: str | None) -> str:
    """The audio format of `audio`, after checking that it, its sidecar, the MIDI file
    and the picture may be written, and making the stems folder: refused before any work."""
    fmt = format_for(audio, requested_format, default_format)
    check_output_path(audio)
    sidecar_path(audio)
    lrc_path(audio)  # written when the audio sings
    for extra in (asked.midi, asked.png):
        if extra is not None:
            check_output_path(extra)
    if asked.stems is not None:
        make_folder(asked.stems, "--stems")
    return fmt


def write_companions(asked: Companions, *, stems: Callable[[], Iterable[tuple[str, np.ndarray]]],
                     stem_rate: int, notes: NoteTracks, picture: Picture,
                     export_rate: int | None = None) -> list[tuple[Path, str]]:
    """Write the companions asked for; returns (path, kind) of each, in order: `stem:LAYER`
    (32-bit float WAV at `export_rate`, else `stem_rate`), `midi`, `picture`. `stems` is
    called only when stems are asked for (its arrays may be loaded one at a time)."""
    files: list[tuple[Path, str]] = []
    if asked.stems is not None:
        for name, audio in stems():
            path = contained(asked.stems, f"{name}.wav", "--stems")
            write_audio(path, audio, stem_rate, "wav", 32, export_rate)
            files.append((path, f"stem:{name}"))
    if asked.midi is not None:
        write_midi(asked.midi, notes.tracks, notes.tempo, parse_meter(notes.meter),
                   notes.lyrics)
        files.append((asked.midi, "midi"))
    if asked.png is not None:
        picture(asked.png)
        files.append((asked.png, "picture"))
    return files


def companion_entries(files: Sequence[tuple[Path, str]]) -> dict[str, Any]:
    """The sidecar's names of the companions written: {"stems": [paths, sorted], "midi":
    path, "png": path, "lrc": path}, each only when written."""
    entries: dict[str, Any] = {}
    stems = sorted(str(path) for path, kind in files if kind.startswith("stem:"))
    if stems:
        entries["stems"] = stems
    for path, kind in files:
        if kind in ("midi", "picture", "lrc"):
            entries["png" if kind == "picture" else kind] = str(path)
    return entries


def lrc_path(audio: Path) -> Path:
    """`FILE.lrc` beside the audio file `FILE.EXT`, where players look for the synchronised
    lyrics of a song (refused if it leads out of its folder)."""
    return contained(audio.parent, audio.stem + ".lrc", "lyrics")


def write_lrc(audio: Path, text: str) -> tuple[Path, str]:
    """Write the `.lrc` `text` beside `audio`, atomically; (its path, 'lrc')."""
    path = lrc_path(audio)
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path, "lrc"


def write_sidecar(audio: Path, sidecar: dict[str, Any]) -> Path:
    """Write `sidecar` as `FILE.json` beside `audio`, atomically; returns its path."""
    path = sidecar_path(audio)
    write_json(path, sidecar)
    return path
