"""The composer (compose.pipeline.compose_clip) and MIDI export (compose.midi).

The musicianship contracts (keys, meters, development, feel) are in
test_musicianship.py; the prompt vocabulary in test_vocabulary.py.
"""

from __future__ import annotations

import io
import itertools
from collections import Counter

import mido
import pytest

from livetimbre.compose.harmony import chord_at
from livetimbre.compose.midi import TICKS_PER_BEAT, parts_to_midi
from livetimbre.compose.pipeline import compose_clip
from livetimbre.genres import GenreRegistry, load_genres
from livetimbre.music.instruments import DRUM_NOTES
from livetimbre.music.notes import NoteEvent, Part
from livetimbre.music.theory import harmonize, parse_key, parse_meter
from livetimbre.planner.clip import ClipPlan
from tests.composing import LAYERS, NEUTRAL, make_plan, spans_of

KICK, SNARE, HAT = DRUM_NOTES["kick"], DRUM_NOTES["snare"], DRUM_NOTES["hat"]
FILL_VOICES = {SNARE, DRUM_NOTES["tom_high"], DRUM_NOTES["tom_mid"], DRUM_NOTES["tom_low"]}


@pytest.fixture(scope="module")
def genres() -> GenreRegistry:
    return load_genres()


def _plan(genres: GenreRegistry, layer: str, prompt: str, **kw: object) -> ClipPlan:
    return make_plan(layer, prompt, **kw)  # type: ignore[arg-type]


def _compose(genres: GenreRegistry, layer: str, prompt: str, **kw: object) -> Part:
    plan = _plan(genres, layer, prompt, **kw)
    return compose_clip(plan, genres.get(plan.genre)).part


def _heard(beat: float) -> float:
    """A start as heard on the 16th grid."""
    return round(beat * 4) / 4


def _bar_hits(part: Part, pitch: int, bar: int, beats_per_bar: int = 4) -> list[float]:
    lo, hi = bar * beats_per_bar, (bar + 1) * beats_per_bar
    return sorted(_heard(n.start) - lo for n in part.notes
                  if n.pitch == pitch and lo <= _heard(n.start) < hi)


def test_roles_come_from_layer_names(genres: GenreRegistry) -> None:
    for layer, role in LAYERS.items():
        assert _plan(genres, layer, NEUTRAL[layer]).role == role


@pytest.mark.parametrize("layer", list(LAYERS))
def test_same_plan_gives_identical_notes(genres: GenreRegistry, layer: str) -> None:
    plan = _plan(genres, layer, NEUTRAL[layer])
    genre = genres.get("synthwave")
    first = compose_clip(plan, genre).part
    again = compose_clip(_plan(genres, layer, NEUTRAL[layer]), genre).part
    assert first == again
    assert first.notes


@pytest.mark.parametrize("layer", list(LAYERS))
def test_different_seed_gives_different_notes(genres: GenreRegistry, layer: str) -> None:
    a = _compose(genres, layer, NEUTRAL[layer], seed=1)
    b = _compose(genres, layer, NEUTRAL[layer], seed=2)
    assert a.notes != b.notes


@pytest.mark.parametrize("genre_id", sorted(g.id for g in load_genres()))
def test_notes_fit_the_loop(genres: GenreRegistry, genre_id: str) -> None:
    genre = genres.get(genre_id)
    for seed in (3, 11):
        for layer in LAYERS:
            plan = _plan(genres, layer, NEUTRAL[layer], genre=genre_id, seed=seed)
            part = compose_clip(plan, genre).part
            assert part.notes, (genre_id, layer)
            assert all(0 <= n.start < plan.beats for n in part.notes)
            assert all(n.duration > 0 and 1 <= n.velocity <= 127 for n in part.notes)
            assert list(part.notes) == sorted(part.notes, key=lambda n: (n.start, n.pitch,
                                                                         n.velocity))
            if layer == "drums":
                assert {n.pitch for n in part.notes} <= set(DRUM_NOTES.values())


