"""A compose sings: the vocal stem among the stems, a `.lrc` beside the track, the lyrics
in the sidecar, the melody's syllables in the MIDI export, the master at −14 LUFS; and
`--lyrics` refuses what cannot be sung with a clear message, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import mido
import pytest
import soundfile as sf

from livetimbre.cli import main
from livetimbre.mastering.meters import integrated_lufs
from livetimbre.voice.singing import singer_status

SINGS = singer_status() is None
PROMPT = "tender folk ballad about the sea"


@pytest.fixture(scope="module")
def track(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sung")
    words = folder / "words.txt"
    words.write_text("[verse]\nthe tide comes in, the tide goes out\nand I keep waiting by "
                     "the shore\n\n[chorus]\nhold me, hold me\nsing me home\n",
                     encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LIVETIMBRE_HOME", str(folder / "home"))
        code = main(["compose", PROMPT, "--short", "--duration", "30", "--seed", "5", "-q",
                     "-o", str(folder / "song.wav"), "--stems", str(folder / "stems"),
                     "--midi", str(folder / "song.mid"), "--lyrics", str(words)])
    assert code == 0
    return folder / "song.wav"


@pytest.mark.timeout(300)
@pytest.mark.skipif(not SINGS, reason=f"no singer here: {singer_status()}")
def test_a_sung_compose_writes_its_stem_lrc_lyrics_and_midi(track: Path) -> None:
    folder = track.parent
    sidecar = json.loads((folder / "song.wav.json").read_text(encoding="utf-8"))
    assert sidecar["lyrics"]["source"] == "user"
    assert sidecar["lyrics"]["sections"][0]["lines"][0] == "the tide comes in, the tide goes out"
    assert sidecar["lrc"] == str(folder / "song.lrc")
    assert not any("no singer" in note for note in sidecar["notes"])
    stem, rate = sf.read(folder / "stems" / "vocals.wav", dtype="float32")
    assert stem.shape[0] > rate and abs(stem).max() > 0.01
    lrc = (folder / "song.lrc").read_text(encoding="utf-8").splitlines()
    stamped = [line for line in lrc if line[1:3].isdigit()]
    sung = sidecar["sung_lines"]
    assert len(stamped) == len(sung) > 0
    tempo, meter = sidecar["plan"]["tempo"], sidecar["plan"]["meter"]
    beat = 60 / tempo * 4 / int(meter.split("/")[1])
    for line, entry in zip(stamped, sung, strict=True):
        minutes, seconds = int(line[1:3]), float(line[4:9])
        assert minutes * 60 + seconds == pytest.approx(entry["start_beat"] * beat, abs=0.006)
        assert line.endswith(entry["text"])
    midi = mido.MidiFile(str(folder / "song.mid"), charset="utf-8")
    syllables = [m.text for t in midi.tracks for m in t if m.type == "lyrics"]
    assert "tide" in syllables
    audio, rate = sf.read(track, dtype="float32")
    assert integrated_lufs(audio, rate) == pytest.approx(-14.0, abs=1.0)


LINES = ["the river runs along the stone", "a candle glows in every room",
         "we walk together through the rain", "and morning finds us far from home",
         "the stars are fading one by one"]


def _compose_cli(tmp_path: Path, lyrics: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LIVETIMBRE_HOME": str(tmp_path / "home")}
    return subprocess.run(
        [sys.executable, "-m", "livetimbre.cli", "compose", "calm folk", "--short", "--duration",
         "12", "--seed", "3", "-q", "-o", str(tmp_path / "out.wav"), "--lyrics", str(lyrics)],
        capture_output=True, text=True, timeout=280, env=env, check=False)


@pytest.mark.timeout(300)
@pytest.mark.parametrize(("words", "said"), [
    ("\n".join(LINES[n % len(LINES)] for n in range(200)), None),
    ("déjà vu, café au lait\nnaïve señor\n", None),
    ("first line\n\n\nsecond line\n", None),
    ("", "no words to sing"),
    ("夜の海\n", "English letters"),
    ("I was born in 1999\n", "digits"),
    ("bell\x07\n", "control character"),
])
def test_lyrics_files_sing_or_err_clearly(tmp_path: Path, words: str, said: str | None
                                          ) -> None:
    lyrics = tmp_path / "words.txt"
    lyrics.write_text(words, encoding="utf-8")
    done = _compose_cli(tmp_path, lyrics)
    assert "Traceback" not in done.stderr
    if said is None:
        assert done.returncode == 0, done.stderr
        assert (tmp_path / "out.wav").exists()
    else:
        assert done.returncode != 0 and said in done.stderr
        assert str(lyrics) in done.stderr and not (tmp_path / "out.wav").exists()


@pytest.mark.timeout(60)
@pytest.mark.parametrize("target", ["/dev/zero", "missing.txt", "."])
def test_a_lyrics_path_that_is_no_file_is_refused(tmp_path: Path, target: str) -> None:
    done = _compose_cli(tmp_path, tmp_path / target if target != "/dev/zero" else Path(target))
    assert done.returncode != 0 and "--lyrics file" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.timeout(60)
def test_words_that_nobody_sings_are_said_to_be_unsung(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from livetimbre.config import Settings
    from livetimbre.genres import load_genres
    from livetimbre.track import requesting

    monkeypatch.setenv("LIVETIMBRE_HOME", str(tmp_path / "home"))
    ask = requesting.ComposeAsk(prompt="calm folk", output=tmp_path / "x.wav", short=True,
                                duration=20, lyrics="la la la", lyrics_from="--lyrics w.txt")
    genres = load_genres()
    request, notes = requesting.build_request(ask, Settings.from_env(), genres)
    assert request.lyrics == "la la la"
    assert not any("not sung" in n for n in notes) or not SINGS
    monkeypatch.setattr(requesting, "singer_sings", lambda: False)
    monkeypatch.setattr(requesting, "singer_status", lambda: "espeak-ng is missing")
    _, notes = requesting.build_request(ask, Settings.from_env(), genres)
    assert "--lyrics w.txt: the words are not sung: no singer (espeak-ng is missing)" in notes
