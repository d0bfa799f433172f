"""Planner v3: a prompt and a duration → a long-form (or short-form) track plan (Timbre §3).

Long-form (90–180 s): intro → motif → chorus → outro, with a bridge before the outro from
150 s on. Short-form (under 90 s, asked for explicitly): intro → motif → resolve. The
tempo is quantised to a whole BPM within 68–128 (or the genre's range when that lies
outside it); every section is a whole number of bars, at least 16 s long in long-form,
so every section boundary falls on the bar grid. Each section carries an arrangement
sentence and its orchestration: the layers that play, grouped as Timbre's rhythm, bass,
harmony, lead, textures and vocals. With a singer (`sung`), a vocals layer sings the
verse (the motif section), chorus and bridge, each section its own lines over its whole
length, and the lead rests there; without one, vocals are a wordless choir.

Its decisions (genre, key, meter, tempo words, named instruments) come from the Creative
Director's SongSpec (`planner.direction.direct_prompt`), which the plan records. A tempo the
prompt asked for is kept as asked; the 68–128 quantisation applies to tempos the planner
chooses.

The plan is a pydantic model; its JSON schema is `CompositionPlan.model_json_schema()`
(docs/schemas/composition_plan_v3.json). Clip plans stay "v4" (planner.clip).

The rules live beside it: `planner.form` (durations, templates, tempo, bars),
`planner.direction` (the director's reading), `planner.orchestration` (who plays in each
section) and `planner.trackplan` (the models).
"""

from __future__ import annotations

__all__ = ["plan_track"]

import math

from livetimbre.director.spec import SongSpec
from livetimbre.errors import ValueProblem
from livetimbre.genres import GenreRegistry
from livetimbre.genres.profile import GenreProfile
from livetimbre.music.seeds import stable_seed
from livetimbre.music.tempo import quarters_per_bar
from livetimbre.music.theory import parse_key, parse_meter
from livetimbre.music.values import check_prompt, check_seed
from livetimbre.planner.direction import direct_prompt
from livetimbre.planner.form import (
    BRIDGE_FROM,
    LONG_BRIDGE_TEMPLATE,
    LONG_RANGE,
    LONG_TEMPLATE,
    MIN_SECTION_SECONDS,
    SHORT_TEMPLATE,
    TEMPO_RANGE,
    check_duration,
    quantise_tempo,
    section_bars,
    tempo_range,
)
from livetimbre.planner.orchestration import (
    arrangement,
    layer_words,
    orchestrate,
    section_layers,
    spec_sounds,
)
from livetimbre.planner.theme import describe_prompt, directed_theme
from livetimbre.planner.trackplan import CompositionPlan, SectionPlan

VOCALS_NOTE = ("vocals are a wordless choir layer (choir aahs): no singer is available "
               "(the singer needs espeak-ng and pyworld)")


