"""Saving and loading: /save, /load, the watched patch file (hot reload) and autosave.

The session is autosaved atomically to `$LIVETIMBRE_HOME/autosave.yaml` on every change
(looked at twice a second) and every 30 s, with `autosave.json` beside it (the patch it
came from, what was playing); `livetimbre --restore` brings it back. A session marks
itself running in `session.pid`; a new one that finds the mark of a session that died
first keeps that session's autosave as `autosave.1.yaml` (the one before as `.2`, `.3`).
`autosave.json` is typed (`AutosaveState`) and read defensively: a damaged, hostile or
old file is named in one line, never echoed, and the session is restored without it.
"""

from __future__ import annotations

__all__ = ["AUTOSAVE_SECONDS", "AutosaveState", "SessionFiles", "restore_session",
           "restore_state"]

import asyncio
import contextlib
import os
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from livetimbre.errors import FileProblem, ValueProblem
from livetimbre.files.read import read_user_text, shown_path
from livetimbre.files.write import atomic_path, write_json
from livetimbre.genres import GenreRegistry
from livetimbre.live.boundary import ErrorBoundary, Failure
from livetimbre.live.reload_note import reload_note
from livetimbre.patch import load_patch
from livetimbre.patch.dump import session_to_patch
from livetimbre.patch.watch import watch_patch
from livetimbre.session.model import Session
from livetimbre.session.state import SessionHistory
from livetimbre.system.processes import pid_alive

AUTOSAVE_SECONDS = 30.0
KEPT_AUTOSAVES = 3
Say = Callable[[str], None]