def test_harmony_is_a_genre_progression_in_the_key(genres: GenreRegistry) -> None:
    genre = genres.get("synthwave")
    key = parse_key("A minor")
    progressions = [
        [tuple(harmonize(s, key, genre.harmony.extensions).pitch_classes()) for s in p]
        for p in genre.harmony.typical_progressions
    ]
    seen = set()
    for seed in range(8):
        spans = spans_of(_plan(genres, "keys", "chords", seed=seed, key="A minor"))
        assert [s.start for s in spans] == [0.0, 4.0, 8.0, 12.0]  # one chord per bar
        chords = [tuple(s.chord.pitch_classes()) for s in spans]
        assert chords in progressions
        seen.add(tuple(chords))
    assert len(seen) > 1  # the harmony seed picks among the progressions


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_lead_strong_beats_are_chord_tones(genres: GenreRegistry, seed: int) -> None:
    plan = _plan(genres, "lead", "melody", seed=seed, key="A minor")
    part = compose_clip(plan, genres.get("synthwave")).part
    spans = spans_of(plan)
    strong = [n for n in part.notes if _heard(n.start) % 2 == 0]  # beats 1 and 3
    assert len(strong) >= plan.bars  # every bar starts with a note
    for note in strong:  # (a note pushed ahead of beat 1 wraps to the loop's end)
        heard = _heard(note.start) % plan.beats
        assert note.pitch % 12 in chord_at(spans, heard).pitch_classes(), note


def _assert_monophonic(notes: tuple[NoteEvent, ...]) -> None:
    starts = [n.start for n in notes]
    assert len(starts) == len(set(starts))
    for a, b in itertools.pairwise(notes):
        assert a.start + a.duration <= b.start + 0.02  # a player's spread aside


def test_arp_plays_chord_tones_one_at_a_time(genres: GenreRegistry) -> None:
    plan = _plan(genres, "arp", "arpeggio", key="A minor")
    part = compose_clip(plan, genres.get("synthwave")).part
    spans = spans_of(plan)
    for note in part.notes:
        assert note.pitch % 12 in chord_at(spans, _heard(note.start)).pitch_classes()
    _assert_monophonic(part.notes)


def _pulse_hits(part: Part, start: float) -> set[tuple[float, int]]:
    return {(_heard(n.start) - start, n.pitch) for n in part.notes
            if start <= _heard(n.start) < start + 1 and n.pitch != DRUM_NOTES["crash"]}


def test_drums_end_with_a_fill(genres: GenreRegistry) -> None:
    for seed in range(4):
        part = _compose(genres, "drums", "energetic beat", seed=seed)
        fill = _pulse_hits(part, 15.0) - _pulse_hits(part, 3.0)
        assert {p for _, p in fill} <= FILL_VOICES
        assert len(fill) >= 3


def test_no_fill_means_no_fill(genres: GenreRegistry) -> None:
    for seed in range(4):
        part = _compose(genres, "drums", "energetic beat no fill", seed=seed)
        toms = FILL_VOICES - {SNARE}
        assert not any(n.pitch in toms for n in part.notes)
        last = [n for n in part.notes if _heard(n.start) >= 15 and n.pitch == SNARE]
        assert len(last) <= 2  # the backbeat and at most one ghost, not a roll


def test_half_time_moves_the_snare_to_the_middle(genres: GenreRegistry) -> None:
    straight = _compose(genres, "drums", "steady beat")
    half = _compose(genres, "drums", "half-time beat")
    assert _bar_hits(straight, SNARE, 0) == [1.0, 3.0]
    assert _bar_hits(half, SNARE, 0) == [2.0]


def test_sparse_drums_have_fewer_notes_than_busy(genres: GenreRegistry) -> None:
    for seed in range(3):
        sparse = _compose(genres, "drums", "sparse beat", seed=seed)
        busy = _compose(genres, "drums", "busy beat", seed=seed)
        assert len(sparse.notes) < len(busy.notes)
        sparse_hats = [n for n in sparse.notes if n.pitch == HAT]
        assert all(_heard(n.start) % 1 == 0 for n in sparse_hats)  # on-beat hats only


def test_four_on_the_floor_kick(genres: GenreRegistry) -> None:
    part = _compose(genres, "drums", "four on the floor beat")
    for bar in range(4):
        assert {0.0, 1.0, 2.0, 3.0} <= set(_bar_hits(part, KICK, bar))
    assert _bar_hits(part, KICK, 0) == [0.0, 1.0, 2.0, 3.0]


def test_octave_bass_jumps_octaves(genres: GenreRegistry) -> None:
    part = _compose(genres, "bass", "octave bass")
    first_bar = [n for n in part.notes if _heard(n.start) < 4]
    assert len(first_bar) == 8  # eighth notes
    pitches = [n.pitch for n in first_bar]
    assert pitches[1::2] == [p + 12 for p in pitches[0::2]]


def test_bass_lands_on_the_root_of_every_chord(genres: GenreRegistry) -> None:
    plan = _plan(genres, "bass", "bassline", key="A minor")
    part = compose_clip(plan, genres.get("synthwave")).part
    for span in spans_of(plan):
        first = min((n for n in part.notes if _heard(n.start) >= span.start),
                    key=lambda n: n.start)
        assert _heard(first.start) == span.start
        assert first.pitch % 12 == span.chord.root
    assert all(24 <= n.pitch < 56 for n in part.notes)


