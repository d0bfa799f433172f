"""Models on disk: MusicGen checkpoints in the Hugging Face cache (huggingface_hub), and
beat_this weights in $LIVETIMBRE_HOME/models/beat_this.

Renders never download: a model that is not on disk is a `ModelUnavailable` naming
`livetimbre models pull ID`. `livetimbre models list | pull | rm` use `list_models`,
`pull` and `remove`.
"""

from __future__ import annotations

__all__ = ["BEAT_THIS", "CachedModel", "beat_this_checkpoint", "check_model_id",
           "list_models", "offline", "pull", "remove", "resolve"]

import dataclasses
import os
import re
import shutil
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from livetimbre.render.backends.musicgen.errors import ModelUnavailable

BEAT_THIS = "beat_this"  # the name `models pull` knows the beat tracker's weights by
# Where the beat_this authors publish their checkpoints (beat_this.inference).
_BEAT_THIS_URL = "https://cloud.cp.jku.at/public.php/dav/files/7ik4RrBKTS273gp/{name}.ckpt"
_TRUE = ("1", "on", "yes", "true")
# A hub id: NAME or ORG/NAME, each part letters, digits, '-', '_', '.' (not '..'), as the
# hub itself allows; a beat_this checkpoint name: letters, digits, '-', '_'.
_PART = r"[A-Za-z0-9][A-Za-z0-9._-]{0,95}"
_HUB_ID = re.compile(rf"{_PART}(?:/{_PART})?")
_CKPT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


@dataclass(frozen=True)
class CachedModel:
    """One model on disk: its id, size in bytes, folder, and what it is."""

    id: str
    size: int
    path: Path
    kind: str


