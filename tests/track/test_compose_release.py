"""What a compose releases into the artifact store, and what the store does with a track:
`list`, `show`, `export`, and `regen` composing the 120 s track again bit for bit; the
export settings (LIVETIMBRE_EXPORT_*), the compressed formats, and the crossfade a
section that fell back gets at each of its boundaries."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile

from livetimbre.cli import main
from livetimbre.store import Store
from tests.conftest import REPO


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sidecar(track: Path) -> dict:
    return json.loads(track.with_name(track.name + ".json").read_text())


@pytest.fixture
def in_store(composed: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """LIVETIMBRE_HOME pointing at the shared compose's home (its store)."""
    monkeypatch.setenv("LIVETIMBRE_HOME", str(composed.parent / "home"))
    return composed.parent / "home" / "store"


@pytest.mark.timeout(120)
def test_the_release_is_kept_in_the_store_with_parents_and_tags(composed: Path,
                                                                 in_store: Path) -> None:
    sidecar = _sidecar(composed)
    ids = sidecar["artifacts"]
    with Store(in_store) as store:
        track = store.get(ids["track"])
        assert track.kind == "track" and track.media_type == "audio/wav"
        assert track.sha256 == _sha256(composed)  # the very file the user got
        assert not track.evictable
        assert track.tags["genre"] == "synthwave" and track.tags["job"] == sidecar["job"]
        assert "word:dreamy" in track.tags and track.tags["format"] == "wav"
        assert track.recipe is not None and track.recipe["plan"] == sidecar["plan"]
        spec = sidecar["plan"]["spec"]  # the director's reading the plan was made from
        assert spec["prompt"] == sidecar["plan"]["prompt"] and spec["genre"]["id"] == "synthwave"
        assert sidecar["recipe"]["direction"]["spec"] == spec
        assert track.recipe_hash and len(track.recipe_hash) == 64
        assert track.meta["duration_s"] == sidecar["duration_s"]
        assert [s["name"] for s in track.meta["sections"]] == [
            s["name"] for s in sidecar["plan"]["sections"]]
        # the track's parents are the stored clips it was mixed from, when the render
        # cache has them; a compose renders its own, so here none are named
        assert list(track.parents) == ids["clips"]
        assert set(ids["stems"]) == set(sidecar["mix"]["layers"])
        children = {a.id: a for a in store.children(track.id)}
        for layer, stem_id in ids["stems"].items():
            stem = children[stem_id]
            assert stem.kind == "stem" and stem.name == layer
            assert stem.sha256 == _sha256(composed.parent / "stems" / f"{layer}.wav")
        expected = {"motif": "track.motif.wav", "midi": "track.mid", "picture": "track.png",
                    "plan": "track.plan.json", "recipe": "track.recipe.json",
                    "qa": "track.qa.json"}
        for kind, name in expected.items():
            artifact = children[ids[kind]]
            assert artifact.kind == kind and artifact.parents == (track.id,)
            assert artifact.sha256 == _sha256(composed.with_name(name)), kind
        (kept_sidecar,) = store.children(track.id, "sidecar")
        assert json.loads(store.read(kept_sidecar)) == sidecar
        assert store.get(ids["motif"]).media_type == "audio/wav"
        assert store.get(ids["midi"]).media_type == "audio/midi"


