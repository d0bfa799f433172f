"""`livetimbre compose` end to end with the procedural backend: a 120 s track whose length,
sections, loudness and true peak are what the plan and the genre ask for; a run killed
with SIGKILL after its first section resumes to the same audio bytes; exports that try to
leave their folder are refused; a failed QA check stops the release with exit 2."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile

from livetimbre.cli import main
from livetimbre.mastering.meters import integrated_lufs, true_peak_db
from tests.track.conftest import ARGS, PROMPT

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(120)
def test_a_120_s_track_is_what_the_plan_says(composed: Path) -> None:
    sidecar = json.loads(composed.with_name("track.wav.json").read_text())
    plan = sidecar["plan"]
    audio, rate = soundfile.read(composed, dtype="float32", always_2d=True)
    assert plan["version"] == "v3" and plan["form"] == "long"
    assert abs(audio.shape[0] / rate - plan["seconds"]) <= 0.05
    assert abs(plan["seconds"] - 120) <= plan["bar_seconds"] / 2
    names = [s["name"] for s in sidecar["sections"]]
    assert names == [s["name"] for s in plan["sections"]] == ["intro", "motif", "chorus",
                                                             "outro"]
    target = sidecar["mastering"]["target_lufs"]
    assert target == -14.0
    assert abs(integrated_lufs(audio, rate) - target) <= 1.0
    assert true_peak_db(audio) <= -1.0 + 0.02  # 24-bit rounding of the written file
    mix = sidecar["mix"]
    assert set(mix["section_rms"]) == set(names)
    assert [t["mode"] for t in mix["crossfades"]] == ["butt"] * 3
    assert mix["target_rms"] == 0.2 and mix["sample_rate"] == rate
    for section in sidecar["sections"]:
        assert section["clips"] and not section["placeholder"]
    motif = sidecar["motif_seed"]
    assert motif["section"] == "motif" and Path(motif["path"]).is_file()
    for field in ("centroid_hz", "rolloff_hz", "rms_dbfs", "tempo_estimate_bpm",
                  "key_estimate"):
        assert field in motif["spectral"]
    assert sidecar["qa"]["passed"], sidecar["qa"]["failures"]
    for layer in sidecar["mix"]["layers"]:
        stem, stem_rate = soundfile.read(composed.parent / "stems" / f"{layer}.wav")
        assert stem.shape[0] == audio.shape[0] and stem_rate == rate
    assert composed.with_name("track.mid").stat().st_size > 1000
    # the companions are named as a render's sidecar names them (livetimbre.outputs)
    assert sidecar["midi"] == str(composed.with_name("track.mid"))
    assert sidecar["png"] == str(composed.with_name("track.png"))
    assert sidecar["stems"] == sorted(str(composed.parent / "stems" / f"{layer}.wav")
                                      for layer in sidecar["mix"]["layers"])
    assert composed.with_name("track.png").read_bytes()[:4] == b"\x89PNG"
    plan_file = json.loads(composed.with_name("track.plan.json").read_text())
    assert plan_file == plan


@pytest.mark.timeout(180)
def test_a_killed_compose_resumes_to_the_same_audio(composed: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "LIVETIMBRE_HOME": str(home), "PYTHONPATH": str(REPO)}
    env.pop("LIVETIMBRE_SOUNDFONT", None)
    out = tmp_path / "again.wav"
    process = subprocess.Popen(
        [sys.executable, "-m", "livetimbre.cli", "compose", PROMPT, "-o", str(out), *ARGS],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    record = None
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and process.poll() is None:
            for path in home.glob("jobs/*/job.json"):
                try:
                    record = json.loads(path.read_text())
                except (OSError, ValueError):
                    continue
                if record["sections"]:
                    break
            if record and record["sections"]:
                break
            time.sleep(0.01)
        assert process.poll() is None, "the compose ended before it could be killed"
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait()
    assert record is not None and record["sections"] and not out.exists()
    monkeypatch.setenv("LIVETIMBRE_HOME", str(home))
    assert main(["compose", "--resume", record["id"], "-q"]) == 0
    assert out.read_bytes() == composed.read_bytes()
    state = json.loads((home / "jobs" / record["id"] / "job.json").read_text())
    assert state["state"] == "done" and len(state["stages"]) == 8


def test_jobs_lists_runs_with_their_state(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from livetimbre.track.jobs import new_job
    from livetimbre.track.request import ComposeRequest

    job = new_job(Path(os.environ["LIVETIMBRE_HOME"]),
                  ComposeRequest(prompt="house", output=str(tmp_path / "x.wav")))
    job.update(state="failed", error="boom", pid=None)
    assert main(["jobs"]) == 0
    line = capsys.readouterr().out.strip()
    assert job.id in line and "failed" in line and "next direction" in line


@pytest.mark.parametrize("job_id", ["../etc", "20250101-120000-abcdef/../../x", "x" * 80,
                                    "/tmp"])
def test_resume_refuses_what_is_not_a_job_id(job_id: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compose", "--resume", job_id]) == 2
    err = capsys.readouterr().err
    assert "is not a job id" in err and "Traceback" not in err


def test_exports_may_not_leave_their_folder(tmp_path: Path) -> None:
    from livetimbre.errors import FileProblem
    from livetimbre.outputs import contained

    folder = tmp_path / "stems"
    folder.mkdir()
    outside = tmp_path / "outside.wav"
    outside.write_bytes(b"keep")
    (folder / "drums.wav").symlink_to(outside)
    with pytest.raises(FileProblem, match="leads out of"):
        contained(folder, "drums.wav", "--stems")
    for name in ("../bass.wav", "..", "a/b.wav", ""):
        with pytest.raises(FileProblem, match="plain file name"):
            contained(folder, name, "--stems")
    assert contained(folder, "lead.wav", "--stems") == folder / "lead.wav"
    assert outside.read_bytes() == b"keep"


def test_a_symlinked_companion_file_stops_the_compose(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (tmp_path / "t.plan.json").symlink_to(outside / "stolen.json")
    code = main(["compose", "house", "--short", "--duration", "8", "-o",
                 str(tmp_path / "t.wav"), "-q"])
    assert code == 2
    assert "leads out of" in capsys.readouterr().err
    assert not (outside / "stolen.json").exists() and not (tmp_path / "t.wav").exists()


@pytest.mark.timeout(120)
def test_failed_qa_stops_the_release_and_writes_the_report(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    import livetimbre.track.qa as qa

    monkeypatch.setattr(qa, "LOUDNESS_TOLERANCE_LU", 0.0)  # no master lands exactly
    out = tmp_path / "short.wav"
    code = main(["compose", "calm house", "--short", "--duration", "12", "-o", str(out),
                 "-q"])
    err = capsys.readouterr().err
    assert code == 2 and "QA failed" in err and "integrated_loudness" in err
    assert not out.exists()
    report = json.loads((tmp_path / "short.qa.json").read_text())
    assert report["passed"] is False and report["failures"]
    assert np.isfinite(report["figures"]["integrated_lufs"])


@pytest.mark.timeout(120)
def test_compose_without_o_writes_where_compose_in_the_repl_does(
        capsys: pytest.CaptureFixture[str]) -> None:
    home = Path(os.environ["LIVETIMBRE_HOME"])
    assert main(["compose", "calm house at night", "--short", "--duration", "8", "-q"]) == 0
    out, err = capsys.readouterr()
    written = Path(out.strip())  # quiet, the chosen file is still told
    assert written.parent == home / "tracks" and written.suffix == ".wav"
    assert written.name.startswith("calm-house-at-night-") and written.is_file()
    sidecar = json.loads(written.with_name(written.name + ".json").read_text())
    assert sidecar["file"]["path"] == str(written) and sidecar["artifacts"]["track"]
    assert "Traceback" not in err
    assert main(["compose", "calm house at night", "--short", "--duration", "8"]) == 0
    out, err = capsys.readouterr()
    assert out == "" and f"no -o given: the track goes to {home / 'tracks'}" in err
    assert re.search(r"wrote \S+calm-house-at-night-\S+\.wav \(", err), err


@pytest.mark.timeout(240)
def test_the_named_instruments_are_the_midi_files_programs(composed: Path) -> None:
    import mido

    sidecar = json.loads(composed.with_name("track.wav.json").read_text())
    chosen = [i for i in sidecar["plan"]["spec"]["instruments"]
              if i["named"] and i["kind"] == "program" and i["source"] != "genre"]
    # the texture layer plays its sound ('rain') from the texture renderer, not a program
    named = {i["number"] for i in chosen if i["layer"] != "texture"}
    assert named == {4, 89}  # 'rhodes' and 'warm pads' in the prompt
    assert all(la["instrument"] == "rain" for s in sidecar["plan"]["sections"]
               for la in s["layers"] if la["name"] == "texture")
    midi = mido.MidiFile(composed.with_name("track.mid"))
    programs = {m.program for t in midi.tracks for m in t if m.type == "program_change"
                and m.channel != 9}
    assert named <= programs, (named, programs)
