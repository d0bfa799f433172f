"""Helpers for the live tests: polling, small patches, and a started App."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TypeVar

import pytest

from livetimbre.app import App, AppOptions
from livetimbre.config import Settings
from livetimbre.genres import GenreRegistry, load_genres
from livetimbre.patch import load_patch
from livetimbre.render.jobs import JobState
from livetimbre.session.model import SlotKey

T = TypeVar("T")

# Two scenes, three layers, one-bar clips: renders finish in about a second.
SMALL_PATCH = """\
session: {genre: house, tempo: 124, key: A minor, seed: 5, quantize: 1M, bars: 1}
layers:
  drums: {}
  bass: {gain: -2}
  chords: {instrument: electric piano}
scenes:
  - name: one
    clips: {drums: "four on the floor", bass: "offbeat bass"}
  - name: two
    clips: {drums: "driving beat", chords: "stabs"}
"""

_GENRES: GenreRegistry | None = None


def genres() -> GenreRegistry:
    global _GENRES
    if _GENRES is None:
        _GENRES = load_genres()
    return _GENRES


def write_patch(folder: Path, text: str = SMALL_PATCH, name: str = "live.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


async def until(cond: Callable[[], T], timeout: float = 30.0, what: str | Callable[[], str] = "",
                interval: float = 0.05) -> T:
    """Await `cond()` being truthy (and return it); fail with `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = cond()
        if value:
            return value
        if time.monotonic() > deadline:
            detail = what() if callable(what) else what
            pytest.fail(f"timed out after {timeout:g} s waiting for {detail or cond!r}")
        await asyncio.sleep(interval)


def make_app(patch: Path | None, *, watch: bool = False, workers: int = 2) -> App:
    """An App on `patch` (not started); `watch` hands it the path for hot reload."""
    from livetimbre.cli.play import empty_session

    session = load_patch(patch, genres()) if patch is not None else empty_session()
    options = AppOptions(output="null", workers=workers, synth="fluidsynth")
    return App(Settings.from_env(), genres(), session, options, patch if watch else None)


@contextlib.asynccontextmanager
async def started(app: App) -> AsyncIterator[list[str]]:
    """Start `app`, yield the list its background messages are collected in, stop it."""
    messages: list[str] = []
    app.on_message(messages.append)
    await app.start()
    try:
        yield messages
    finally:
        await app.stop()


def keys_with_clips(app: App) -> list[SlotKey]:
    return [SlotKey(layer, scene.name) for scene in app.session.scenes for layer in scene.clips]


def job_states(app: App) -> dict[SlotKey, str]:
    assert app.pool is not None
    out = {}
    for key in keys_with_clips(app):
        job = app.pool.job(key)
        out[key] = job.state.value if job else "none"
    return out


def all_ready(app: App) -> bool:
    return all(state == JobState.READY for state in job_states(app).values())


async def wait_all_ready(app: App, timeout: float = 40.0) -> None:
    await until(lambda: all_ready(app), timeout, lambda: f"all slots READY: {job_states(app)}")


def underrun_note(underruns: int) -> str:
    """Context for an underrun failure: on a shared machine, load is the usual suspect."""
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{underruns} underruns on the real-time null output "
            f"(load average {load} on {os.cpu_count()} CPUs)")
