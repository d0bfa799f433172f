"""Pattern clips: a patch's `{pattern: ...}` through the planner and the composer, the
MIDI export at the events' positions, bad patterns as patch errors with the column."""

from __future__ import annotations

import mido
import pytest

from livetimbre.compose.midi import TICKS_PER_BEAT, parts_to_midi
from livetimbre.compose.pipeline import compose_clip
from livetimbre.errors import PatchError
from livetimbre.genres import GenreRegistry
from livetimbre.music.tempo import clip_frames
from livetimbre.music.theory import parse_key, parse_meter
from livetimbre.patch.dump import session_to_patch
from livetimbre.patch.load import parse_patch
from livetimbre.patterns import events
from livetimbre.patterns.notes import pattern_notes
from livetimbre.planner.clip import build_clip_plan

PATCH = """\
session: {genre: funk, tempo: 97, meter: 7/8, key: A minor, seed: 5, bars: 2}
layers:
  drums: {}
  bass: {}
  chords: {}
scenes:
  - name: one
    clips:
      drums: {pattern: "bd*2 [~ sd] <hh oh>", prompt: "loose swung groove", vel: "1 0.5"}
      bass: {pattern: "0 2 4 <5 7>", gate: "0.5"}
      chords: {pattern: "<Am7 D9>", cycles: 2}
"""


def _note_ons(midi: mido.MidiFile) -> list[tuple[int, int]]:
    out, now = [], 0
    for message in midi.tracks[1]:
        now += message.time
        if message.type == "note_on":
            out.append((now, message.note))
    return out


@pytest.mark.timeout(60)
def test_a_pattern_drum_clip_in_7_8_at_97_bpm_exports_every_onset_at_its_event(
        genres: GenreRegistry) -> None:
    session = parse_patch(PATCH, "p.yaml", genres)
    genre = genres.get(session.genre)
    plan = build_clip_plan(session, "drums", 0, genre, 48000)
    assert plan.backend == "procedural" and plan.pattern is not None
    assert plan.frames == clip_frames(2, 48000, 97, parse_meter("7/8"))
    part = compose_clip(plan, genre).part
    midi = parts_to_midi([("drums", 0.0, part)], 97, parse_meter("7/8"))
    ticks_per_cycle = 7 * TICKS_PER_BEAT * 4 // 8  # a cycle is the 7/8 bar
    keys = {"bd": 36, "sd": 38, "hh": 42, "oh": 46}
    expected = [(int(e.begin * ticks_per_cycle), keys[e.value])
                for e in events("bd*2 [~ sd] <hh oh>", 0, 2)]
    assert _note_ons(midi) == expected
    velocities = [n.velocity for n in part.notes]
    assert max(velocities) > min(velocities)  # `vel` shapes them (1 on the first half)


@pytest.mark.timeout(60)
def test_degrees_gate_chords_and_cycles(genres: GenreRegistry) -> None:
    session = parse_patch(PATCH, "p.yaml", genres)
    genre = genres.get(session.genre)
    bass = compose_clip(build_clip_plan(session, "bass", 0, genre, 48000), genre).part
    # A minor from A2 (45): degrees 0 2 4 5 | 0 2 4 7 → A C E F | A C E A
    assert [n.pitch for n in bass.notes] == [45, 48, 52, 53, 45, 48, 52, 57]
    assert [n.start for n in bass.notes] == [0, 1.75, 3.5, 5.25, 7, 8.75, 10.5, 12.25]
    assert all(n.duration == 0.875 for n in bass.notes)  # gate 0.5 of 7/4 beats
    chords = compose_clip(build_clip_plan(session, "chords", 0, genre, 48000), genre).part
    # a cycle of 2 bars: Am7 over the whole 14-beat clip (D9 would follow in bar 3)
    assert sorted(n.pitch for n in chords.notes) == [57, 60, 64, 67]
    assert {n.duration for n in chords.notes} == {14.0}


@pytest.mark.timeout(30)
def test_a_pattern_of_cycle_lengths_stretches_like_tidals_patterned_slow() -> None:
    # Strudel's s("bd sd").slow("<1 2>"): cycle 0 whole; cycle 1 plays the second half
    # of the pattern's cycle over the whole bar (sd from 1 to 2); cycle 2 whole again.
    notes = pattern_notes("bd sd", role="drums", key=parse_key("A minor"),
                          beats_per_bar=4, bars=3, cycles="<1 2>")
    assert [(n.start, n.duration, n.pitch) for n in notes] == [
        (0, 2, 36), (2, 2, 38), (4, 4, 38), (8, 2, 36), (10, 2, 38)]


