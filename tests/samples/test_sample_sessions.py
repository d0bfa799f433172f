"""Loops and kits in the session: `{sample: FILE}` clips and `kit: DIR` layers in patches
(relative to the patch's folder, saved and loaded back), `/sample` and `/kit`, what a
change does to a slot, how a plan names the files, and a bad file refused when named."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from livetimbre.errors import AudioFileError, PatchError, ValueProblem
from livetimbre.genres import GenreRegistry
from livetimbre.patch import load_patch, parse_patch
from livetimbre.patch.dump import session_to_patch
from livetimbre.planner.clip import build_clip_plan
from livetimbre.session import commands as c
from livetimbre.session.model import ClipSlot, SampleRef
from livetimbre.session.slash import parse_line
from livetimbre.session.state import apply
from tests.samples import files

pytestmark = pytest.mark.timeout(60)

PATCH = """\
session: {genre: house, tempo: 120, key: C minor, seed: 3}
layers:
  drums: {kit: kits/dusty}
  loop: {}
scenes:
  - name: a
    clips:
      drums: "four on the floor"
      loop: {sample: loops/break.wav, bpm: 93, key: auto, bars: 2}
  - name: b
    clips: {loop: {sample: /abs/pad.flac, key: E minor}}
"""


def _folder(tmp_path: Path) -> Path:
    (tmp_path / "loops").mkdir()
    files.write_wav(tmp_path / "loops" / "break.wav", files.tonal_loop(44100, 93.0), 44100)
    kit = tmp_path / "kits" / "dusty"
    kit.mkdir(parents=True)
    files.one_shot(kit / "kick.wav", 44100, 60)
    (tmp_path / "set.yaml").write_text(PATCH, encoding="utf-8")
    return tmp_path


def test_a_patch_names_loops_and_kits_relative_to_its_folder(tmp_path: Path,
                                                             genres: GenreRegistry) -> None:
    folder = _folder(tmp_path)
    session = load_patch(folder / "set.yaml", genres)
    assert session.layer("drums").kit == str(folder / "kits" / "dusty")
    slot = session.scenes[0].clips["loop"]
    assert slot == ClipSlot("", 2, None, None, sample=SampleRef(str(folder / "loops" / "break.wav"),
                                                         93.0, "auto"))
    assert session.scenes[1].clips["loop"].sample == SampleRef("/abs/pad.flac", None,
                                                               "E minor")
    again = parse_patch(yaml.safe_dump(session_to_patch(session)), "saved.yaml", genres)
    assert again == session


@pytest.mark.parametrize(("clip", "error"), [
    ("{prompt: beat, sample: a.wav}", "a clip is a prompt or {sample: FILE}, one of the two"),
    ("{bars: 2}", "a clip is a prompt or {sample: FILE}, one of the two"),
    ("{prompt: beat, bpm: 93}", "bpm and key belong to a {sample: FILE} clip"),
    ("{sample: a.wav, continue: loop@a}", "continues no other clip"),
    ("{sample: a.wav, bpm: 5}", "Tempo 5"),
    ("{sample: a.wav, key: H minor}", "'H minor' is not a key"),
    ("{sample: 12}", "sample is a path such as loops/break.wav"),
])
def test_a_bad_sample_clip_is_located(genres: GenreRegistry, clip: str, error: str) -> None:
    text = f"""\
session: {{genre: house}}
layers: {{loop: {{}}}}
scenes:
  - name: a
    clips: {{loop: {clip}}}
"""
    with pytest.raises(PatchError) as caught:
        parse_patch(text, "set.yaml", genres)
    assert error in str(caught.value) and "set.yaml:5:" in str(caught.value), caught.value


def test_sample_and_kit_commands(tmp_path: Path, genres: GenreRegistry) -> None:
    command = parse_line('/sample loop 1 loops/b.wav bpm=93 key="E minor"')
    assert command == c.SetClipSample("loop", 1, str(Path.cwd() / "loops" / "b.wav"), 93.0,
                                      "E minor")
    assert parse_line("/sample loop a x.wav key=off") == c.SetClipSample(
        "loop", "a", str(Path.cwd() / "x.wav"), None, None)
    assert parse_line("/kit drums off") == c.SetKit("drums", None)
    for bad, error in (("/sample loop 1 x.wav tempo=3", "Unknown option 'tempo=3'"),
                       ("/sample loop 1 x.wav bpm=fast", "bpm 'fast' is not a number"),
                       ("/sample loop 1 x.wav key=auto key=off", "Unknown option")):
        with pytest.raises(ValueProblem, match=error):
            parse_line(bad)
    session = load_patch(_folder(tmp_path) / "set.yaml", genres)
    looped = apply(session, c.SetClipSample("drums", "a", "/x/y.wav", None, "auto"))
    assert looped.scenes[0].clips["drums"].sample == SampleRef("/x/y.wav", None, "auto")
    assert looped.scenes[0].clips["drums"].prompt == ""
    prompted = apply(looped, c.SetClipPrompt("drums", "a", "busy beat"))
    assert prompted.scenes[0].clips["drums"] == ClipSlot("busy beat")
    assert apply(session, c.SetKit("drums", None)).layer("drums").kit is None


def test_a_plan_names_the_files_and_changes_with_them(tmp_path: Path,
                                                      genres: GenreRegistry) -> None:
    folder = _folder(tmp_path)
    session = load_patch(folder / "set.yaml", genres)
    house = genres.get("house")
    loop = build_clip_plan(session, "loop", 0, house, 48000)
    assert loop.backend == "sample" and loop.bars == 2 and loop.sample is not None
    assert (loop.sample.sample_rate, loop.sample.bpm, loop.sample.key) == (44100, 93.0, "auto")
    drums = build_clip_plan(session, "drums", 0, house, 48000)
    assert drums.backend == "procedural" and drums.kit is not None
    assert [v.voice for v in drums.kit.voices] == ["kick"]
    before = drums.recipe_hash("procedural", {})
    files.one_shot(folder / "kits" / "dusty" / "kick.wav", 44100, 70, 0.2)
    after = build_clip_plan(session, "drums", 0, house, 48000).recipe_hash("procedural", {})
    assert before != after  # an edited one-shot renders again
    (folder / "loops" / "break.wav").write_bytes(b"RIFF....WAVEjunk")
    with pytest.raises(AudioFileError, match="has no audio data chunk"):
        build_clip_plan(session, "loop", 0, house, 48000)


def test_only_drum_layers_of_the_procedural_backend_take_a_kit(
        tmp_path: Path, genres: GenreRegistry) -> None:
    folder = _folder(tmp_path)
    session = apply(load_patch(folder / "set.yaml", genres),
                    c.SetKit("loop", str(folder / "kits" / "dusty")))
    session = apply(session, c.SetClipPrompt("loop", "a", "warm chords"))
    plan = build_clip_plan(session, "loop", 0, genres.get("house"), 48000)
    assert plan.kit is None and plan.role != "drums"
