"""A track plan with a singer: the vocals part sings the verse (motif), chorus and
bridge over their whole length, the lead resting there; one LyricSpec for the song,
its words handed to every vocals clip; without a singer, the wordless choir and a note."""

from __future__ import annotations

import pytest

from livetimbre.genres import GenreRegistry
from livetimbre.planner.longform import VOCALS_NOTE, plan_track
from livetimbre.track.sections import clip_plans
from livetimbre.track.specs import ClipRecord, SectionRender, SoundDesignSpec
from livetimbre.track.vocals import lyric_text, sing_song, track_lines, track_syllables
from livetimbre.voice.info import SungLine, VocalInfo
from livetimbre.voice.lyrics_read import read_lyrics

pytestmark = pytest.mark.timeout(60)
PROMPT = "tender folk ballad about the sea"


def test_a_singer_sings_the_verse_chorus_and_bridge(genres: GenreRegistry) -> None:
    plan = plan_track(PROMPT, genres, duration=160, seed=4, sung=True)
    by_name = {s.name: {la.name: la for la in s.layers} for s in plan.sections}
    for name in ("motif", "chorus", "bridge"):
        layers = by_name[name]
        assert "vocals" in layers and "choir" not in layers and "lead" not in layers
        section = plan.section(name)
        assert layers["vocals"].loop_bars == section.bars  # sung through, not looped
        assert layers["vocals"].part == "vocals"
        assert section.orchestration.vocals == ["voice (vocals)"]
    assert {"intro", "outro"} <= set(by_name) and "vocals" not in by_name["outro"]
    assert "voice" in plan.section("motif").arrangement
    assert VOCALS_NOTE not in plan.notes


def test_without_a_singer_the_choir_stays_and_says_why(genres: GenreRegistry) -> None:
    plan = plan_track(PROMPT, genres, duration=160, seed=4)
    assert "choir" in {la.name for la in plan.section("chorus").layers}
    assert all(la.name != "vocals" for s in plan.sections for la in s.layers)
    assert VOCALS_NOTE in plan.notes


def test_no_vocals_leaves_the_singer_out(genres: GenreRegistry) -> None:
    plan = plan_track(PROMPT + ", no vocals", genres, duration=120, seed=4, sung=True)
    assert all(la.name not in ("vocals", "choir") for s in plan.sections for la in s.layers)


def test_one_lyric_for_the_song_reaches_every_vocals_clip(genres: GenreRegistry) -> None:
    plan = plan_track(PROMPT, genres, duration=160, seed=4, sung=True)
    clips = clip_plans(plan, genres, 22050)
    sung, spec = sing_song(plan, genres.get(plan.genre), clips, None)
    assert spec is not None and spec.source in ("grammar", "llm")
    assert [s.name for s in spec.sections] == ["verse", "chorus", "bridge"]
    vocals = [c for row in sung for c in row if c.role == "vocals"]
    assert len(vocals) == 3 and {c.lyrics for c in vocals} == {lyric_text(spec)}
    assert read_lyrics(lyric_text(spec), "test").sections == [
        s.model_copy(update={"scheme": None}) for s in spec.sections]
    assert all(c.lyrics is None for row in sung for c in row if c.role != "vocals")
    again, _ = sing_song(plan, genres.get(plan.genre), clips, None)
    assert again == sung  # deterministic
    own, mine = sing_song(plan, genres.get(plan.genre), clips, "[chorus]\nla la la\n")
    assert mine is not None and mine.source == "user"
    assert {c.lyrics for row in own for c in row if c.role == "vocals"} == {
        "[chorus]\nla la la\n"}


def test_sung_lines_are_placed_along_the_track(genres: GenreRegistry) -> None:
    plan = plan_track(PROMPT, genres, duration=120, seed=4, sung=True)
    vocal = VocalInfo(voice="alto", singer="s", sung=True, beats=8, notes=2, syllables=2,
                      melismas=0, lines=[SungLine(start=1.0, text="la la", section="verse")],
                      events=[(1.0, "la"), (2.0, "la")])
    wordless = vocal.model_copy(update={"sung": False})
    sections = [SectionRender(index=s.index, name=s.name, seconds=0.0, clips=[
        ClipRecord(layer="vocals", recipe_hash="x", backend="procedural", fallback=False,
                   exact=True, frames=1, part=None,
                   info={"vocal": (vocal if s.name == "motif" else wordless).model_dump()})])
        for s in plan.sections]
    sound = SoundDesignSpec(warm_up={}, backends={}, notes=[], sections=sections)
    motif = plan.section("motif")
    per_bar = int(plan.meter.split("/")[0])
    assert [(x.start, x.text) for x in track_lines(plan, sound)] == [
        (motif.start_bar * per_bar + 1.0, "la la")]
    assert ("vocals", motif.start_bar * per_bar + 2.0, "la") in track_syllables(plan, sound)
    assert len(track_syllables(plan, sound)) == 2 * len(plan.sections)