@pytest.mark.timeout(180)
def test_regen_composes_the_120_s_track_again_bit_for_bit(
        composed: Path, in_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    track_id = _sidecar(composed)["artifacts"]["track"]
    with Store(in_store) as store:
        track = store.get(track_id)
        blob = store.blobs.path_for(track.sha256)
        blob.unlink()  # lost: regen puts it back
    assert main(["artifacts", "regen", track_id[:10]]) == 0
    out = capsys.readouterr().out
    assert f"identical: {track_id} composed again bit for bit" in out
    assert "its missing or broken blob is back" in out and "version changed" not in out
    assert blob.read_bytes() == composed.read_bytes()
    assert main(["artifacts", "verify"]) == 0


@pytest.mark.timeout(60)
def test_list_show_and_export_a_track(composed: Path, in_store: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    sidecar = _sidecar(composed)
    track_id = sidecar["artifacts"]["track"]
    assert main(["artifacts", "list", "--kind", "track"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[0].startswith(track_id[:12])
    assert f"{sidecar['duration_s']:.2f} s" in lines[0] and "LUFS" in lines[0]
    assert "synthwave" in lines[0] and lines[1].startswith("1 artifacts")
    assert main(["artifacts", "show", track_id]) == 0
    shown = capsys.readouterr().out
    for section in sidecar["sections"]:
        assert section["name"] in shown
    for stem_id in sidecar["artifacts"]["stems"].values():
        assert stem_id[:12] in shown
    assert main(["artifacts", "show", "--json", track_id]) == 0
    assert json.loads(capsys.readouterr().out)["recipe"]["plan"] == sidecar["plan"]
    folder = tmp_path / "out"
    folder.mkdir()
    assert main(["artifacts", "export", track_id, str(folder)]) == 0
    audio = folder / f"{track_id}.wav"
    assert audio.read_bytes() == composed.read_bytes()
    exported = json.loads((folder / f"{track_id}.wav.json").read_text())
    assert exported["plan"] == sidecar["plan"] and exported["artifacts"]["track"] == track_id
    assert exported["livetimbre_artifact"]["id"] == track_id


@pytest.mark.parametrize("bad", ["../x", "..", "abc/../../etc", "/etc/passwd", "zz" * 8])
def test_regen_show_and_export_refuse_what_is_not_an_id(
        bad: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["regen", bad], ["show", bad], ["export", bad, str(tmp_path)]):
        assert main(["artifacts", *args]) == 2
        err = capsys.readouterr().err
        assert "Not an artifact id" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.timeout(60)
def test_a_track_export_does_not_follow_a_symlink_out_of_its_folder(
        composed: Path, in_store: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    track_id = _sidecar(composed)["artifacts"]["track"]
    folder, outside = tmp_path / "out", tmp_path / "outside.wav"
    folder.mkdir()
    outside.write_bytes(b"keep")
    (folder / f"{track_id}.wav").symlink_to(outside)
    assert main(["artifacts", "export", track_id, str(folder)]) == 2
    assert "symlink" in capsys.readouterr().err
    assert outside.read_bytes() == b"keep"


# --- the export settings and formats --------------------------------------------------
def _short(tmp_path: Path, name: str, *extra: str) -> int:
    return main(["compose", "calm house", "--short", "--duration", "12", "--seed", "3",
                 "-o", str(tmp_path / name), "-q", *extra])


@pytest.mark.timeout(90)
def test_the_export_environment_sets_rate_depth_and_format(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVETIMBRE_EXPORT_SAMPLE_RATE", "44100")
    monkeypatch.setenv("LIVETIMBRE_EXPORT_BIT_DEPTH", "16")
    monkeypatch.setenv("LIVETIMBRE_EXPORT_FORMAT", "flac")
    assert _short(tmp_path, "short") == 0  # no suffix: the format is the environment's
    info = soundfile.info(str(tmp_path / "short"))
    assert (info.format, info.subtype, info.samplerate) == ("FLAC", "PCM_16", 44100)
    sidecar = json.loads((tmp_path / "short.json").read_text())
    assert sidecar["file"] == {"path": str(tmp_path / "short"), "format": "flac",
                               "sample_rate": 44100, "bit_depth": 16}
    assert abs(info.frames / 44100 - sidecar["plan"]["seconds"]) <= 0.05
    with Store(Path(os.environ["LIVETIMBRE_HOME"]) / "store") as store:
        track = store.get(sidecar["artifacts"]["track"])
    assert track.media_type == "audio/flac" and track.meta["file"]["sample_rate"] == 44100
    monkeypatch.setenv("LIVETIMBRE_EXPORT_BIT_DEPTH", "24")
    monkeypatch.setenv("LIVETIMBRE_EXPORT_FORMAT", "wav")
    monkeypatch.delenv("LIVETIMBRE_EXPORT_SAMPLE_RATE")
    assert _short(tmp_path, "plain") == 0
    info = soundfile.info(str(tmp_path / "plain"))
    assert (info.format, info.subtype, info.samplerate) == ("WAV", "PCM_24", 48000)


_FORMATS = [("flac", "FLAC", "PCM_24", "audio/flac"), ("ogg", "OGG", "VORBIS", "audio/ogg"),
            pytest.param("mp3", "MP3", "MPEG_LAYER_III", "audio/mpeg", marks=pytest.mark.skipif(
                "MP3" not in soundfile.available_formats(),
                reason="this libsndfile cannot write MP3 (soundfile.available_formats())"))]


@pytest.mark.timeout(90)
@pytest.mark.parametrize(("suffix", "container", "subtype", "media_type"), _FORMATS)
def test_compose_writes_compressed_formats(suffix: str, container: str, subtype: str,
                                           media_type: str, tmp_path: Path) -> None:
    assert _short(tmp_path, f"t.{suffix}") == 0
    path = tmp_path / f"t.{suffix}"
    info = soundfile.info(str(path))
    assert (info.format, info.subtype, info.samplerate, info.channels) == (
        container, subtype, 48000, 2)
    sidecar = _sidecar(path)
    audio, _ = soundfile.read(str(path), dtype="float32", always_2d=True)
    # lossy decoders may add or drop an encoder frame's padding
    assert abs(audio.shape[0] / 48000 - sidecar["plan"]["seconds"]) <= (
        0.05 if suffix == "flac" else 0.1)
    assert float(np.sqrt(np.mean(audio ** 2))) > 0.01
    with Store(Path(os.environ["LIVETIMBRE_HOME"]) / "store") as store:
        track = store.get(sidecar["artifacts"]["track"])
        assert track.media_type == media_type and track.sha256 == _sha256(path)


# --- transitions ----------------------------------------------------------------------
_NO_TORCH = ("import sys, importlib.abc\n"
             "class NoTorch(importlib.abc.MetaPathFinder):\n"
             "    def find_spec(self, name, path, target=None):\n"
             "        if name.partition('.')[0] == 'torch':\n"
             "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
             "sys.meta_path.insert(0, NoTorch())\n")


@pytest.mark.timeout(150)
def test_a_section_that_fell_back_is_crossfaded_without_a_click(tmp_path: Path) -> None:
    """MusicGen asked for the motif with torch unimportable: the motif falls back to the
    procedural backend, so both its boundaries are crossfades of one beat. A click is a
    step no layer makes by itself: in every stem, no sample-to-sample step across a
    crossfade may exceed (by 10 %) the steepest step that layer makes in the 4 s either
    side of it (a hard splice at the first boundary would, three times over in the pad)."""
    out = tmp_path / "fb.wav"
    code = (f"{_NO_TORCH}from livetimbre.cli import main\n"
            f"raise SystemExit(main(['compose', 'calm house', '--short', '--duration', '24', "
            f"'--seed', '5', '--backend-for', 'motif=musicgen:facebook/musicgen-small', "
            f"'-o', {str(out)!r}, '--stems', {str(tmp_path / 'stems')!r}, '-q']))")
    (tmp_path / "stems").mkdir()
    env = {**os.environ, "PYTHONPATH": str(REPO), "LIVETIMBRE_MUSICGEN_FALLBACK": "1",
           "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=140, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    sidecar = _sidecar(out)
    plan = sidecar["plan"]
    motif = next(s for s in sidecar["sections"] if s["name"] == "motif")
    assert motif["placeholder"] and all(c["fallback"] for c in motif["clips"])
    assert all("torch" in c["fallback_reason"] for c in motif["clips"])
    beat = plan["bar_seconds"] / int(plan["meter"].split("/")[0])
    planned = round(min(1.0, max(0.25, beat)), 4)  # one beat, 0.25 to 1 s
    transitions = sidecar["mix"]["crossfades"]
    assert [(t["after"], t["before"]) for t in transitions] == [("intro", "motif"),
                                                                ("motif", "resolve")]
    checked = 0
    for stem_path in sorted((tmp_path / "stems").glob("*.wav")):
        stem, rate = soundfile.read(str(stem_path), dtype="float32", always_2d=True)
        steps = np.abs(np.diff(stem, axis=0)).max(axis=1)
        for transition in transitions:
            assert transition["mode"] == "crossfade" and transition["seconds"] == planned
            assert "motif fell back" in transition["reason"]
            at = round(transition["at_seconds"] * rate)
            half = round(planned * rate / 2) + 256
            near = float(steps[at - half: at + half].max())
            around = float(np.concatenate([steps[max(0, at - 4 * rate): at - half],
                                           steps[at + half: at + 4 * rate]]).max())
            if around < 1e-3:
                continue  # the layer is silent there
            checked += 1
            assert near <= 1.1 * around, (stem_path.name, transition["at_seconds"], near,
                                          around)
    assert checked >= 6
    assert abs(soundfile.info(str(out)).frames / 48000 - plan["seconds"]) <= 0.05


@pytest.mark.timeout(90)
def test_without_a_store_the_release_still_writes_its_files_and_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "store").write_text("not a folder")  # the store cannot be opened
    monkeypatch.setenv("LIVETIMBRE_HOME", str(home))
    assert _short(tmp_path, "t.wav") == 0
    err = capsys.readouterr().err
    assert "warning: artifact store off" in err and "Traceback" not in err
    assert soundfile.info(str(tmp_path / "t.wav")).frames > 0
    assert _sidecar(tmp_path / "t.wav")["artifacts"] == {}
    assert (home / "store").read_text() == "not a folder"
