"""The artifact store as the release's `ArtifactSink`: each released file copied into the
store (its blob written atomically before its row), with its kind, tags and parents.

A store that cannot be opened, or fails while the release is kept, never stops the
release: the user's files are written all the same, `problem` says what went wrong and
nothing more is put into the store for that run.
"""

from __future__ import annotations

__all__ = ["StoreSink", "compose_recipe_hash", "open_sink", "track_meta", "track_tags"]

import hashlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from livetimbre.errors import LivetimbreError
from livetimbre.planner.trackplan import CompositionPlan
from livetimbre.store import Store
from livetimbre.track.sink import MEDIA_TYPES
from livetimbre.track.specs import QAReport

CLIP_KIND = "clip"  # the render cache's kind (livetimbre.render.cache.KIND)
# What in a compose request changes the audio (not where the files go, nor QA's verdict).
_AUDIO_FIELDS = ("prompt", "duration", "short", "genre", "key", "meter", "seed", "backend",
                 "backend_for", "format", "sample_rate", "export_sample_rate", "bit_depth",
                 "synth", "soundfont")


def compose_recipe_hash(recipe: dict[str, Any]) -> str:
    """SHA-256 of what makes a composed track's audio: the plan, the request's audio
    settings and the backends' component versions."""
    request = recipe.get("request") or {}
    key = {"plan": recipe.get("plan"), "backends": recipe.get("backends"),
           "livetimbre": recipe.get("livetimbre"),
           "request": {k: request.get(k) for k in _AUDIO_FIELDS}}
    text = json.dumps(key, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode()).hexdigest()


def track_meta(sidecar: dict[str, Any], report: QAReport) -> dict[str, Any]:
    """What `artifacts show` and `list` tell about a track (from its sidecar)."""
    plan = sidecar["plan"]
    mastering = sidecar["mastering"]
    return {"title": " ".join(str(plan["prompt"]).split()[:6]).title(),
            "prompt": plan["prompt"], "job": sidecar["job"], "genre": plan["genre"],
            "form": plan["form"], "tempo": plan["tempo"], "key": plan["key"],
            "meter": plan["meter"], "seed": plan["seed"], "file": sidecar["file"],
            "frames": sidecar["frames"], "duration_s": sidecar["duration_s"],
            "planned_seconds": plan["seconds"], "lufs": mastering["lufs"],
            "target_lufs": mastering["target_lufs"],
            "true_peak_dbtp": mastering["true_peak_dbtp"], "qa_passed": report.passed,
            "sections": [{"name": s["name"], "bars": s["bars"], "start_s": s["start_s"],
                          "seconds": s["seconds"]} for s in sidecar["sections"]],
            "transitions": [{"at_s": t["at_seconds"], "mode": t["mode"],
                             "seconds": t["seconds"]} for t in sidecar["mix"]["crossfades"]]}


def track_tags(plan: CompositionPlan, job_id: str, fmt: str) -> dict[str, str]:
    """genre, job, format, form, and `word:W` for each prompt word the planner used."""
    tags = {"genre": plan.genre, "job": job_id, "format": fmt, "form": plan.form,
            "compose": ""}
    for word in plan.theme.words:
        if word not in plan.theme.ignored and len(tags) < 40:
            tags[f"word:{word[:40]}"] = ""
    return tags


def _chunks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        yield from iter(lambda: handle.read(1 << 20), b"")


class StoreSink:
    """Keeps released files in `store`."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.problem = ""
        self.kept: list[str] = []

    def close(self) -> None:
        self.store.close()

    def add(self, path: Path, kind: str, *, name: str, meta: dict[str, Any],
            tags: dict[str, str], parents: Sequence[str] = (),
            recipe: dict[str, Any] | None = None, recipe_hash: str | None = None,
            media_type: str | None = None) -> str | None:
        if self.problem:
            return None  # one failure stops the copies: a partial set says so once
        try:
            artifact = self.store.put(
                _chunks(path), kind, name=name,
                media_type=media_type or MEDIA_TYPES.get(path.suffix.lower(),
                                                         "application/octet-stream"),
                meta=meta, recipe=recipe, recipe_hash=recipe_hash, tags=tags,
                parents=parents)
        except (LivetimbreError, sqlite3.Error, OSError, ValueError) as exc:
            self.problem = (f"the artifact store did not keep {path.name} ({exc}); the "
                            "files are written all the same")
            return None
        self.kept.append(artifact.id)
        return artifact.id

    def find_clip(self, recipe_hash: str) -> str | None:
        if self.problem:
            return None
        try:
            artifact = self.store.find_recipe(recipe_hash, CLIP_KIND)
        except (LivetimbreError, sqlite3.Error, OSError):
            return None
        return None if artifact is None else artifact.id


def open_sink(root: Path) -> tuple[StoreSink | None, str]:
    """The sink on the store at `root`, or (None, why it could not be opened)."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        return StoreSink(Store(root)), ""
    except (LivetimbreError, sqlite3.Error, OSError) as exc:
        return None, f"artifact store off ({exc}): the files are written, nothing is kept"
