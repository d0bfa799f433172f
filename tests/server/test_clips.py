"""A clip request's session: what a patch with the same values loads as; a duration
becomes whole bars; the genre comes from the request, else the director's reading of the prompt."""

from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile

from livetimbre.errors import LivetimbreError
from livetimbre.genres import GenreRegistry
from livetimbre.planner.direction import direct_prompt
from livetimbre.remote.models import ClipRequest
from livetimbre.render.backends import BackendContext, Backends
from livetimbre.server.clips import clip_plan, clip_session, encode_clip_wav


def _clip(**values: object) -> ClipRequest:
    return ClipRequest.model_validate({"kind": "clip", "prompt": "warm pad", **values})


@pytest.mark.parametrize(("seconds", "bars"), [(4.8, 2), (5.9, 2), (1.0, 1), (0.1, 1),
                                               (38.4, 16)])
def test_a_duration_becomes_whole_bars(genres: GenreRegistry, seconds: float,
                                       bars: int) -> None:
    session = clip_session(_clip(tempo=100, meter="4/4", duration=seconds), genres)
    assert session.scenes[0].clips["lead"].bars is None and session.bars == bars


def test_a_duration_past_the_longest_loop_is_refused(genres: GenreRegistry) -> None:
    with pytest.raises(LivetimbreError, match="Bars 65"):
        clip_session(_clip(tempo=60, meter="4/4", duration=260), genres)


def test_the_genre_comes_from_the_request_then_the_prompt(genres: GenreRegistry) -> None:
    plain = _clip()
    assert clip_session(plain, genres).genre == direct_prompt(plain.prompt, genres).genre.id
    assert clip_session(_clip(prompt="dusty lofi piano"), genres).genre == "lo-fi-hip-hop"
    assert clip_session(_clip(prompt="dusty lofi piano", genre="synthwave"),
                        genres).genre == "synthwave"
    genre = genres.get("synthwave")
    session = clip_session(_clip(genre="synthwave"), genres)
    assert (session.tempo, session.key, session.meter) == (
        genre.rhythm.tempo, genre.harmony.common_keys[0], genre.rhythm.time_signatures[0])


def test_an_unknown_backend_is_refused_naming_it(genres: GenreRegistry) -> None:
    with pytest.raises(LivetimbreError, match="nosuch"):
        clip_plan(_clip(backend="nosuch"), genres, 48000)


@pytest.mark.timeout(60)
def test_the_wav_holds_the_loop_then_its_tail_exactly(genres: GenreRegistry) -> None:
    plan = clip_plan(_clip(bars=1, tempo=120, seed=1), genres, 48000)
    clip = Backends(BackendContext(48000, genres)).get("procedural").render(plan)
    assert clip.tail is not None
    audio, rate = soundfile.read(io.BytesIO(encode_clip_wav(clip)), dtype="float32")
    assert rate == 48000 and audio.shape == (plan.frames + len(clip.tail), 2)
    assert np.array_equal(audio[:plan.frames], clip.audio)
    assert np.array_equal(audio[plan.frames:], clip.tail)


def test_a_plan_a_client_sends_is_rendered_as_it_is_when_it_fits(genres: GenreRegistry) -> None:
    plan = clip_plan(_clip(genre="synthwave", tempo=104, bars=2, seed=7), genres, 48000)
    carried = _clip(plan=plan.model_dump(mode="json"))
    assert clip_plan(carried, genres, 48000) == plan
    with pytest.raises(LivetimbreError, match=r"^plan.sample_rate 48000 Hz: this server "
                                              r"renders at 44100 Hz"):
        clip_plan(carried, genres, 44100)
    short = _clip(plan={**plan.model_dump(mode="json"), "frames": plan.frames - 1})
    with pytest.raises(LivetimbreError, match=rf"^plan.frames {plan.frames - 1}: 2 bars"):
        clip_plan(short, genres, 48000)
    unknown = _clip(plan={**plan.model_dump(mode="json"), "backend": "nosuch"})
    with pytest.raises(LivetimbreError, match="nosuch"):
        clip_plan(unknown, genres, 48000)


@pytest.mark.timeout(60)
def test_the_wav_carries_no_time_stamp(genres: GenreRegistry) -> None:
    """libsndfile stamps the time into a float WAV's PEAK chunk; cleared, the same clip
    is the same bytes (and ETag) whenever it is rendered."""
    plan = clip_plan(_clip(bars=1, tempo=120, seed=2), genres, 48000)
    wav = encode_clip_wav(Backends(BackendContext(48000, genres)).get("procedural")
                          .render(plan))
    peak = wav.index(b"PEAK")
    assert peak < wav.index(b"data") and wav[peak + 12:peak + 16] == bytes(4)


def test_a_plan_naming_files_of_the_client_is_refused(genres: GenreRegistry) -> None:
    """A loop or a kit names files of the client's machine: the server reads none (a plan
    naming /etc/shadow as a loop is refused before any backend sees it)."""
    plan = clip_plan(_clip(bars=1, tempo=120, seed=1), genres, 48000).model_dump(mode="json")
    sample = {"path": "/etc/shadow", "size": 1, "mtime_ns": 1, "sample_rate": 48000,
              "channels": 1, "frames": 48000}
    kit = {"folder": "/etc", "voices": [{"voice": "kick", "path": "/etc/shadow", "size": 1,
                                         "mtime_ns": 1}]}
    for extra in ({"sample": sample, "backend": "sample"}, {"kit": kit}):
        with pytest.raises(LivetimbreError, match="a render server plays none"):
            clip_plan(_clip(plan={**plan, **extra}), genres, 48000)
    with pytest.raises(LivetimbreError, match="The sample backend is not named"):
        clip_plan(_clip(plan={**plan, "backend": "sample"}), genres, 48000)