class AutosaveState(BaseModel):
    """What `autosave.json` remembers besides the patch: the patch file the session came
    from and what was playing ({layer: scene}). Keys it does not know are ignored, so an
    older or newer file still reads."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    patch: str | None = Field(None, min_length=1, max_length=4096)  # PATH_MAX
    playing: dict[str, str] = Field(default_factory=dict)


def restore_state(home: Path) -> AutosaveState:
    """The autosave state in `home` (an empty one if there is none); FileProblem saying
    what is wrong with a file that cannot be read, never its content."""
    path = home / "autosave.json"
    if not path.exists():
        return AutosaveState()
    text = read_user_text(path, "autosave state", FileProblem, 1 << 20)
    try:
        return AutosaveState.model_validate_json(text)
    except ValidationError as exc:
        where = ", ".join(sorted({str(e["loc"][0]) if e["loc"] else "the file"
                                  for e in exc.errors()}))
        raise FileProblem(f"The autosave state {shown_path(path)} is damaged or not "
                          f"livetimbre's ({exc.error_count()} problems in {where[:80]})."
                          ) from None


def restore_session(home: Path, genres: GenreRegistry, say: Say
                    ) -> tuple[Session, Path | None]:
    """The session autosaved in `home` and the patch it came from (if it is still there),
    saying what was playing; a damaged autosave state is said and left out."""
    autosave = home / "autosave.yaml"
    if not autosave.exists():
        raise ValueProblem(f"Nothing to restore: {autosave} does not exist.")
    session = load_patch(autosave, genres)
    say(f"restored the session autosaved in {autosave}")
    try:
        state = restore_state(home)
    except FileProblem as exc:
        say(f"{exc} The session is restored without it (no patch watched).")
        state = AutosaveState()
    path = Path(state.patch) if state.patch is not None else None
    if path is not None and not path.is_file():
        path = None
    if path is not None:
        say(f"watching {shown_path(path)} again (the patch it came from)")
    scenes = {scene.name for scene in session.scenes}
    playing = [f"{layer.name}@{scene}" for layer in session.layers
               if (scene := state.playing.get(layer.name)) in scenes]
    if playing:
        say(f"it was playing {', '.join(playing[:16])}: /launch LAYER SCENE or /scene N to "
            "go on")
    return session, path


class SessionFiles:
    """The patch the session came from (watched while playing), /save, /load, autosave."""

    def __init__(self, history: SessionHistory, genres: GenreRegistry, home: Path,
                 patch_path: Path | None, say: Say, boundary: ErrorBoundary,
                 playing: Callable[[], dict[str, str]], director: str | None = None) -> None:
        self._history = history
        self._director = director  # --director: it wins over each patch loaded
        self._playing = playing
        self._boundary = boundary
        self._genres = genres
        self.home = home
        self.patch_path = patch_path
        self._say = say
        # The session as the patch file last gave it (or was saved as), so a reload can
        # say which of the performer's changes it replaces.
        self._read: Session | None = history.current if patch_path is not None else None
        self._dirty = True  # the first autosave tick saves what was loaded
        self._watch_task: asyncio.Task[None] | None = None
        self._autosave_task: asyncio.Task[None] | None = None
        history.listen(lambda _old, _new: self._mark_dirty())

    def _mark_dirty(self) -> None:
        self._dirty = True

    @property
    def autosave_path(self) -> Path:
        return self.home / "autosave.yaml"

    # --- commands -----------------------------------------------------------------------
    def save(self, path: Path | None) -> str:
        """Write the session as a patch, atomically, to `path` (default: its patch)."""
        target = path or self.patch_path
        if target is None:
            raise ValueProblem("No patch file yet: /save PATH.")
        text = yaml.safe_dump(session_to_patch(self._history.current), sort_keys=False,
                              allow_unicode=True)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with atomic_path(target) as tmp:
                tmp.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise FileProblem(f"Cannot save {target}: {exc.strerror or exc}.") from None
        if target == self.patch_path:
            self._read = self._history.current
        return f"saved {target}"

    def load(self, path: Path, label: str = "") -> str:
        """Load a patch file (and watch it); an invalid one raises and the current
        session keeps playing. `label` names the step for /undo (default: /load PATH)."""
        session = load_patch(path, self._genres)
        if self._director is not None:
            session = replace(session, director=self._director)
        watched = self.patch_path
        self.patch_path = path
        self._read = session
        self._history.replace(session, label or f"/load {path}")
        if watched is None or watched.resolve() != path.resolve():
            self.watch()
        return f"loaded {path}"

    def autosave(self) -> None:
        self.save(self.autosave_path)
        state = AutosaveState(patch=str(self.patch_path) if self.patch_path else None,
                              playing=self._playing())
        write_json(self.home / "autosave.json", state.model_dump(mode="json"))
        self._dirty = False

    def claim(self) -> str:
        """Mark this session running; if the last one died without stopping, keep its
        autosave (rotated) and return a line saying where; else ''."""
        self.home.mkdir(parents=True, exist_ok=True)
        marker = self.home / "session.pid"
        note = ""
        try:
            pid = int(read_user_text(marker, "session marker", FileProblem, 64).strip())
        except (FileProblem, ValueError):
            pid = None
        if pid is not None and pid != os.getpid() and not pid_alive(pid) and (
                self.autosave_path.exists()):
            kept = self._rotate()
            note = (f"the last session ended without stopping; its autosave is kept as "
                    f"{kept} (livetimbre play {kept} brings it back)")
        marker.write_text(str(os.getpid()), encoding="utf-8")
        return note

    def _rotate(self) -> Path:
        """autosave.yaml → autosave.1.yaml, .1 → .2, ...; the oldest kept is dropped."""
        for number in range(KEPT_AUTOSAVES - 1, 0, -1):
            older = self.home / f"autosave.{number}.yaml"
            if older.exists():
                os.replace(older, self.home / f"autosave.{number + 1}.yaml")
        kept = self.home / "autosave.1.yaml"
        os.replace(self.autosave_path, kept)
        return kept

    # --- background ---------------------------------------------------------------------
    def start(self) -> None:
        """Autosave in the background and watch the patch file (on the running loop)."""
        self._autosave_task = asyncio.create_task(self._autosave_every())
        self.watch()

    def watch(self) -> None:
        """(Re-)start watching the current patch file for saves."""
        if self._watch_task is not None:
            self._watch_task.cancel()
        self._watch_task = None
        if self.patch_path is not None:
            self._watch_task = asyncio.create_task(watch_patch(self.patch_path, self._reload))

    def _reload(self, path: Path) -> None:
        """The watched file was saved: load it and say what it changed and which of the
        performer's changes it replaced, or say why the last good version plays on."""
        yours = self._history.current
        read_before = self._read or yours
        outcome = self._boundary.run(f"hot reload of {path}",
                                     lambda: self.load(path, f"the reload of {path.name}"))
        if isinstance(outcome, Failure):
            self._say(f"✗ patch not reloaded, the last good version keeps playing: "
                      f"{outcome.message}")
            return
        note = reload_note(read_before, yours, self._history.current)
        self._say(f"↻ {outcome}: {note}" if note else f"↻ {outcome}")

    async def stop(self) -> None:
        """Stop watching and autosaving, then autosave one last time."""
        for task in (self._watch_task, self._autosave_task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        self._watch_task = self._autosave_task = None
        self.autosave()
        with contextlib.suppress(OSError):
            (self.home / "session.pid").unlink()

    async def _autosave_every(self) -> None:
        last = time.monotonic()
        while True:
            await asyncio.sleep(0.5)
            now = time.monotonic()
            if self._dirty or now - last >= AUTOSAVE_SECONDS:
                try:
                    self.autosave()
                except OSError as exc:
                    self._say(f"autosave failed: {exc}")
                last = now
