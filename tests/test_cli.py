"""The command line: outputs on success, one-paragraph errors (no traceback) on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import mido
import pytest
import soundfile

from livetimbre.cli import main
from livetimbre.engine.transport import Transport

SMALL = """
session: {genre: house, tempo: 124, key: A minor, seed: 5, bars: 1}
layers:
  drums: {}
  bass: {gain: -2}
scenes:
  - name: one
    clips: {drums: "four on the floor"}
  - name: two
    clips: {drums: "driving beat", bass: "offbeat bass"}
"""


def _patch(tmp_path: Path, text: str, name: str = "p.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("livetimbre: error: ")
    assert "Traceback" not in err
    assert err.count("\n") == 1, f"not one paragraph: {err!r}"
    return err


def test_render_writes_audio_sidecar_stems_and_midi(tmp_path: Path) -> None:
    patch = _patch(tmp_path, SMALL)
    out = tmp_path / "mix.flac"
    stems = tmp_path / "new" / "stems"  # created by --stems
    midi = tmp_path / "notes.mid"
    argv = ["render", str(patch), "-o", str(out), "--scenes", "2,1", "--bars", "2",
            "--stems", str(stems), "--midi", str(midi), "-q"]
    assert main(argv) == 0
    info = soundfile.info(str(out))
    assert info.format == "FLAC" and info.channels == 2 and info.samplerate == 48000
    bar = Transport(48000, 124, "4/4").samples_per_bar
    sidecar = json.loads((tmp_path / "mix.flac.json").read_text())
    stops = [e["frame"] for e in sidecar["events"] if e["kind"] == "stop"]
    assert abs(stops[-1] - float(4 * bar)) <= 1  # every layer stops on the last bar line
    assert info.frames > stops[-1] + 4800  # then the notes ring on
    assert sidecar["qa"]["ending"]["last_10ms_peak_dbfs"] < -60
    assert sidecar["recipe"]["scenes"] == [2, 1]
    assert [e["scene"] for e in sidecar["events"] if e["kind"] == "scene"] == ["two", "one"]
    assert sorted(p.name for p in stems.iterdir()) == ["bass.wav", "drums.wav"]
    parsed = mido.MidiFile(str(midi))
    note_ons = [m for t in parsed.tracks for m in t if m.type == "note_on" and m.velocity > 0]
    # Every clip loops to fill its 2-bar scene, so each 1-bar clip's notes appear twice.
    assert len(note_ons) == sum(2 * plan["notes"] for plan in sidecar["plans"])
    assert 9 in {m.channel for m in note_ons}
    # one track per layer (after the tempo track), its clip passes in order on it
    assert [track.name for track in parsed.tracks[1:]] == ["drums", "bass"]


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("text", "says"), [
    ('a0: &a0 ["lol"]\n' + "".join(
        f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10)), "aliases"),
    ("a: &a [*a]\n", "aliases"),
])
def test_render_refuses_yaml_bombs_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, says: str
) -> None:
    patch = _patch(tmp_path, text)
    message = _error(capsys, ["render", str(patch), "-o", str(tmp_path / "x.wav"), "-q"])
    assert says in message and len(message) < 400


@pytest.mark.parametrize(("output", "extra", "says"), [
    ("x.wav", ["--format", "flac"], "x.wav ends in .wav but the format asked for is flac"),
    ("/dev/null", ["--format", "wav"], "not a regular file"),
    ("DIR", ["--format", "wav"], "a folder"),
])
def test_output_files_that_cannot_be_what_was_asked_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], output: str, extra: list[str],
    says: str,
) -> None:
    patch = _patch(tmp_path, SMALL)
    target = str(tmp_path) if output == "DIR" else output if output.startswith("/") else str(
        tmp_path / output)
    message = _error(capsys, ["render", str(patch), "-o", target, *extra, "-q"])
    assert says in message
    assert not (tmp_path / "x.wav").exists()


@pytest.mark.parametrize("fmt", ["wav", "ogg", "mp3"])
def test_each_format_is_written(tmp_path: Path, fmt: str) -> None:
    patch = _patch(tmp_path, SMALL)
    out = tmp_path / f"mix.{fmt}"
    assert main(["render", str(patch), "-o", str(out), "--scenes", "1", "--synth", "basic",
                 "-q"]) == 0
    assert soundfile.info(str(out)).duration > 1.5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("session: {genre: house\nlayers: [\n", "p.yaml:2:"),
        ("session: {genre: polka}\nlayers: {a: {}}\nscenes: [{name: s, clips: {a: x}}]\n",
         "Unknown genre 'polka'"),
        ("session: {genre: house}\nlayers: {a: {}}\nscenes:\n  - name: s\n    clips: {b: x}\n",
         "p.yaml:5:"),
        ("session: {genre: house, tempo: 0}\nlayers: {a: {}}\nscenes: [{name: s}]\n",
         "Tempo 0 is out of range"),
        ("session: {genre: house, tempo: -5}\nlayers: {a: {}}\nscenes: [{name: s}]\n",
         "Tempo -5 is out of range"),
        ("session: {genre: house, tempo: .nan}\nlayers: {a: {}}\nscenes: [{name: s}]\n",
         "Tempo nan is out of range"),
        ("session: {genre: house, tempo: 10000}\nlayers: {a: {}}\nscenes: [{name: s}]\n",
         "Tempo 10000 is out of range"),
        ("session: {genre: house, bars: 0}\nlayers: {a: {}}\nscenes: [{name: s}]\n",
         "Bars 0 is out of range"),
    ],
    ids=["malformed", "genre", "layer", "tempo0", "tempo-5", "tempo-nan", "tempo10000", "bars0"],
)
def test_bad_patches_get_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    patch = _patch(tmp_path, text)
    err = _error(capsys, ["render", str(patch), "-o", str(tmp_path / "x.wav")])
    assert expected in err
    assert str(patch) in err
    assert not (tmp_path / "x.wav").exists()


def test_unknown_layer_error_names_the_layer_and_the_known_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "session: {genre: house}\nlayers: {a: {}}\nscenes:\n  - name: s\n    clips: {b: x}\n"
    err = _error(capsys, ["render", str(_patch(tmp_path, text)), "-o", str(tmp_path / "x.wav")])
    assert "unknown layer 'b'" in err and "layers: a" in err


def test_missing_soundfont_path_is_named_with_install_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIVETIMBRE_SOUNDFONT", str(tmp_path / "missing.sf2"))
    err = _error(capsys, ["render", str(_patch(tmp_path, SMALL)), "-o", str(tmp_path / "x.wav")])
    assert "missing.sf2" in err and "fluid-soundfont-gm" in err


def test_output_in_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "nowhere" / "x.wav"
    err = _error(capsys, ["render", str(_patch(tmp_path, SMALL)), "-o", str(out)])
    assert "nowhere" in err and "does not exist" in err


def test_bad_bars_option_and_unknown_scene(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    patch = str(_patch(tmp_path, SMALL))
    out = str(tmp_path / "x.wav")
    assert "--bars" in _error(capsys, ["render", patch, "-o", out, "--bars", "0"])
    assert "Scene 9" in _error(capsys, ["render", patch, "-o", out, "--scenes", "9"])
    assert "Unknown scene 'zz'" in _error(capsys, ["render", patch, "-o", out, "--scenes", "zz"])


def test_missing_patch_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = _error(capsys, ["render", str(tmp_path / "none.yaml"), "-o", str(tmp_path / "x.wav")])
    assert "none.yaml" in err


def test_genres_lists_one_a_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["genres"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) >= 12
    assert {line.split()[0] for line in lines} >= {"synthwave", "house", "techno", "jazz"}


def test_console_script_error_has_no_traceback(tmp_path: Path) -> None:
    patch = _patch(tmp_path, "session: {genre: house, tempo: 0}\nlayers: {a: {}}\n"
                             "scenes: [{name: s}]\n")
    result = subprocess.run(
        [sys.executable, "-m", "livetimbre.cli", "render", str(patch), "-o",
         str(tmp_path / "x.wav")], capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "Tempo 0 is out of range" in result.stderr


def test_export_format_from_the_environment_when_the_suffix_says_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIVETIMBRE_EXPORT_FORMAT", "flac")
    monkeypatch.setenv("LIVETIMBRE_EXPORT_BIT_DEPTH", "16")
    out = tmp_path / "mix.audio"
    assert main(["render", str(_patch(tmp_path, SMALL)), "-o", str(out), "--scenes", "1",
                 "--synth", "basic", "-q"]) == 0
    info = soundfile.info(str(out))
    assert (info.format, info.subtype) == ("FLAC", "PCM_16")


def test_bad_audio_cpu_is_refused_before_anything_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    patch = _patch(tmp_path, SMALL)
    assert "--audio-cpu 'fast' is not a CPU" in _error(
        capsys, ["play", str(patch), "--audio-cpu", "fast"])
    monkeypatch.setenv("LIVETIMBRE_AUDIO_CPU", "9999")
    assert "LIVETIMBRE_AUDIO_CPU 9999: livetimbre may use CPUs" in _error(
        capsys, ["play", str(patch)])


def test_render_draws_a_piano_roll(tmp_path: Path) -> None:
    patch = _patch(tmp_path, SMALL)
    out, png = tmp_path / "mix.wav", tmp_path / "roll.png"
    assert main(["render", str(patch), "-o", str(out), "--bars", "1", "--png", str(png),
                 "-q"]) == 0
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 5000
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width > height > 200  # a lane per layer, time running across
    assert json.loads((tmp_path / "mix.wav.json").read_text())["png"] == str(png)
    assert not list(tmp_path.glob(".*.tmp"))  # written atomically, nothing left behind


def test_render_refuses_a_sidecar_leading_out_of_its_folder_before_rendering(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "mix.wav.json").symlink_to(outside / "stolen.json")
    err = _error(capsys, ["render", str(_patch(tmp_path, SMALL)), "-o",
                          str(folder / "mix.wav"), "-q"])
    assert "leads out of" in err and "sidecar" in err
    assert not (folder / "mix.wav").exists() and not (outside / "stolen.json").exists()


def test_render_and_compose_name_their_companions_alike(tmp_path: Path) -> None:
    out, midi = tmp_path / "mix.wav", tmp_path / "notes.mid"
    assert main(["render", str(_patch(tmp_path, SMALL)), "-o", str(out), "--scenes", "1",
                 "--midi", str(midi), "--stems", str(tmp_path / "stems"), "-q"]) == 0
    sidecar = json.loads((tmp_path / "mix.wav.json").read_text())
    stems = sorted(str(p) for p in (tmp_path / "stems").iterdir())
    assert sidecar["midi"] == str(midi) and sidecar["stems"] == stems
    assert sidecar["files"] == {"render": str(out), "midi": str(midi),
                                **{f"stem:{Path(p).stem}": p for p in stems}}