@pytest.mark.timeout(30)
def test_vel_and_gate_are_stretched_with_the_notes() -> None:
    notes = pattern_notes("bd*4", role="drums", key=parse_key("A minor"), beats_per_bar=4,
                          bars=2, cycles="2", vel="1 0.5", gate="0.5")
    assert [n.start for n in notes] == [0, 2, 4, 6]  # a cycle over two bars
    assert [n.duration for n in notes] == [1, 1, 1, 1]
    loud, soft = notes[0].velocity, notes[2].velocity
    assert [n.velocity for n in notes] == [loud, loud, soft, soft] and loud > soft


@pytest.mark.timeout(60)
def test_a_pattern_of_cycle_lengths_is_saved_back_as_text(genres: GenreRegistry) -> None:
    text = PATCH.replace('cycles: 2}', 'cycles: "<1 2>"}')
    session = parse_patch(text, "p.yaml", genres)
    assert session.scenes[0].clips["chords"].pattern.cycles == "<1 2>"  # type: ignore[union-attr]
    clips = session_to_patch(session)["scenes"][0]["clips"]
    assert clips["chords"] == {"pattern": "<Am7 D9>", "cycles": "<1 2>"}
    again = parse_patch(PATCH.replace('cycles: 2}', 'cycles: 1.5}'), "p.yaml", genres)
    assert session_to_patch(again)["scenes"][0]["clips"]["chords"]["cycles"] == 1.5


@pytest.mark.timeout(60)
def test_a_pattern_clip_is_saved_back_as_it_was_given(genres: GenreRegistry) -> None:
    session = parse_patch(PATCH, "p.yaml", genres)
    clips = session_to_patch(session)["scenes"][0]["clips"]
    assert clips["drums"] == {"pattern": "bd*2 [~ sd] <hh oh>", "prompt": "loose swung groove",
                              "vel": "1 0.5"}
    assert clips["chords"] == {"pattern": "<Am7 D9>", "cycles": 2}
    assert isinstance(clips["chords"]["cycles"], int)


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("clip", "words"), [
    ('{pattern: "bd*2 [~ zz]"}', "column 9: 'zz' is not a drum name"),
    ('{pattern: "bd*2 [~ sd"}', "column 6"),
    ('{pattern: "bd*"}', "column 4"),
    ('{pattern: "bd", vel: "2"}', "column 1: '2' is not a number from 0 to 1"),
    ('{pattern: "bd", sample: x.wav}', "not both"),
    ('{prompt: "x", cycles: 2}', "belong to a {pattern"),
    ('{pattern: "bd", cycles: 0}', "cycles: pattern error at column 1: '0' is not a number"),
    ('{pattern: "bd", cycles: "<1 100>"}', "column 4: '100' is not a number"),
    ('{pattern: "bd", cycles: "<1 2"}', "column 1"),
])
def test_a_bad_pattern_clip_is_a_patch_error_with_the_column(genres: GenreRegistry,
                                                             clip: str, words: str) -> None:
    text = PATCH.replace('{pattern: "bd*2 [~ sd] <hh oh>", prompt: "loose swung groove", '
                         'vel: "1 0.5"}', clip)
    with pytest.raises(PatchError) as caught:
        parse_patch(text, "p.yaml", genres)
    assert "p.yaml:9" in str(caught.value)
    assert words in str(caught.value)


@pytest.mark.timeout(30)
def test_the_docs_genre_examples_play_on_their_layers() -> None:
    from pathlib import Path

    from livetimbre.music.theory import parse_key
    from livetimbre.patterns.voicing import check_values

    page = Path(__file__).resolve().parents[2] / "docs" / "composing" / "patterns.md"
    rows = [line.split("|") for line in page.read_text().splitlines()
            if line.startswith("| ") and line.count("`") >= 2 and "Genre" not in line]
    examples = [(cells[2].strip(), cells[3].split("`")[1]) for cells in rows
                if cells[2].strip() in ("drums", "bass", "chords", "pad")]
    assert len(examples) >= 10
    for role, text in examples:
        check_values(text, role, parse_key("A minor"))
        assert events(text, 0, 4, seed=1)


@pytest.mark.timeout(60)
def test_editing_one_pattern_changes_that_clips_plan_only(genres: GenreRegistry) -> None:
    before = parse_patch(PATCH, "p.yaml", genres)
    after = parse_patch(PATCH.replace("0 2 4 <5 7>", "0 2 4 <5 7 9>"), "p.yaml", genres)
    genre = genres.get(before.genre)
    changed = [layer for layer in ("drums", "bass", "chords")
               if build_clip_plan(before, layer, 0, genre, 48000)
               != build_clip_plan(after, layer, 0, genre, 48000)]
    assert changed == ["bass"]
