"""The render cache: rendered clips kept in the artifact store under their recipe hash.

A clip is one `clip` artifact: an `.npy` blob holding the loop followed by its tail
(float32 stereo), and metadata with the frame counts, the backend's info and the notes.
Its recipe (plan, backend spec, component versions) is stored with it, so `regen` can
render it again. Cache artifacts are evictable: after each write the least recently
used go until the cache fits its limit. A cache that cannot be read or written never
fails a render: the clip is rendered (or not kept) and `problem` says why.
"""

from __future__ import annotations

__all__ = ["KIND", "MEDIA_TYPE", "ClipCache", "clip_recipe", "decode_clip", "encode_clip"]

import contextlib
import io
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np

from livetimbre.errors import LivetimbreError, StoreError
from livetimbre.music.notes import part_data, part_from_data
from livetimbre.planner.clip import ClipPlan
from livetimbre.render.backends.base import RenderedClip
from livetimbre.render.info import ClipInfo
from livetimbre.store import Artifact, Store

KIND = "clip"
MEDIA_TYPE = "application/x-npy"
FORMAT = 1


def encode_clip(clip: RenderedClip) -> tuple[list[bytes | memoryview], dict[str, Any]]:
    """The blob (as chunks: an .npy header, the loop, the tail; nothing copied) and the
    metadata of `clip`."""
    loop = np.ascontiguousarray(clip.audio, dtype="<f4")
    tail = None if clip.tail is None else np.ascontiguousarray(clip.tail, dtype="<f4")
    frames = loop.shape[0] + (0 if tail is None else tail.shape[0])
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f4", "fortran_order": False, "shape": (frames, loop.shape[1])})
    chunks: list[bytes | memoryview] = [header.getvalue(), loop.data.cast("B")]
    if tail is not None and tail.size:
        chunks.append(tail.data.cast("B"))
    meta = {"format": FORMAT, "frames": int(loop.shape[0]),
            "tail_frames": 0 if tail is None else int(tail.shape[0]),
            "channels": int(loop.shape[1]), "sample_rate": clip.plan.sample_rate,
            "dtype": "float32", "has_tail": tail is not None,
            "info": clip.info.sidecar(),
            "part": None if clip.part is None else part_data(clip.part)}
    return chunks, meta


def decode_clip(plan: ClipPlan, recipe: str, data: bytes, meta: dict[str, Any]
                ) -> RenderedClip:
    """The clip an `encode_clip` blob holds; ValueError if it is not one for `plan`."""
    array = np.load(io.BytesIO(data), allow_pickle=False)
    frames, tail_frames = int(meta["frames"]), int(meta["tail_frames"])
    if (meta.get("format") != FORMAT or array.dtype != np.float32 or array.ndim != 2
            or array.shape != (frames + tail_frames, 2) or frames != plan.frames):
        raise ValueError(f"a cached clip of shape {array.shape} does not fit the plan "
                         f"({plan.frames} frames)")
    part = meta.get("part")
    return RenderedClip(plan=plan, audio=array[:frames], recipe_hash=recipe,
                        part=None if part is None else part_from_data(part),
                        info=ClipInfo.model_validate(meta.get("info") or {}),
                        tail=array[frames:] if meta.get("has_tail") else None)


def clip_recipe(plan: ClipPlan, versions: dict[str, str]) -> dict[str, Any]:
    """What `regen` needs to render the clip again."""
    return {"plan": plan.model_dump(mode="json"), "backend": plan.backend,
            "versions": dict(versions)}


class ClipCache:
    """Rendered clips in `store`, found by recipe hash, kept within `limit_bytes`."""

    def __init__(self, store: Store, limit_bytes: int) -> None:
        self.store = store
        self.limit_bytes = limit_bytes
        self.problem = ""  # the last reason the cache could not be used
        self.hits = 0
        self.writes = 0

    @classmethod
    def open(cls, root: Path, limit_bytes: int) -> ClipCache:
        """The cache in the store at `root` (created if need be); StoreError if not."""
        return cls(Store(root), limit_bytes)

    def close(self) -> None:
        self.store.close()

    def find(self, plan: ClipPlan, recipe: str) -> RenderedClip | None:
        """The clip `recipe` made, if the store has it whole; a broken one is forgotten."""
        artifact: Artifact | None = None
        try:
            artifact = self.store.find_recipe(recipe, KIND)
            if artifact is None:
                return None
            clip = decode_clip(plan, recipe, self.store.read(artifact), artifact.meta)
            self.store.touch(artifact.id)
        except (LivetimbreError, sqlite3.Error, OSError, ValueError, KeyError,
                TypeError) as exc:
            self.problem = f"cached clip not used: {exc}"
            if artifact is not None and artifact.evictable:
                self._forget(artifact)
            return None
        self.hits += 1
        return clip

    def _forget(self, artifact: Artifact) -> None:
        with contextlib.suppress(StoreError):
            self.store.delete([artifact.id])

    def put(self, clip: RenderedClip, versions: dict[str, str]) -> Artifact | None:
        """Keep `clip` (rendered with `versions`), then evict to the limit; None if it is
        not kept (larger than the limit, a fallback, or the store failed)."""
        if clip.info.fallback:
            return None  # not what the recipe asks for
        plan = clip.plan
        try:
            chunks, meta = encode_clip(clip)
            size = sum(len(c) for c in chunks)
            if size > self.limit_bytes:
                return None
            artifact = self.store.put(
                chunks, KIND, name=f"{plan.layer}@{plan.scene}", media_type=MEDIA_TYPE,
                meta=meta, recipe=clip_recipe(plan, versions),
                recipe_hash=plan.recipe_hash(plan.backend, versions),
                tags={"layer": plan.layer, "scene": plan.scene, "backend": plan.backend,
                      "genre": plan.genre, "cache": ""},
                evictable=True)
            self.store.evict(self.limit_bytes)
        except (LivetimbreError, sqlite3.Error, OSError, ValueError) as exc:
            self.problem = f"clip not kept in the store: {exc}"
            return None
        self.writes += 1
        return artifact