def offline() -> bool:
    """Whether the hub must not be reached (HF_HUB_OFFLINE / TRANSFORMERS_OFFLINE)."""
    return any(os.environ.get(v, "").strip().lower() in _TRUE
               for v in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"))


def check_model_id(model_id: str) -> str:
    """`model_id` if `models pull` / `rm` may act on it (a hub id such as
    facebook/musicgen-small, or beat_this[:NAME]); ModelUnavailable otherwise, so that
    no id reaches outside the model cache (no paths, no '..')."""
    name, colon, variant = model_id.partition(":")
    if name == BEAT_THIS and (not colon or _CKPT_NAME.fullmatch(variant)):
        return model_id
    if not colon and _HUB_ID.fullmatch(model_id) and ".." not in model_id:
        return model_id
    shown = repr(model_id[:80]) if model_id.strip() else "An empty id"
    raise ModelUnavailable(f"{shown} is not a model id: give a Hugging Face id such as "
                           "facebook/musicgen-small, or beat_this[:NAME] (livetimbre models "
                           "list shows what is on disk).")


def _pull_hint(model_id: str) -> str:
    return f"run `livetimbre models pull {model_id}` while online"


def resolve(model_id: str) -> Path:
    """The folder of `model_id`: a local folder as given, else its snapshot in the
    Hugging Face cache; ModelUnavailable when it is not on disk."""
    folder = Path(model_id).expanduser()
    if folder.is_dir():
        return folder
    if model_id.startswith((".", "/", "~")):
        raise ModelUnavailable(f"Model folder {model_id[:80]} does not exist.")
    try:
        from huggingface_hub import snapshot_download
    except ImportError:
        raise ModelUnavailable("huggingface_hub is not installed: pip install "
                               "'livetimbre[musicgen]'.") from None
    try:
        return Path(snapshot_download(model_id, local_files_only=True))
    except Exception:
        raise ModelUnavailable(f"Model {model_id[:80]} is not downloaded: "
                               f"{_pull_hint(model_id)}.") from None


def beat_this_checkpoint(home: Path | None) -> Path | None:
    """beat_this weights: $LIVETIMBRE_BEAT_THIS (a .ckpt file), else the first .ckpt in
    HOME/models/beat_this (where `models pull beat_this` puts them), else None."""
    env = os.environ.get("LIVETIMBRE_BEAT_THIS")
    if env:
        path = Path(env).expanduser()
        return path if path.is_file() else None
    if home is None:
        return None
    found = sorted((home / "models" / BEAT_THIS).glob("*.ckpt"))
    return found[0] if found else None


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def list_models(home: Path | None) -> list[CachedModel]:
    """The models of the Hugging Face cache and the beat_this weights in `home`."""
    found: list[CachedModel] = []
    try:
        from huggingface_hub import scan_cache_dir
        from huggingface_hub.errors import CacheNotFound
    except ImportError:
        scan_cache_dir = None  # type: ignore[assignment]
    if scan_cache_dir is not None:
        try:
            info = scan_cache_dir()
        except CacheNotFound:
            info = None
        for repo in sorted(info.repos if info else [], key=lambda r: r.repo_id):
            if repo.repo_type != "model":
                continue
            kind = "musicgen" if "musicgen" in repo.repo_id.lower() else "model"
            found.append(CachedModel(repo.repo_id, repo.size_on_disk, repo.repo_path, kind))
    if home is not None:
        for ckpt in sorted((home / "models" / BEAT_THIS).glob("*.ckpt")):
            found.append(CachedModel(f"{BEAT_THIS}:{ckpt.stem}", ckpt.stat().st_size, ckpt,
                                     "beat tracker"))
    return found


def _pull_beat_this(name: str, home: Path) -> CachedModel:
    target = home / "models" / BEAT_THIS / f"{name}.ckpt"
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    url = _BEAT_THIS_URL.format(name=name)
    try:
        with urllib.request.urlopen(url, timeout=30) as response, partial.open("wb") as out:
            total = int(response.headers.get("Content-Length") or 0)
            done = 0
            while chunk := response.read(1 << 20):
                out.write(chunk)
                done += len(chunk)
                shown = f"{done / total:.0%}" if total else f"{done >> 20} MB"
                print(f"\rbeat_this:{name} {shown}", end="", flush=True)
            print()
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ModelUnavailable(f"Cannot download beat_this:{name} ({exc}); check the "
                               "network, or put a checkpoint at "
                               f"{target} yourself.") from None
    return CachedModel(f"{BEAT_THIS}:{name}", target.stat().st_size, target, "beat tracker")


def pull(model_id: str, home: Path) -> CachedModel:
    """Download `model_id` (a hub id, or beat_this[:NAME]) with a progress bar."""
    check_model_id(model_id)
    if offline():
        raise ModelUnavailable(f"Cannot download {model_id[:80]}: offline (HF_HUB_OFFLINE "
                               f"is set). Unset it and run `livetimbre models pull "
                               f"{model_id[:80]}` again.")
    name, _, variant = model_id.partition(":")
    if name == BEAT_THIS:
        return _pull_beat_this(variant or "final0", home)
    try:
        from huggingface_hub import snapshot_download
    except ImportError:
        raise ModelUnavailable("huggingface_hub is not installed: pip install "
                               "'livetimbre[musicgen]'.") from None
    try:
        folder = Path(snapshot_download(model_id))
    except Exception as exc:
        reason = " ".join(str(exc).split())[:200]
        raise ModelUnavailable(f"Cannot download {model_id[:80]} ({type(exc).__name__}: "
                               f"{reason}). Check the id and the network, then run "
                               f"`livetimbre models pull {model_id[:80]}` again.") from None
    return CachedModel(model_id, _size(folder.resolve()), folder, "musicgen")


def remove(model_id: str, home: Path) -> int:
    """Delete `model_id` from disk; the bytes freed. ModelUnavailable if it is not there."""
    check_model_id(model_id)
    name, _, variant = model_id.partition(":")
    if name == BEAT_THIS:
        target = home / "models" / BEAT_THIS / f"{variant or 'final0'}.ckpt"
        if not target.is_file():
            raise ModelUnavailable(f"{model_id} is not on disk (livetimbre models list).")
        size = target.stat().st_size
        target.unlink()
        return size
    try:
        from huggingface_hub import scan_cache_dir
        from huggingface_hub.errors import CacheNotFound
    except ImportError:
        raise ModelUnavailable("huggingface_hub is not installed: pip install "
                               "'livetimbre[musicgen]'.") from None
    try:
        info = scan_cache_dir()
    except CacheNotFound:
        info = None
    for repo in info.repos if info else []:
        if repo.repo_id == model_id and repo.repo_type == "model":
            # The strategy of this repo alone: delete_revisions takes commit hashes and
            # acts on the first repo holding each, which is another repo when two share
            # a history (a copy of a model under a second id).
            assert info is not None
            only = dataclasses.replace(info, repos=frozenset({repo}))
            strategy = only.delete_revisions(*(r.commit_hash for r in repo.revisions))
            freed = strategy.expected_freed_size
            strategy.execute()
            if repo.repo_path.exists():  # refs and locks the strategy leaves behind
                shutil.rmtree(repo.repo_path, ignore_errors=True)
            return int(freed)
    raise ModelUnavailable(f"{model_id[:80]} is not in the model cache (livetimbre models "
                           "list shows what is).")
