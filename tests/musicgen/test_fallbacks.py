"""Every way MusicGen can fail to render falls back to the procedural backend, flagged in
the sidecar and the grid; `import livetimbre`, `--help` and procedural renders never
import torch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from livetimbre.genres import GenreRegistry
from livetimbre.live.slots import SlotView, _note, cell_text
from livetimbre.patch import parse_patch
from livetimbre.planner.clip import build_clip_plan
from livetimbre.render.backends import BackendContext, Backends
from livetimbre.session.model import SlotState
from tests.conftest import REPO
from tests.musicgen.helpers import musicgen_patch

pytestmark = pytest.mark.timeout(180)
HEAVY = ("torch", "transformers", "librosa", "beat_this", "wordllama")


def _python(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(REPO), **env}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=150, env=environment, cwd=tmp_path)


def _render_patch(tmp_path: Path, model: str, block_torch: bool, **env: str
                  ) -> tuple[subprocess.CompletedProcess[str], dict]:
    patch = tmp_path / "mg.yaml"
    patch.write_text(musicgen_patch(model, 120, bars=1).replace(
        "lead: {prompt: \"dark lead\", continue: drums@a}", "lead: dark lead"))
    # torch made unimportable, as when it is not installed (a finder that refuses it).
    block = ("import sys, importlib.abc\n"
             "class NoTorch(importlib.abc.MetaPathFinder):\n"
             "    def find_spec(self, name, path, target=None):\n"
             "        if name.partition('.')[0] == 'torch':\n"
             "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
             "sys.meta_path.insert(0, NoTorch())\n") if block_torch else ""
    code = (f"{block}from livetimbre.cli import main\n"
            f"raise SystemExit(main(['render', 'mg.yaml', '-o', 'out.wav', '--synth', 'basic']))")
    done = _python(code, tmp_path, **env)
    sidecar = tmp_path / "out.wav.json"
    return done, json.loads(sidecar.read_text()) if sidecar.exists() else {}


def test_without_torch_the_render_falls_back_and_says_why(tmp_path: Path,
                                                          tiny_model: Path) -> None:
    done, sidecar = _render_patch(tmp_path, str(tiny_model), block_torch=True)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    plans = sidecar["plans"]
    assert plans and all(p["fallback"] is True for p in plans)
    assert all("torch is not installed" in p["fallback_reason"] for p in plans)
    assert all(p["backend"] == "procedural" for p in plans)
    assert "falls back to procedural" in done.stderr


def test_a_model_missing_offline_falls_back_naming_models_pull(tmp_path: Path) -> None:
    done, sidecar = _render_patch(tmp_path, "facebook/musicgen-small", block_torch=False,
                                  HF_HUB_OFFLINE="1", HF_HOME=str(tmp_path / "hf"))
    assert done.returncode == 0, done.stderr
    reasons = [p["fallback_reason"] for p in sidecar["plans"]]
    assert reasons and all("livetimbre models pull facebook/musicgen-small" in r
                           for r in reasons)


@pytest.mark.parametrize(("error", "said"), [
    ("torch.OutOfMemoryError('CUDA out of memory. Tried to allocate 2.00 GiB')",
     "out of memory"),
    ("RuntimeError('CUDA error: device-side assert triggered')", "device error"),
])
def test_out_of_memory_and_device_errors_fall_back(
        genres: GenreRegistry, tiny_model: Path, monkeypatch: pytest.MonkeyPatch,
        error: str, said: str) -> None:
    import torch

    from livetimbre.render.backends.musicgen import generate

    def failing(*_args: object, **_kwargs: object) -> None:
        raise eval(error, {"torch": torch})

    monkeypatch.setattr(generate, "generate", failing)
    session = parse_patch(musicgen_patch(str(tiny_model), 120, bars=1), "mg.yaml", genres)
    plan = build_clip_plan(session, "drums", 0, genres.get("house"), 48000)
    backend = Backends(BackendContext(48000, genres, "basic")).get(plan.backend)
    clip = backend.render(plan)
    assert clip.info.fallback is True and said in clip.info.fallback_reason
    assert clip.audio.shape == (plan.frames, 2) and clip.audio.any()
    assert cell_text(SlotView(SlotState.READY, note=_note(clip.info))).strip() == "ready fb"
    monkeypatch.setenv("LIVETIMBRE_MUSICGEN_FALLBACK", "0")
    from livetimbre.errors import RenderError

    with pytest.raises(RenderError, match="fallback is off"):
        backend.render(plan)


def test_no_torch_for_import_help_and_procedural_renders(tmp_path: Path) -> None:
    patch = REPO / "patches" / "night-drive.yaml"
    code = (
        "import sys, io, contextlib\n"
        "import livetimbre\n"
        "from livetimbre.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n        main(['--help'])\n    except SystemExit:\n        pass\n"
        f"main(['render', {str(patch)!r}, '-o', 'p.wav', '--synth', 'basic', '--bars', '1',"
        " '-q', '--scenes', '1'])\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])\n")
    done = _python(code, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
