"""`artifacts regen` for a composed track: run the compose again from its stored recipe
and compare the audio file's bytes with the stored blob.

The recipe holds the request (format, rates, bit depth, synth, seed…), the creative
direction and the composition plan as they were, and the backends' component versions.
The run starts past planning, with that very plan, in a throw-away job folder: sound
design, mixing, mastering, QA and release run as in the original, the files going to a
temporary folder and nothing into the store. With deterministic backends (procedural)
and unchanged versions the track comes back bit for bit; a missing or corrupted blob is
then put back. Where the bytes differ, the decoded samples are compared too (an OGG
file carries a random stream serial number, so its bytes never repeat).
"""

from __future__ import annotations

__all__ = ["regenerate_track"]

import hashlib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile
from pydantic import ValidationError

from livetimbre.errors import StoreError
from livetimbre.genres import GenreRegistry
from livetimbre.planner.trackplan import CompositionPlan
from livetimbre.store import Artifact, Store
from livetimbre.track.jobs import new_job
from livetimbre.track.pipeline import run_job
from livetimbre.track.progress import SectionProgress
from livetimbre.track.request import ComposeRequest
from livetimbre.track.runtime import open_runtime
from livetimbre.track.specs import DirectionSpec, SoundDesignSpec

KIND = "track"


@dataclass
class TrackRegenerated:
    """The outcome: the new file's hash, whether it is the stored one, what changed."""

    artifact: Artifact
    sha256: str
    identical: bool
    same_samples: bool  # the decoded audio is the same (also when the bytes are not)
    restored: bool = False
    changed_versions: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    seconds: float = 0.0
    note: str = ""


def _recipe(artifact: Artifact) -> tuple[ComposeRequest, DirectionSpec, CompositionPlan,
                                         dict[str, dict[str, str]]]:
    recipe = artifact.recipe or {}
    try:
        request = ComposeRequest.model_validate(recipe["request"])
        direction = DirectionSpec.model_validate(recipe["direction"])
        plan = CompositionPlan.model_validate(recipe["plan"])
        backends = {str(k): {str(a): str(b) for a, b in dict(v).items()}
                    for k, v in dict(recipe["backends"]).items()}
    except (KeyError, TypeError, ValueError, ValidationError):
        raise StoreError(f"Artifact {artifact.id} has no usable compose recipe (request, "
                         "direction, plan and backend versions): it cannot be "
                         "regenerated.") from None
    return request, direction, plan, backends


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _same_samples(store: Store, artifact: Artifact, path: Path, folder: Path) -> bool:
    stored = folder / f"stored{path.suffix}"
    try:
        stored.write_bytes(store.read(artifact))
        a, _ = soundfile.read(str(stored), dtype="float32", always_2d=True)
        b, _ = soundfile.read(str(path), dtype="float32", always_2d=True)
    except (StoreError, OSError, RuntimeError, soundfile.LibsndfileError):
        return False
    return a.shape == b.shape and bool(np.array_equal(a, b))


def regenerate_track(store: Store, artifact: Artifact, genres: GenreRegistry,
                     home: Path | None = None, soundfont: Path | None = None,
                     say: Callable[[str], None] | None = None) -> TrackRegenerated:
    """Compose `artifact`'s recipe again (its SoundFont if it still exists, else
    `soundfont`) and compare with the stored track."""
    if artifact.kind != KIND:
        raise StoreError(f"Artifact {artifact.id} is of kind '{artifact.kind}', not a track.")
    request, direction, plan, versions = _recipe(artifact)
    recorded = Path(request.soundfont) if request.soundfont else None
    font = recorded if recorded is not None and recorded.is_file() else soundfont
    with tempfile.TemporaryDirectory(prefix="livetimbre-regen-") as tmp:
        folder = Path(tmp)
        suffix = "." + request.format
        again = request.model_copy(update={
            "output": str(folder / f"track{suffix}"), "stems": None, "midi": None,
            "png": None, "qa": "warn", "soundfont": str(font) if font else None})
        job = new_job(folder / "home", again)
        job.finish_stage("direction", direction)
        job.finish_stage("composition", plan)
        with open_runtime(again, genres, home, None,
                          SectionProgress(quiet=say is None)) as runtime:
            result = run_job(job, runtime)
        out = Path(again.output)
        sha = _sha256(out)
        now = job.load_spec("sound-design", SoundDesignSpec).backends
        changed: dict[str, tuple[str | None, str | None]] = {}
        for spec in sorted({*versions, *now}):
            old, new = versions.get(spec, {}), now.get(spec, {})
            for key in sorted({*old, *new}):
                if old.get(key) != new.get(key):
                    changed[f"{spec}.{key}"] = (old.get(key), new.get(key))
        identical = sha == artifact.sha256
        same = identical or _same_samples(store, artifact, out, folder)
        outcome = TrackRegenerated(artifact, sha, identical, same, changed_versions=changed,
                                   seconds=round(result.seconds, 3))
        if identical and store.blobs.check(artifact.sha256, artifact.size):
            with open(out, "rb") as handle:
                outcome.restored = store.restore_blob(artifact.sha256, handle.read())
    return outcome
