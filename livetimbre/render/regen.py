"""`artifacts regen`: render a stored clip again from its recipe and compare the bytes.

A deterministic backend (procedural) gives back the very same blob when the component
versions are unchanged; a missing or corrupted blob is then put back. Kinds other than
rendered clips cannot be regenerated yet, which the error says.
"""

from __future__ import annotations

__all__ = ["Regenerated", "regenerate"]

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from livetimbre.errors import StoreError
from livetimbre.genres import GenreRegistry
from livetimbre.planner.clip import ClipPlan
from livetimbre.render.backends import BackendContext, Backends
from livetimbre.render.cache import KIND, encode_clip
from livetimbre.render.worker import check_rendered
from livetimbre.store import Artifact, Store

_SYNTHS = ("fluidsynth", "basic")


@dataclass
class Regenerated:
    """The outcome: the new blob's hash, whether it is the stored one, what changed."""

    artifact: Artifact
    sha256: str
    identical: bool
    restored: bool = False  # the stored blob was missing or broken and is back
    changed_versions: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    note: str = ""


def _recipe(artifact: Artifact) -> tuple[ClipPlan, str, dict[str, str]]:
    if artifact.kind != KIND:
        raise StoreError(f"Artifact {artifact.id} is of kind '{artifact.kind}': livetimbre "
                         f"cannot regenerate that kind yet (only rendered clips, kind "
                         f"'{KIND}').")
    recipe = artifact.recipe or {}
    try:
        plan = ClipPlan.model_validate(recipe["plan"])
        spec = str(recipe["backend"])
        versions = {str(k): str(v) for k, v in dict(recipe["versions"]).items()}
    except (KeyError, TypeError, ValueError, ValidationError):
        raise StoreError(f"Artifact {artifact.id} has no usable recipe: it cannot be "
                         "regenerated.") from None
    return plan, spec, versions


def regenerate(store: Store, artifact: Artifact, genres: GenreRegistry,
               home: Path | None = None, soundfont: Path | None = None) -> Regenerated:
    """Render `artifact`'s recipe again with the synth it names (its SoundFont if it
    still exists, else `soundfont`) and compare with the stored blob."""
    plan, spec, versions = _recipe(artifact)
    synth = versions.get("synth", "auto")
    recorded = Path(versions["soundfont"]) if versions.get("soundfont") else None
    font = recorded if recorded is not None and recorded.is_file() else soundfont
    backends = Backends(BackendContext(plan.sample_rate, genres,
                                       synth if synth in _SYNTHS else "auto", font, home))
    backend = backends.get(spec)
    now = backend.versions()
    changed = {k: (versions.get(k), now.get(k)) for k in sorted({*versions, *now})
               if versions.get(k) != now.get(k)}
    clip = check_rendered(backend.render(plan), backend)
    chunks, _meta = encode_clip(clip)
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    result = Regenerated(artifact, digest.hexdigest(), digest.hexdigest() == artifact.sha256,
                         changed_versions=changed, note=backend.note)
    if result.identical and store.blobs.check(artifact.sha256, artifact.size):
        result.restored = store.restore_blob(artifact.sha256, chunks)
    return result
