"""A vocals clip renders bar-exact: the composer sets words, the singer sings them (or,
without one, a wordless choir plays the melody and says why); its words change its MIDI
lyric events and its audio; an offline render writes the `.lrc` and the lyric events."""

from __future__ import annotations

from pathlib import Path

import mido
import numpy as np
import pytest

from livetimbre.genres import GenreRegistry
from livetimbre.live.launching import ready_note
from livetimbre.live.slots import SlotView, _note, cell_text
from livetimbre.music.instruments import VOICE_PROGRAM
from livetimbre.outputs import Companions
from livetimbre.patch import parse_patch
from livetimbre.planner.clip import ClipPlan, build_clip_plan
from livetimbre.render.backends import vocals as vocal_backend
from livetimbre.render.backends.base import BackendContext, RenderedClip
from livetimbre.render.backends.procedural import ProceduralBackend
from livetimbre.render.backends.registry import Backends
from livetimbre.render.jobs import JobState, RenderJob
from livetimbre.render.offline import render_session
from livetimbre.render.release import AudioExport, write_render
from livetimbre.session import commands as c
from livetimbre.session.model import SlotKey, SlotState
from livetimbre.session.state import apply
from livetimbre.voice.singing import singer_status

pytestmark = pytest.mark.timeout(240)

RATE = 22050
PATCH = """\
session: {genre: synthwave, tempo: 110, key: A minor, seed: 3, bars: 2}
layers:
  drums: {}
  vocals: {instrument: soprano}
scenes:
  - name: verse
    clips: {drums: steady beat, vocals: soft hopeful verse}
  - name: chorus
    clips: {vocals: {prompt: soft hopeful chorus, lyrics: "hold on to the night"}}
"""


@pytest.fixture(scope="module")
def backend(genres: GenreRegistry) -> ProceduralBackend:
    return ProceduralBackend.from_context(BackendContext(RATE, genres, synth="fluidsynth"))


def _plan(genres: GenreRegistry, scene: int, lyrics: str | None = None,
          meter: str = "4/4") -> ClipPlan:
    session = parse_patch(PATCH.replace("bars: 2}", f"bars: 2, meter: '{meter}'}}"),
                          "set.yaml", genres)
    if lyrics is not None:
        session = apply(session, c.SetLyrics("vocals", scene + 1, lyrics))
    return build_clip_plan(session, "vocals", scene, genres.get(session.genre), RATE)


def _events(clip: RenderedClip) -> list[tuple[float, str]]:
    assert clip.info.vocal is not None
    return clip.info.vocal.events


@pytest.mark.parametrize("meter", ["4/4", "7/8"])
def test_a_vocals_clip_is_bar_exact_and_sung(genres: GenreRegistry, backend: ProceduralBackend,
                                             meter: str) -> None:
    plan = _plan(genres, 0, meter=meter)
    clip = backend.render(plan)
    assert clip.audio.shape == (plan.frames, 2) and clip.audio.dtype == np.float32
    assert np.isfinite(clip.audio).all() and np.abs(clip.audio).max() > 0.01
    vocal = clip.info.vocal
    assert vocal is not None and vocal.voice == "soprano" and vocal.lines
    assert vocal.sung == (singer_status() is None), vocal.note
    assert clip.part is not None and clip.part.program == VOICE_PROGRAM
    assert clip.part.beats == plan.beats
    assert len(_events(clip)) == vocal.syllables > 0
    assert clip.info.sidecar()["vocal"]["lines"][0]["text"] == vocal.lines[0].text


def test_new_words_change_the_lyric_events_and_the_audio(genres: GenreRegistry,
                                                        backend: ProceduralBackend) -> None:
    first = backend.render(_plan(genres, 1))
    second = backend.render(_plan(genres, 1, "shadows fall across the water"))
    assert "hold" in [text for _, text in _events(first)]
    assert "hold" not in [text for _, text in _events(second)]
    assert "fall" in [text for _, text in _events(second)]
    assert first.recipe_hash != second.recipe_hash
    assert not np.allclose(first.audio, second.audio)
    assert second.info.vocal is not None and second.info.vocal.own_words


def test_without_a_singer_a_wordless_choir_sings_and_says_so(
        genres: GenreRegistry, backend: ProceduralBackend,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vocal_backend, "singer_status", lambda: "espeak-ng is not installed")
    plan = _plan(genres, 0)
    clip = backend.render(plan)
    vocal = clip.info.vocal
    assert vocal is not None and not vocal.sung
    assert vocal.singer == vocal_backend.WORDLESS
    assert vocal.note == "no singer: espeak-ng is not installed"
    assert clip.audio.shape == (plan.frames, 2) and np.abs(clip.audio).max() > 0.01
    assert clip.part is not None and clip.part.program == VOICE_PROGRAM  # voice oohs
    job = RenderJob(1, SlotKey("vocals", "verse"), plan, state=JobState.READY, info=clip.info)
    session = parse_patch(PATCH, "set.yaml", genres)
    assert "espeak-ng is not installed" in ready_note(job, session)
    assert cell_text(SlotView(SlotState.READY, note=_note(clip.info))).strip() == "ready choir"


def test_an_offline_render_writes_the_lrc_and_the_lyric_events(
        genres: GenreRegistry, tmp_path: Path) -> None:
    session = parse_patch(PATCH, "set.yaml", genres)
    backends = Backends(BackendContext(RATE, genres, synth="fluidsynth"))
    result = render_session(session, backends, sample_rate=RATE)
    out = tmp_path / "set.wav"
    sidecar = write_render(result, out, AudioExport("wav"), Companions(midi=tmp_path / "s.mid"),
                           "set")
    verse = result.clips[("vocals", 0)]
    assert verse.info.vocal is not None
    midi = mido.MidiFile(str(tmp_path / "s.mid"), charset="utf-8")
    vocal_track = next(t for t in midi.tracks if any(m.type == "lyrics" for m in t))
    sung = [m.text for m in vocal_track if m.type == "lyrics"]
    chorus = result.clips[("vocals", 1)]
    assert sung == [t for _, t in _events(verse)] + [t for _, t in _events(chorus)]
    lrc = tmp_path / "set.lrc"
    sung = [clip.info.vocal for clip in (verse, chorus)
            if clip.info.vocal is not None and clip.info.vocal.sung]
    assert lrc.exists() == bool(sung)  # a wordless choir sings no words: no .lrc
    if sung:
        assert sidecar["lrc"] == str(lrc)
        text = lrc.read_text(encoding="utf-8")
        assert all(line.text in text for vocal in sung for line in vocal.lines)


def test_the_recipe_names_the_singer(genres: GenreRegistry,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    with_one = ProceduralBackend.from_context(BackendContext(RATE, genres, synth="basic"))
    here = with_one.versions()  # found out once, when first asked
    monkeypatch.setattr(vocal_backend, "singer_status", lambda: "pyworld is not installed")
    without = ProceduralBackend.from_context(BackendContext(RATE, genres, synth="basic"))
    assert without.versions()["singer"] == "none (pyworld is not installed)"
    plan = _plan(genres, 0)
    if singer_status() is None:
        assert here["singer"].startswith("espeak-ng") and with_one.versions() == here
        assert (plan.recipe_hash("procedural", here)
                != plan.recipe_hash("procedural", without.versions()))
