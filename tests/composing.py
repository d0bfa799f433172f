"""Helpers for composer tests: plan a one-slot patch, compose it, and hear the notes the
way a musician would (on the 16th grid, bar by bar)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from livetimbre.compose.direction import direct
from livetimbre.compose.harmony import ChordSpan, plan_harmony
from livetimbre.compose.pipeline import Composition, compose_clip
from livetimbre.genres import GenreRegistry, load_genres
from livetimbre.music.notes import NoteEvent, Part
from livetimbre.music.theory import parse_key, parse_meter
from livetimbre.patch import parse_patch
from livetimbre.planner.clip import ClipPlan, build_clip_plan

# Layer name → role, and a neutral prompt for each.
LAYERS = {"drums": "drums", "bass": "bass", "keys": "chords", "pad": "pad", "lead": "lead",
          "arp": "arp", "fx": "texture"}
NEUTRAL = {"drums": "beat", "bass": "bassline", "keys": "chords", "pad": "pad",
           "lead": "melody", "arp": "arpeggio", "fx": "texture"}


@cache
def genres() -> GenreRegistry:
    return load_genres()


GENRES = sorted(g.id for g in genres())  # every genre's id
PITCHED = ("bass", "keys", "pad", "lead", "arp", "fx")  # the layers that play pitches


def make_plan(layer: str, prompt: str, *, genre: str = "synthwave", seed: int = 7,
              bars: int = 4, key: str = "", meter: str = "", tempo: float | None = None,
              scene: int = 0, prompts: tuple[str, ...] = (), clip_seed: int | None = None
              ) -> ClipPlan:
    """The plan of `layer` in scene `scene` of a patch whose scenes hold `prompts`
    (or just `prompt`); `clip_seed` fixes the clips' own seed (else it follows the
    prompt)."""
    session_fields = [f"genre: {genre}", f"seed: {seed}", f"bars: {bars}"]
    if key:
        session_fields.append(f"key: {key}")
    if meter:
        session_fields.append(f"meter: '{meter}'")
    if tempo is not None:
        session_fields.append(f"tempo: {tempo}")
    def clip(text: str) -> str:
        return f'"{text}"' if clip_seed is None else f'{{prompt: "{text}", seed: {clip_seed}}}'

    scenes = "".join(f"  - name: s{i}\n    clips:\n      {layer}: {clip(p)}\n"
                     for i, p in enumerate(prompts or (prompt,)))
    text = f"session: {{{', '.join(session_fields)}}}\nlayers: {{{layer}: }}\nscenes:\n{scenes}"
    session = parse_patch(text, "compose.yaml", genres())
    return build_clip_plan(session, layer, scene, genres().get(genre), 48000)


def compose(layer: str, prompt: str, **kw: object) -> Part:
    return composition(layer, prompt, **kw).part


def composition(layer: str, prompt: str, **kw: object) -> Composition:
    plan = make_plan(layer, prompt, **kw)  # type: ignore[arg-type]
    return compose_clip(plan, genres().get(plan.genre))


def plan_and_part(layer: str, prompt: str, **kw: object) -> tuple[ClipPlan, Part]:
    """The clip's plan (as `make_plan`) and the part composed from it."""
    plan = make_plan(layer, prompt, **kw)  # type: ignore[arg-type]
    return plan, compose_clip(plan, genres().get(plan.genre)).part


def rhythms(layer: str, prompt: str, seeds: Iterable[int], *, heard_in: str = "4/4",
            **kw: object) -> set[frozenset[int]]:
    """The onsets the clip plays under each seed in `seeds`, on the grid of meter
    `heard_in` (equal rhythms count once)."""
    return {onsets(compose(layer, prompt, seed=s, **kw), heard_in) for s in seeds}


def spans_of(plan: ClipPlan) -> list[ChordSpan]:
    return plan_harmony(direct(plan, genres().get(plan.genre)))


def grid_step(note: NoteEvent, steps_per_beat: int) -> int:
    """The 16th-grid step a note is heard on (swing and a player's push round away)."""
    return round(note.start * steps_per_beat)


def bars_heard(part: Part, meter: str = "4/4", *, pitches: bool = True
               ) -> list[frozenset[tuple[int, int]]]:
    """Each bar as the set of (grid step in the bar, pitch) it plays."""
    m = parse_meter(meter)
    per_bar = m.steps_per_bar
    count = round(part.beats / m.beats)
    bars: list[set[tuple[int, int]]] = [set() for _ in range(count)]
    for note in part.notes:
        step = grid_step(note, m.steps_per_beat) % (per_bar * count)
        bar, within = divmod(step, per_bar)
        bars[bar].add((within, note.pitch if pitches else 0))
    return [frozenset(b) for b in bars]


def onsets(part: Part, meter: str = "4/4") -> frozenset[int]:
    """The grid steps where notes start."""
    m = parse_meter(meter)
    return frozenset(grid_step(n, m.steps_per_beat) for n in part.notes)


def in_key_fraction(plan: ClipPlan, notes: Iterable[NoteEvent]) -> float:
    """The share of notes in the key's scale, or in a chord the clip labels chromatic
    sounding within a 16th of the note (a player's push may start it early)."""
    key = parse_key(plan.key)
    scale = {(key.tonic + i) % 12 for i in key.intervals}
    chromatic = [s for s in spans_of(plan) if s.chord.chromatic]
    margin = 0.25 * parse_meter(plan.meter).unit / 4

    def heard_in_key(note: NoteEvent) -> bool:
        if note.pitch % 12 in scale:
            return True
        return any(s.start - margin <= note.start < s.start + s.beats + margin
                   and note.pitch % 12 in s.chord.pitch_classes() for s in chromatic)

    notes = list(notes)
    return sum(heard_in_key(n) for n in notes) / max(1, len(notes))
