"""Track requests: the `ComposeRequest` a `livetimbre compose` with the same values
builds (checked the same way, its files in the job's work folder), and the run itself,
in a worker process, with its progress told as a fraction of the whole."""

from __future__ import annotations

__all__ = ["WorkProgress", "compose_request", "hide_home", "run_track", "scrub_paths",
           "work_folder"]

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from livetimbre.config import Settings
from livetimbre.genres import GenreRegistry
from livetimbre.outputs import make_folder
from livetimbre.remote.models import TrackRequest
from livetimbre.track.progress import SectionProgress
from livetimbre.track.request import ComposeRequest
from livetimbre.track.requesting import ComposeAsk, build_request

MEDIA_TYPES = {"wav": "audio/wav", "flac": "audio/flac", "ogg": "audio/ogg",
               "mp3": "audio/mpeg"}
# Where each stage of a compose run begins, as a fraction of the whole (sound design,
# the section renders, takes most of the time).
_STAGE_START = {"direction": 0.0, "composition": 0.01, "arrangement": 0.02,
                "sound-design": 0.03, "mixing": 0.85, "mastering": 0.9, "qa": 0.94,
                "release": 0.96}


def work_folder(home: Path, job_id: str) -> Path:
    """The folder a track job's files are written to before they go into the store."""
    return home / "server" / "work" / job_id


def compose_request(request: TrackRequest, job_id: str, settings: Settings, synth: str,
                    genres: GenreRegistry) -> ComposeRequest:
    """The checked compose request of a `TrackRequest` (bad values raise, named)."""
    folder = work_folder(settings.home, job_id)
    make_folder(folder, "the server's work folder")
    checked, _notes = build_request(ComposeAsk(
        prompt=request.prompt, output=folder / f"track.{request.format}",
        duration=request.duration, duration_from="duration", short=request.short,
        genre=request.genre, key=request.key, meter=request.meter, seed=request.seed,
        backend=request.backend_spec, format=request.format, synth=synth,
        lyrics=request.lyrics, lyrics_from="lyrics"), settings, genres)
    return checked


class WorkProgress(SectionProgress):
    """A compose run's progress as one fraction (0-1) and the stage, told to `tell`."""

    def __init__(self, tell: Callable[[float, str], None]) -> None:
        super().__init__(quiet=True)
        self._tell = tell
        self._stage = "direction"
        self._section = (0, 1)
        self.warnings: list[str] = []

    def _fraction(self, within_section: float) -> float:
        start = _STAGE_START.get(self._stage, 0.0)
        if self._stage != "sound-design":
            return start
        number, count = self._section
        done = (max(0, number - 1) + min(1.0, max(0.0, within_section))) / max(1, count)
        return start + (_STAGE_START["mixing"] - start) * done

    def stage(self, name: str) -> None:
        self._stage = name
        self._tell(self._fraction(0.0), name)

    def section(self, number: int, count: int, name: str) -> None:
        self._section = (number, count)
        self._tell(self._fraction(0.0), f"sound-design {number}/{count}: {name}")

    def update(self, fraction: float) -> None:
        number, count = self._section
        self._tell(self._fraction(fraction), f"sound-design {number}/{count}")

    def warn(self, text: str) -> None:
        self.warnings.append(text)


def scrub_paths(value: Any, folder: Path) -> Any:
    """`value` with every path inside `folder` reduced to its file name: a client is
    told nothing of the server's disk."""
    prefix = str(folder)
    if isinstance(value, str):
        return Path(value).name if value.startswith(prefix) else value
    if isinstance(value, dict):
        return {k: scrub_paths(v, folder) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_paths(v, folder) for v in value]
    return value


def hide_home(text: str, home: Path) -> str:
    """`text` (a message for a client) with the server's home folder not shown."""
    return text.replace(str(home), "$LIVETIMBRE_HOME")


def run_track(request: ComposeRequest, home: Path, store: Path, genres: GenreRegistry,
              progress: WorkProgress) -> tuple[bytes, dict[str, Any]]:
    """Run the compose; the track's audio file and its sidecar (paths scrubbed). The
    release keeps its files in the store as `livetimbre compose` does; the work folder
    is removed."""
    from livetimbre.track.pipeline import start
    from livetimbre.track.runtime import open_runtime

    output = Path(request.output)
    try:
        with open_runtime(request, genres, home, store, progress) as runtime:
            start(request, home, runtime)
        audio = output.read_bytes()
        sidecar = json.loads(Path(f"{output}.json").read_text(encoding="utf-8"))
    finally:
        shutil.rmtree(output.parent, ignore_errors=True)
    sidecar = scrub_paths(sidecar, output.parent)
    if progress.warnings:
        sidecar["warnings"] = progress.warnings
    return audio, sidecar