def plan_track(
    prompt: str,
    genres: GenreRegistry,
    *,
    duration: float = 120.0,
    short: bool = False,
    genre: str | None = None,
    key: str | None = None,
    meter: str | None = None,
    seed: int | None = None,
    backend: str = "procedural",
    backend_for: dict[str, str] | None = None,
    director: str | None = None,
    spec: SongSpec | None = None,
    sung: bool = False,
) -> CompositionPlan:
    """Plan a track for `prompt` (see the module's description for the rules).

    `backend_for` maps 'SECTION' or 'SECTION.LAYER' (or '*.LAYER') to a backend spec
    that renders those clips instead of `backend`. The prompt is read by the director
    `director` (None: $LIVETIMBRE_DIRECTOR or the default), unless `spec` is the SongSpec
    already read (then `genre`, `key` and `meter` are the spec's). `sung`: a singer is
    available to sing the vocals part."""
    check_prompt(prompt)
    if not prompt.strip():
        raise ValueProblem("The prompt is empty: say what the track should be.")
    notes: list[str] = []
    seconds, clamp_note = check_duration(duration, short)
    if clamp_note:
        notes.append(clamp_note)
    if spec is None:
        if genre is not None:
            genres.get(genre)  # an unknown --genre fails here, naming it
        spec = direct_prompt(prompt, genres, director=director, genre=genre, key=key,
                             meter=meter)
    notes.extend(spec.fallbacks)
    if spec.genre.note:
        notes.append(spec.genre.note)
    profile = genres.get(spec.genre.id)
    base = check_seed(seed) if seed is not None else stable_seed("compose",
                                                                  prompt.strip().lower())
    key_name = str(parse_key(spec.key.key))
    meter_text = str(parse_meter(spec.meter))
    tempo, tempo_notes = _tempo(spec, profile)
    notes.extend(tempo_notes)
    bar_s = float(quarters_per_bar(parse_meter(meter_text)) * 60 / tempo)
    if short:
        template = SHORT_TEMPLATE
        total = max(len(template), round(seconds / bar_s))
        min_bars = 2 if total >= 2 * len(template) else 1
    else:
        template = LONG_BRIDGE_TEMPLATE if seconds >= BRIDGE_FROM else LONG_TEMPLATE
        lowest = math.ceil(LONG_RANGE[0] / bar_s - 1e-9)
        highest = math.floor(LONG_RANGE[1] / bar_s + 1e-9)
        total = min(highest, max(lowest, round(seconds / bar_s)))
        min_bars = math.ceil(MIN_SECTION_SECONDS / bar_s - 1e-9)
    allotted = section_bars(total, tuple(w for _, w, _ in template), min_bars)
    theme = directed_theme(describe_prompt(prompt, profile, 4), spec)
    sounds = spec_sounds(spec)
    sections: list[SectionPlan] = []
    start = 0
    motif_done = False
    vocals = False
    for index, ((name, _weight, energy), bars) in enumerate(zip(template, allotted,
                                                                strict=True)):
        backends = {layer: _backend(backend_for or {}, name, layer, backend)
                    for layer in layer_words(name, sung)}
        layers = section_layers(name, bars, prompt, profile, sounds, backends, spec.left_out,
                                sung)
        vocals = vocals or any(la.name == "choir" for la in layers)
        orchestration = orchestrate(layers)
        offset = {"motif": 0, "chorus": 1, "bridge": 2, "outro": 3, "intro": 4,
                  "resolve": 3}[name]
        sections.append(SectionPlan(
            index=index, name=name, start_bar=start, bars=bars,
            start_seconds=round(start * bar_s, 6), seconds=round(bars * bar_s, 6),
            energy=energy, seed=(base + offset) % (2**31), motif_seed=name == "motif"
            and not motif_done, arrangement=arrangement(name, layers),
            orchestration=orchestration, layers=layers))
        motif_done = motif_done or name == "motif"
        start += bars
    if vocals:
        notes.append(VOCALS_NOTE)
    _check_backends(backend_for or {}, sections)
    return CompositionPlan(
        form="short" if short else "long", prompt=prompt, requested_seconds=float(duration),
        seconds=round(total * bar_s, 6), genre=profile.id, tempo=tempo, key=key_name,
        meter=meter_text, bars=total, bar_seconds=round(bar_s, 9), seed=base, theme=theme,
        sections=sections, notes=notes, spec=spec)


def _tempo(spec: SongSpec, profile: GenreProfile) -> tuple[float, list[str]]:
    """The plan's tempo and notes: the prompt's tempo as asked (a whole BPM), else the
    director's genre tempo quantised into 68–128 BPM (or the genre's own range)."""
    low, high = tempo_range(profile)
    notes = []
    if high < TEMPO_RANGE[0] or low > TEMPO_RANGE[1]:
        notes.append(f"{profile.id}'s tempo range {low:g}–{high:g} BPM lies outside "
                     f"{TEMPO_RANGE[0]:g}–{TEMPO_RANGE[1]:g}: the genre's range is used")
    if spec.tempo.source == "genre":
        return quantise_tempo(spec.tempo.bpm, profile), notes
    tempo = float(round(spec.tempo.bpm))
    if not low <= tempo <= high:
        notes.append(f"tempo {tempo:g} BPM as the prompt asked: the planner quantises only "
                     f"a tempo it chooses into {low:g}–{high:g} BPM")
    return tempo, notes


def _backend(backend_for: dict[str, str], section: str, layer: str, default: str) -> str:
    for ref in (f"{section}.{layer}", f"*.{layer}", section):
        if ref in backend_for:
            return backend_for[ref]
    return default


def _check_backends(backend_for: dict[str, str], sections: list[SectionPlan]) -> None:
    names = {s.name for s in sections} | {"*"}
    layers = {la.name for s in sections for la in s.layers}
    for ref in backend_for:
        section, _, layer = ref.partition(".")
        if section not in names or (layer and layer not in layers):
            raise ValueProblem(
                f"--backend-for {ref}: no such section or layer in this plan (sections: "
                f"{', '.join(s.name for s in sections)}; layers: {', '.join(sorted(layers))}).")
