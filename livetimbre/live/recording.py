"""Recording the master output (/record, --record), with a sidecar of what was played."""

from __future__ import annotations

__all__ = ["Recording"]

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from livetimbre.engine.client import AudioClient
from livetimbre.errors import ValueProblem
from livetimbre.files.write import check_output_path, write_json
from livetimbre.patch.dump import session_to_patch
from livetimbre.session.model import Session


class Recording:
    """At most one recording at a time, written by the audio process's writer thread."""

    def __init__(self, engine: AudioClient, session: Callable[[], Session], home: Path,
                 clips: Callable[[], dict[str, Any]] = dict) -> None:
        self._engine = engine
        self._session = session
        self._clips = clips
        self._home = home
        self.path: Path | None = None

    def default_path(self) -> Path:
        """A new FLAC file under `$LIVETIMBRE_HOME/recordings/`, named by the time."""
        folder = self._home / "recordings"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / time.strftime("livetimbre-%Y%m%d-%H%M%S.flac")

    def start(self, path: Path, minutes: float | None = None) -> str:
        """Record the master output to `path`, for at most `minutes` if given."""
        if self.path is not None:
            raise ValueProblem(f"Already recording to {self.path}; /record stop first.")
        check_output_path(path)
        max_frames = None if minutes is None else round(minutes * 60 * self._engine.sample_rate)
        self._engine.start_recording(path, max_frames)
        self.path = path
        limit = f" (the first {minutes:g} minutes)" if minutes is not None else ""
        return f"recording to {path}{limit}"

    def stop(self) -> str:
        """Finish the file and write its sidecar (the session, the clips' render figures
        by slot, the events recorded)."""
        path = self.path
        if path is None:
            return "not recording"
        self.path = None
        engine = self._engine
        frames, start, dropped = engine.stop_recording()
        write_json(path.with_name(path.name + ".json"), {
            "kind": "recording", "sample_rate": engine.sample_rate, "frames": frames,
            "start_frame": start, "dropped_frames": dropped, "underruns": engine.underruns,
            "patch": session_to_patch(self._session()),
            "clips": self._clips(),
            "events": [e.as_dict() for e in list(engine.events) if e.frame >= start],
        })
        return f"recorded {frames / engine.sample_rate:.1f} s to {path}"
