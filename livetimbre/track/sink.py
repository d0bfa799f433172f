"""Where a release keeps its files besides the user's folder: `ArtifactSink` is where
the artifact store plugs in (`track.storing.StoreSink`); without one, `NO_STORE` keeps
nothing. `keep_released` puts the files into a sink in order: the track first (its
parents: the stored clips it was mixed from), then the stems, motif, MIDI, picture,
plan, recipe and QA report as its children; the sidecar, which names their ids, last. A
sink that fails says why and keeps nothing more; the files are written all the same.
"""

from __future__ import annotations

__all__ = ["MEDIA_TYPES", "NO_STORE", "ArtifactSink", "keep_released", "store_kind"]

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

MEDIA_TYPES = {".wav": "audio/wav", ".flac": "audio/flac", ".ogg": "audio/ogg",
               ".mp3": "audio/mpeg", ".mid": "audio/midi", ".midi": "audio/midi",
               ".json": "application/json", ".png": "image/png"}


class ArtifactSink(Protocol):
    """Keeps released files as artifacts (the artifact store). `add` returns the new
    artifact's id, or None when nothing was kept (then `problem` says why); the media
    type is the file suffix's unless given."""

    problem: str

    def add(self, path: Path, kind: str, *, name: str, meta: dict[str, Any],
            tags: dict[str, str], parents: Sequence[str] = (),
            recipe: dict[str, Any] | None = None, recipe_hash: str | None = None,
            media_type: str | None = None) -> str | None: ...

    def find_clip(self, recipe_hash: str) -> str | None:
        """The id of the stored clip rendered by `recipe_hash` (the render cache's)."""
        ...


class _NoStore:
    problem = ""

    def add(self, path: Path, kind: str, *, name: str, meta: dict[str, Any],
            tags: dict[str, str], parents: Sequence[str] = (),
            recipe: dict[str, Any] | None = None, recipe_hash: str | None = None,
            media_type: str | None = None) -> str | None:
        return None

    def find_clip(self, recipe_hash: str) -> str | None:
        return None


NO_STORE: ArtifactSink = _NoStore()


def store_kind(kind: str) -> tuple[str, str]:
    """(artifact kind, name) of a released file's kind: `stem:bass` → (stem, bass)."""
    base, _, name = kind.partition(":")
    return base, name


def keep_released(sink: ArtifactSink, files: Sequence[tuple[Path, str]], *,
                  track_meta: dict[str, Any], recipe: dict[str, Any], recipe_hash: str,
                  tags: dict[str, str], clip_hashes: Sequence[str]) -> dict[str, Any]:
    """Put `files` (path, kind; one of them the track) into `sink`, the track first;
    returns the ids kept, for the sidecar: {"track": id, "stems": {layer: id}, "motif":
    id, …, "clips": [ids]} ({} if the sink kept nothing)."""
    track = next((path for path, kind in files if kind == "track"), None)
    if track is None:
        return {}
    clips = list(dict.fromkeys(i for h in clip_hashes if (i := sink.find_clip(h))))
    fmt = str((track_meta.get("file") or {}).get("format", ""))
    track_id = sink.add(track, "track", name=track.name, meta=track_meta, tags=tags,
                        parents=clips, recipe=recipe, recipe_hash=recipe_hash,
                        media_type=MEDIA_TYPES.get(f".{fmt}"))
    if track_id is None:
        return {}
    ids: dict[str, Any] = {"track": track_id, "clips": clips}
    for path, kind in files:
        if kind == "track":
            continue
        base, name = store_kind(kind)
        child = sink.add(path, base, name=name or path.name,
                         meta={"file": path.name, "track": track_id}, tags=tags,
                         parents=[track_id])
        if child is None:
            break
        if base == "stem":
            ids.setdefault("stems", {})[name] = child
        else:
            ids[base] = child
    return ids
