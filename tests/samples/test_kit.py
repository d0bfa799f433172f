"""A kit of the user's one-shots played by a procedural drum clip: rendered offline
with `livetimbre render --midi`, every onset in the audio is where the MIDI export puts
a note, and the hits are the kit's (10 ms one-shots: silence between them, where a
SoundFont's kit would ring on). Voices map by file name or by kit.yaml; a missing
voice borrows a close one."""

from __future__ import annotations

import itertools
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import mido
import numpy as np
import pytest
import soundfile

from livetimbre.errors import AudioFileError, ValueProblem
from livetimbre.music.notes import NoteEvent, Part
from livetimbre.planner.sources import plan_kit, voice_of
from livetimbre.synth.kit import KitSampler, voice_for_note
from tests.samples import files

pytestmark = pytest.mark.timeout(180)
PATCH = """\
session: {genre: house, tempo: 120, key: A minor, seed: 5, bars: 2}
layers:
  drums: {kit: kit}
scenes:
  - name: one
    clips: {drums: "four on the floor with claps and hats"}
"""
GROUP_S = 0.012  # notes closer than this sound as one onset (the one-shots last 10 ms)
END_S = 4.0  # two bars at 120 BPM: after them the loop fades out (not in the export)


def _kit(folder: Path) -> Path:
    folder.mkdir()
    files.one_shot(folder / "kick.wav", 44100, 60, 0.01)
    files.one_shot(folder / "Snare.wav", 44100, 200, 0.01)
    files.one_shot(folder / "hat_01.wav", 48000, 3000, 0.01)
    (folder / "readme.txt").write_text("not a sample", encoding="utf-8")
    return folder


def _midi_onsets(path: Path) -> list[float]:
    """The seconds of every note-on in the export (its tempo map: one set_tempo)."""
    midi = mido.MidiFile(str(path))
    tempo, times = 500000, []
    for track in midi.tracks:
        ticks = 0
        for message in track:
            ticks += message.time
            if message.type == "set_tempo":
                tempo = message.tempo
            elif message.type == "note_on" and message.velocity > 0:
                times.append(ticks)
    return sorted(mido.tick2second(t, midi.ticks_per_beat, tempo) for t in times)


def _groups(times: list[float]) -> list[float]:
    out: list[float] = []
    for time in times:
        if not out or time - out[-1] > GROUP_S:
            out.append(time)
    return out


def test_a_kit_plays_the_drum_clip_where_the_midi_says(tmp_path: Path) -> None:
    _kit(tmp_path / "kit")
    (tmp_path / "set.yaml").write_text(PATCH, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "livetimbre.cli", "render", "set.yaml", "-o", "out.wav",
         "--midi", "out.mid", "--bars", "2"], cwd=tmp_path, capture_output=True, text=True,
        timeout=150, check=False)
    assert done.returncode == 0, done.stderr
    audio, rate = soundfile.read(str(tmp_path / "out.wav"))
    expected = _groups(_midi_onsets(tmp_path / "out.mid"))
    assert len(expected) >= 16
    level = np.abs(audio).max(axis=1)
    loud = np.flatnonzero(level > 0.01 * level.max())
    heard = [loud[0]] + [b for a, b in itertools.pairwise(loud) if b - a > GROUP_S * rate]
    heard_s = [h / rate for h in heard if h / rate < END_S - 0.001]
    assert len(heard_s) == len(expected), (heard_s, expected)
    worst = max(abs(h - e) for h, e in zip(heard_s, expected, strict=True))
    assert worst <= 0.001, worst
    for start, end in zip(expected, [*expected[1:], END_S], strict=True):
        quiet = level[round((start + 0.06) * rate):round(end * rate) - 48]
        assert quiet.size == 0 or quiet.max() < 0.02 * level.max()  # the kit's short hits


def test_voices_come_from_names_or_the_kit_map(tmp_path: Path) -> None:
    assert [voice_of(n) for n in ("Kick_01.wav", "open-hat.wav", "HH.flac", "tom 2.wav",
                                  "readme.txt", "kit.yaml")] == [
        "kick", "openhat", "hat", "tom", None, None]
    kit = plan_kit(str(_kit(tmp_path / "named")))
    assert [v.voice for v in kit.voices] == ["hat", "kick", "snare"]
    mapped = tmp_path / "mapped"
    mapped.mkdir()
    files.one_shot(mapped / "bd 909.wav", 44100, 60)
    files.one_shot(mapped / "x.wav", 44100, 500)
    (mapped / "kit.yaml").write_text("kick: bd 909.wav\nclap: x.wav\n", encoding="utf-8")
    assert {v.voice: Path(v.path).name for v in plan_kit(str(mapped)).voices} == {
        "kick": "bd 909.wav", "clap": "x.wav"}


@pytest.mark.parametrize(("text", "error"), [
    ("kick: ../../etc/passwd\n", "names no file of the kit's folder"),
    ("gong: x.wav\n", "unknown voice 'gong'"),
    ("[1, 2]\n", "must map voices to files"),
    ("kick: missing.wav\n", "not found"),
])
def test_a_bad_kit_map_is_refused(tmp_path: Path, text: str, error: str) -> None:
    (tmp_path / "kit.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(AudioFileError, match=error):
        plan_kit(str(tmp_path))


def test_an_empty_or_missing_kit_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueProblem, match="holds no one-shot"):
        plan_kit(str(tmp_path))
    with pytest.raises(AudioFileError, match="Kit folder not found"):
        plan_kit(str(tmp_path / "nope"))
    files.one_sample(tmp_path / "kick.wav")
    files.two_hours(tmp_path / "snare.wav")
    with pytest.raises(AudioFileError, match=r"kick\.wav holds 1 frame"):
        plan_kit(str(tmp_path))
    files.one_shot(tmp_path / "kick.wav", 44100, 60)
    with pytest.raises(AudioFileError, match=r"snare\.wav lasts 7,200 s"):
        plan_kit(str(tmp_path))


def test_a_missing_voice_borrows_a_close_one_and_open_hats_are_choked(
        tmp_path: Path) -> None:
    folder = tmp_path / "k"
    folder.mkdir()
    files.one_shot(folder / "hat.wav", 48000, 3000, 0.5)
    files.one_shot(folder / "openhat.wav", 48000, 5000, 0.5)
    files.one_shot(folder / "snare.wav", 48000, 200, 0.05)
    sampler = KitSampler(plan_kit(str(folder)), 48000)
    assert voice_for_note(39) == "clap" and sampler.shot("clap") is sampler.shots["snare"]
    assert sampler.shot(voice_for_note(45)) is sampler.shots["snare"]  # a tom
    assert sampler.shot("crash") is sampler.shots["openhat"] and sampler.shot("kick") is None
    part = Part("drums", 128, 0, 4.0, (NoteEvent(0.0, 0.5, 46, 127),
                                       NoteEvent(1.0, 0.25, 42, 127)))
    out = sampler.render(part, Fraction(24000), 96000)
    assert out[0, 0] == pytest.approx(0.8, abs=1e-4)  # the one-shot's first sample
    closed_at = 24000
    # After the 5 ms choke, only the closed hat sounds.
    after = out[closed_at + 240:closed_at + 2000, 0]
    assert np.allclose(after, sampler.shots["hat"][240:2000, 0], atol=1e-6)