def test_arpeggio_chords_play_one_note_at_a_time(genres: GenreRegistry) -> None:
    block = _compose(genres, "keys", "chords")
    starts = Counter(_heard(n.start) for n in block.notes)
    assert max(starts.values()) >= 3  # plain chords stack notes
    arp = _compose(genres, "keys", "arpeggio chords")
    assert len(arp.notes) > len(block.notes)
    _assert_monophonic(arp.notes)


def test_piano_prompt_sets_program_zero(genres: GenreRegistry) -> None:
    default = _compose(genres, "keys", "chords")
    assert default.program == genres.get("synthwave").instrumentation.programs["chords"] == 90
    piano = _compose(genres, "keys", "soft piano chords")
    assert piano.program == 0
    assert (piano.bank, piano.channel) == (0, 0)
    drums = _compose(genres, "drums", "beat")
    assert (drums.bank, drums.channel) == (128, 9)


def _count_midi(midi: mido.MidiFile) -> list[Counter[str]]:
    counts = []
    for track in midi.tracks[1:]:
        c: Counter[str] = Counter()
        for msg in track:
            if msg.type == "note_on" and msg.velocity > 0:
                c["on"] += 1
            elif msg.type == "note_off" or (msg.type == "note_on" and msg.velocity == 0):
                c["off"] += 1
            elif msg.type == "program_change":
                c[f"program{msg.program}@{msg.channel}"] += 1
        counts.append(c)
    return counts


def test_parts_to_midi_round_trips_note_counts(genres: GenreRegistry) -> None:
    drums = _compose(genres, "drums", "beat")
    lead = _compose(genres, "lead", "melody")
    bass = _compose(genres, "bass", "bassline")
    midi = parts_to_midi(
        [("drums", 0.0, drums), ("lead", 0.0, lead), ("lead", 16.0, lead), ("bass", 4.0, bass)],
        104.0, parse_meter("4/4"),
    )
    buffer = io.BytesIO()
    midi.save(file=buffer)
    buffer.seek(0)
    loaded = mido.MidiFile(file=buffer)
    assert loaded.ticks_per_beat == TICKS_PER_BEAT
    counts = _count_midi(loaded)
    # one track per layer, its passes in order on it
    assert [track.name for track in loaded.tracks[1:]] == ["drums", "lead", "bass"]
    assert [c["on"] for c in counts] == [len(drums.notes), 2 * len(lead.notes),
                                         len(bass.notes)]
    assert [c["off"] for c in counts] == [c["on"] for c in counts]
    assert counts[0][f"program{drums.program}@9"] == 1
    assert counts[1][f"program{lead.program}@0"] == 2  # a program change at each pass
    assert counts[2][f"program{bass.program}@1"] == 1
    tempo = next(m for m in loaded.tracks[0] if m.type == "set_tempo").tempo
    assert tempo == mido.bpm2tempo(104.0)
    # the second lead pass starts exactly 16 beats after the first
    lead_ons = _note_on_ticks(loaded.tracks[2])
    assert lead_ons[len(lead.notes)] == lead_ons[0] + 16 * TICKS_PER_BEAT
    assert _note_on_ticks(loaded.tracks[3])[0] == round((4 + bass.notes[0].start)
                                                         * TICKS_PER_BEAT)


def _note_on_ticks(track: mido.MidiTrack) -> list[int]:
    now, ticks = 0, []
    for msg in track:
        now += msg.time
        if msg.type == "note_on" and msg.velocity > 0:
            ticks.append(now)
    return ticks


def test_midi_six_eight_uses_eighth_note_beats() -> None:
    part = Part("lead", 0, 81, 6.0, (NoteEvent(0.0, 1.0, 60, 100), NoteEvent(3.0, 1.0, 62, 90)))
    midi = parts_to_midi([("lead", 0.0, part)], 120.0, parse_meter("6/8"))
    tempo = next(m for m in midi.tracks[0] if m.type == "set_tempo").tempo
    assert tempo == mido.bpm2tempo(120.0)  # the session's tempo counts quarter notes too
    sig = next(m for m in midi.tracks[0] if m.type == "time_signature")
    assert (sig.numerator, sig.denominator) == (6, 8)
    ticks = []
    now = 0
    for msg in midi.tracks[1]:
        now += msg.time
        if msg.type == "note_on":
            ticks.append(now)
    assert ticks == [0, 3 * TICKS_PER_BEAT // 2]
