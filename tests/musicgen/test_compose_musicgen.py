"""A compose whose first section renders on the tiny random-weight MusicGen, end to end:
the section's clips come from the model (no fallback), sit on the bar grid, and the
track is mixed, mastered, checked and released like any other."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import soundfile

from livetimbre.cli import main

pytestmark = pytest.mark.timeout(240)


def test_one_section_on_the_tiny_musicgen(tiny_model: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVETIMBRE_MUSICGEN_FALLBACK", "0")  # a fallback would fail loudly
    out = tmp_path / "mg.wav"
    code = main(["compose", "dark house with a bright lead", "--short", "--duration", "8",
                 "--seed", "3", "--backend-for", f"intro=musicgen:{tiny_model}", "-o",
                 str(out), "--qa", "warn", "-q"])
    assert code == 0
    sidecar = json.loads(out.with_name("mg.wav.json").read_text())
    sections = {s["name"]: s for s in sidecar["sections"]}
    intro = sections["intro"]
    assert intro["backends"] == ["musicgen"] and not intro["placeholder"]
    for clip in intro["clips"]:
        assert clip["model"] == str(tiny_model) and clip["fallback"] is False
        assert clip["generation"]["steps"] > 0
    assert sections["motif"]["backends"] == ["procedural"]
    assert f"musicgen:{tiny_model}" in sidecar["warm_up"]
    audio, rate = soundfile.read(out, always_2d=True)
    assert abs(audio.shape[0] / rate - sidecar["plan"]["seconds"]) <= 0.05
    checks = {c["name"]: c for c in sidecar["qa"]["checks"]}
    assert checks["bar_grid"]["ok"] and checks["true_peak"]["ok"]
    assert checks["duration"]["ok"]
