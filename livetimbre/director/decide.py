"""From a Reading (hits found by the providers) to a SongSpec: the decisions and, for
every word, what it did."""

from __future__ import annotations

__all__ = ["build_spec", "clues", "genre_votes"]

import random
from collections.abc import Sequence
from itertools import pairwise
from typing import Literal, cast

from livetimbre.director.genre_choice import GenreContext, choose_genre
from livetimbre.director.genre_compounds import MODIFIER_WEIGHT, NOT_HEADS
from livetimbre.director.instrument_names import Sound, gm_program_name, layer_of
from livetimbre.director.moods import RELAXED_TEMPO, Mood
from livetimbre.director.reading import Hit, Meaning, Reading
from livetimbre.director.spec import (
    Curve,
    Feel,
    GenreDecision,
    InstrumentChoice,
    KeyDecision,
    Layer,
    SongSpec,
    Source,
    TempoDecision,
    WordUse,
    mode_family,
)
from livetimbre.director.voices import decide_voice
from livetimbre.genres.profile import GenreProfile
from livetimbre.music.instruments import Role
from livetimbre.music.seeds import stable_seed
from livetimbre.music.textures import texture_kind
from livetimbre.music.theory import note_name, parse_key, parse_meter

_KITS = {0: "Standard kit", 8: "Room kit", 16: "Power kit", 24: "Electronic kit",
         25: "TR-808 kit", 32: "Jazz kit", 40: "Brush kit", 48: "Orchestra kit"}
_GENRE_LAYERS: tuple[Layer, ...] = ("drums", "bass", "chords", "pad", "lead")
Direction = Literal["slow", "fast", "none"]
_WHOLE_KIT = frozenset(("percussion", "percussions"))


def _modifiers(hits: list[Hit], reading: Reading) -> set[int]:
    """Starts of genre words that modify the genre word right after them in the same
    clause ('country' in 'acoustic country blues'): the head noun comes last (see
    genre_compounds)."""
    out: set[int] = set()
    clause = [t.clause for t in reading.tokens]
    for first, head in pairwise(hits):
        if first.end == head.start and clause[first.start] == clause[head.start] and (
                head.read_as or head.text) not in NOT_HEADS and (
                cast(tuple[str, float], first.meaning.value)[0]
                != cast(tuple[str, float], head.meaning.value)[0]):
            out.add(first.start)
    return out


def genre_votes(reading: Reading) -> dict[str, tuple[float, int]]:
    """genre id (or family id, for a family's own name) → (best score, first index)."""
    votes: dict[str, tuple[float, int]] = {}
    hits = reading.of("genre")
    modifiers = _modifiers(hits, reading)
    for hit in hits:
        genre_id, weight = cast(tuple[str, float], hit.meaning.value)
        score = float(weight) * (hit.score if hit.score is not None else 1.0)
        if hit.read_as:
            score *= 0.9
        if hit.start in modifiers:
            score *= MODIFIER_WEIGHT
        best = votes.get(genre_id)
        if best is None or score > best[0]:
            votes[genre_id] = (score, best[1] if best else hit.start)
    return votes


def clues(reading: Reading) -> list[str]:
    """Words and GM program numbers that hint at a genre."""
    out = [t.text for t in reading.tokens if t.index not in reading.negations]
    for hit in reading.hits:
        if hit.negated_by is not None:
            continue
        value = hit.meaning.value
        if isinstance(value, Sound) and value.kind == "program":
            out.append(str(value.number))
        elif isinstance(value, Mood):
            out.append(value.label)
        out.append(hit.read_as or hit.text)
    return out


RELAXED_CAP = 90.0  # where a musician hears a tempo as slow


def _relaxed(profile: GenreProfile) -> tuple[float, str]:
    """A relaxed tempo ('laid back', 'chilled'): the middle of the lower third of the
    genre's range, at most RELAXED_CAP BPM; a genre whose range starts higher stretches
    down to RELAXED_CAP, or at most 10 BPM below its range (as far as it can go)."""
    low, high = profile.rhythm.tempo_range
    third = low + (high - low) / 6
    span = f"{profile.id}'s {low:g}–{high:g} BPM"
    if third <= RELAXED_CAP:
        return float(round(third)), f"the lower third of {span}"
    if low - 10 <= RELAXED_CAP:
        return RELAXED_CAP, f"capped at {RELAXED_CAP:g} BPM, below {span}"
    return float(low - 10), (f"{profile.id} cannot go down to {RELAXED_CAP:g} BPM: 10 below "
                             f"its {low:g}–{high:g} BPM, its slowest")


def _tempo_hits(reading: Reading) -> list[Hit]:
    """Tempo hits, an explicit BPM first (a number always beats tempo words), then the
    relaxed mood words ('laid back', 'chilled') as relaxed tempo hits."""
    hits = reading.of("tempo")
    explicit = [h for h in hits if cast(tuple[str, float], h.meaning.value)[0] == "bpm"]
    relaxed = [Hit(h.start, h.end, h.text, Meaning("tempo", ("relaxed", 0.0)), h.source,
                   h.score, h.read_as)
               for h in [*reading.of("mood"), *reading.of("energy")]
               if (h.read_as or h.text) in RELAXED_TEMPO]
    return [*explicit, *(h for h in hits if h not in explicit), *relaxed]


def _tempo(reading: Reading, profile: GenreProfile, energy: float) -> TempoDecision:
    low, high = profile.rhythm.tempo_range
    default = profile.rhythm.tempo
    for hit in _tempo_hits(reading):
        kind, target = cast(tuple[str, float], hit.meaning.value)
        if kind == "bpm":
            return TempoDecision(bpm=round(target, 2), direction="none", source=hit.source,
                                 reason=f"'{hit.text}' in the prompt", word=hit.start)
        if kind == "relaxed":
            bpm, how = _relaxed(profile)
            return TempoDecision(bpm=bpm, direction="slow", source=hit.source, word=hit.start,
                                 reason=f"'{hit.text}': a relaxed tempo, {how}")
        if kind == "slow":
            base = min(target, default) if default <= 88 else target
            bpm = min(88.0, max(base, low - 10))
        elif kind == "fast":
            base = max(target, default) if default >= 122 else target
            bpm = max(122.0, min(base, high + 10))
        else:
            bpm = min(high, max(low, target))
        where = "within" if low <= bpm <= high else "outside"
        return TempoDecision(bpm=float(round(bpm)), direction=cast(Direction, kind),
                             source=hit.source, word=hit.start,
                             reason=f"'{hit.text}': {kind if kind != 'none' else 'a medium'} "
                                    f"tempo, {where} {profile.id}'s {low:g}–{high:g} BPM")
    if energy <= 0.35 or energy >= 0.8:
        share = 0.2 if energy <= 0.35 else 0.8
        bpm = round(low + share * (high - low))
        return TempoDecision(bpm=float(bpm), direction="none", source="genre",
                             reason=f"{'calm' if share < 0.5 else 'energetic'} words: the "
                                    f"{'low' if share < 0.5 else 'high'} end of {profile.id}'s "
                                    f"{low:g}–{high:g} BPM")
    return TempoDecision(bpm=float(default), direction="none", source="genre",
                         reason=f"{profile.id}'s usual tempo")


def _key(reading: Reading, profile: GenreProfile, prompt: str, forced: str | None
         ) -> KeyDecision:
    if forced is not None:
        key = parse_key(forced)
        return KeyDecision(key=str(key), mode=key.mode, family=mode_family(key.mode),
                           source="option", reason="--key")
    hits = [(h, cast(tuple[str, str], h.meaning.value)) for h in reading.of("key")]
    explicit = [h for h, (what, _text) in hits if what == "key"]
    if explicit:
        key = parse_key(cast(tuple[str, str], explicit[0].meaning.value)[1])
        return KeyDecision(key=str(key), mode=key.mode, family=mode_family(key.mode),
                           source=explicit[0].source, reason=f"'{explicit[0].text}'",
                           word=explicit[0].start)
    rng = random.Random(stable_seed("director-key", prompt.strip().lower(), profile.id))
    base = parse_key(rng.choice(profile.harmony.common_keys))
    tonic = note_name(base.tonic).rstrip("0123456789-")
    modes = [(h, text) for h, (what, text) in hits if what == "mode"]
    if modes:
        hit, mode = modes[0]
        return KeyDecision(key=str(parse_key(f"{tonic} {mode}")), mode=mode,
                           family=mode_family(mode), source=hit.source,
                           reason=f"'{hit.text}'", word=hit.start)
    tally: dict[str, list[tuple[Hit, Mood]]] = {}
    for hit in reading.of("mood"):
        if isinstance(hit.meaning.value, Mood) and hit.meaning.value.mode:
            tally.setdefault(mode_family(hit.meaning.value.mode), []).append(
                (hit, hit.meaning.value))
    if tally:  # the family with the most weight (a feeling outweighs a timbre word) ...
        family = max(tally, key=lambda f: (sum(m.strength for _h, m in tally[f]),
                                           -tally[f][0][0].start))
        # ... and in it the strongest word's mode, the first of equals
        first, strongest = max(tally[family], key=lambda hm: (hm[1].strength, -hm[0].start))
        mode = cast(str, strongest.mode)
        return KeyDecision(key=str(parse_key(f"{tonic} {mode}")), mode=mode,
                           family=mode_family(mode), source=first.source,
                           reason=f"mood '{first.text}'", word=first.start)
    return KeyDecision(key=str(base), mode=base.mode, family=mode_family(base.mode),
                       source="genre", reason=f"one of {profile.id}'s usual keys")


def _instruments(reading: Reading, profile: GenreProfile) -> list[InstrumentChoice]:
    chosen: list[InstrumentChoice] = []
    taken: set[str] = set()
    for hit in reading.of("instrument"):
        value = hit.meaning.value
        if isinstance(value, Sound):
            layers = layer_of(value)
            layer = next((la for la in layers if la not in taken), layers[0])
            chosen.append(InstrumentChoice(
                layer=layer, kind=value.kind, number=value.number, gm_name=value.gm_name,
                named=hit.text, substitute=value.substitute, note=value.note,
                source=hit.source))
            taken.add(layer)
    dropped = _dropped_layers(reading)  # 'no drums' beats the 'beat' of 'trap beat'
    for hit in reading.of("instrument"):  # 'bass', 'drums': the genre's sound, asked for
        if isinstance(hit.meaning.value, str) and hit.meaning.value not in taken | set(
                dropped):
            asked = cast(Layer, hit.meaning.value)
            sound = _genre_sound(asked, profile, hit.text)
            kind = texture_kind(hit.text) if asked == "texture" else None
            chosen.append(sound if kind is None else sound.model_copy(update={
                "note": f"a {kind} texture (the texture layer renders it)"}))
            taken.add(asked)
    for layer in _GENRE_LAYERS:
        if layer not in taken and (layer not in dropped or (not chosen and layer == "chords")):
            chosen.append(_genre_sound(layer, profile, None))
    return chosen


def _dropped_layers(reading: Reading) -> dict[Layer, Hit]:
    """Layers the prompt asks to leave out ('no drums', 'without bass', 'drumless')."""
    dropped: dict[Layer, Hit] = {}
    for hit in reading.negated():
        value = hit.meaning.value
        if hit.meaning.kind != "instrument":
            continue
        if isinstance(value, str):
            dropped.setdefault(cast(Layer, value), hit)
        elif isinstance(value, Sound) and (value.kind == "kit" or hit.text in _WHOLE_KIT):
            dropped.setdefault("drums", hit)
        elif isinstance(value, Sound) and layer_of(value)[0] == "choir":  # "no vocals"
            dropped.setdefault("choir", hit)
    return dropped


def _genre_sound(layer: Layer, profile: GenreProfile, named: str | None) -> InstrumentChoice:
    if layer == "drums":
        kit = profile.instrumentation.drum_kit
        return InstrumentChoice(layer="drums", kind="kit", number=kit,
                                gm_name=_KITS.get(kit, f"kit {kit}"), named=named,
                                source="genre")
    role: Role = "pad" if layer == "choir" else layer
    program = 52 if layer == "choir" else profile.instrumentation.program_for(role)
    return InstrumentChoice(layer=layer, kind="program", number=program,
                            gm_name=gm_program_name(program), named=named, source="genre")


def _effect(hit: Hit, genre: GenreDecision, spec_tempo: TempoDecision, key: KeyDecision
            ) -> str:
    value, kind = hit.meaning.value, hit.meaning.kind
    if kind == "genre":
        named = cast(tuple[str, float], value)[0]
        return f"genre {named}" + ("" if named == genre.named else " (not chosen)")
    if kind == "tempo":
        return f"tempo {spec_tempo.bpm:g}" if spec_tempo.word == hit.start else (
            "a tempo word (another tempo decided)")
    if isinstance(value, Mood):
        return f"mood {value.label}" + (f" → {key.mode}" if key.word == hit.start else "") + (
            f", tempo {spec_tempo.bpm:g}" if spec_tempo.word == hit.start else "")
    if isinstance(value, Sound):
        return f"{value.gm_name}" + (" (GM stand-in)" if value.substitute else "")
    if kind == "instrument":
        texture = texture_kind(hit.text) if value == "texture" else None
        return f"a {texture} texture" if texture else f"a {value} layer (the genre's sound)"
    if kind == "key":
        what, text = cast(tuple[str, str], value)
        return f"key {key.key}" if key.word == hit.start else f"{what} {text} (not chosen)"
    if kind == "energy":
        return f"energy curve {value}" if isinstance(value, str) else (
            f"energy {'+' if float(value) > 0 else ''}{value}"  # type: ignore[arg-type]
            + (f", tempo {spec_tempo.bpm:g}" if spec_tempo.word == hit.start else ""))
    if kind == "composer":
        return str(value)
    if kind in ("quality", "context"):
        return f"a {value} word" if kind == "quality" else "a context word"
    return f"{kind} {value}"


def _negation_words(reading: Reading) -> list[WordUse]:
    """What each negation and each word under one did."""
    dropped = {id(hit): layer for layer, hit in _dropped_layers(reading).items()}
    out: list[WordUse] = []
    for hit in reading.negated():
        neg = reading.tokens[hit.start if hit.negated_by is None else hit.negated_by].text
        layer = dropped.get(id(hit))
        effect = (f"under '{neg}': the {layer} layer is left out" if layer else
                  f"under '{neg}': its {hit.meaning.kind} meaning is not used")
        out.append(WordUse(text=hit.text, start=hit.start, kind="negated", effect=effect,
                           source=hit.source, read_as=hit.read_as))
    in_hits = {i for h in reading.hits for i in range(h.start, h.end)} | reading.fillers
    for token in reading.tokens:
        negator = reading.negations.get(token.index)
        if negator is not None and token.index not in in_hits | reading.negators:
            out.append(WordUse(text=token.text, start=token.index, kind="negated",
                               effect=f"under '{reading.tokens[negator].text}'",
                               source="lexicon"))
    for index in sorted(reading.negators):
        under = [t.text for t in reading.tokens if reading.negations.get(t.index) == index]
        out.append(WordUse(text=reading.tokens[index].text, start=index, kind="negated",
                           effect=f"a negation of '{' '.join(under)}'", source="lexicon"))
    return out


def build_spec(reading: Reading, context: GenreContext, director: str,
               fallbacks: Sequence[str], ranking: list[tuple[str, float]],
               ranking_source: Source, *, genre: str | None = None, key: str | None = None,
               meter: str | None = None) -> SongSpec:
    """The SongSpec for a reading: genre, tempo, key, meter, feel, instruments, words."""
    decision: GenreDecision = choose_genre(context, genre_votes(reading), ranking,
                                           ranking_source if not reading.of("genre") else
                                           reading.of("genre")[0].source,
                                           reading.prompt, genre)
    profile = context.genres.get(decision.id)
    moods = [h.meaning.value for h in reading.of("mood") if isinstance(h.meaning.value, Mood)]
    energy = 0.55 + sum({m.label: m.energy for m in moods}.values())  # each mood once
    energy += sum(h.meaning.value for h in reading.of("energy")
                  if isinstance(h.meaning.value, float))
    curves = [str(h.meaning.value) for h in reading.of("energy")
              if isinstance(h.meaning.value, str)]
    energy = round(min(1.0, max(0.05, energy)), 3)
    tempo = _tempo(reading, profile, energy)
    key_decision = _key(reading, profile, reading.prompt, key)
    meters = [str(h.meaning.value) for h in reading.of("meter")]
    meter_text = str(parse_meter(meter or (meters[0] if meters else
                                           profile.rhythm.time_signatures[0])))
    feels = [str(h.meaning.value) for h in reading.of("feel")]
    feel = feels[0] if feels else ("swing" if decision.named == "swing" or
                                   profile.rhythm.swing_amount >= 0.3 else profile.rhythm.feel)
    instruments = _instruments(reading, profile)
    words = [WordUse(text=h.text, start=h.start, kind=h.meaning.kind,
                     effect=_effect(h, decision, tempo, key_decision), source=h.source,
                     score=None if h.score is None else round(h.score, 3), read_as=h.read_as)
             for h in reading.hits if h.negated_by is None]
    words += _negation_words(reading)
    words += [WordUse(text=t.text, start=t.index, kind="filler", effect="a filler word",
                      source="lexicon") for t in reading.tokens if t.index in reading.fillers]
    words += [WordUse(text=t.text, start=t.index, kind="unknown", effect="not understood",
                      source="lexicon") for t in reading.unknown]
    mood = list(dict.fromkeys(m.label for m in moods))
    named = [i for i in instruments if i.named]
    brief = (f"A {', '.join(mood) or 'neutral'} {profile.name} piece at {tempo.bpm:g} BPM in "
             f"{key_decision.key}, {meter_text}, {feel} feel, featuring "
             f"{', '.join(i.gm_name for i in named) or 'the genre’s own sounds'}.")
    return SongSpec(
        prompt=reading.prompt, director=director, fallbacks=list(fallbacks), genre=decision,
        mood=mood, energy=energy, energy_curve=cast(Curve, curves[0] if curves else "steady"),
        tempo=tempo, key=key_decision, meter=meter_text, feel=cast(Feel, feel),
        instruments=instruments,
        left_out=[la for la in _dropped_layers(reading)
                  if not any(i.layer == la for i in instruments)],
        era=list(dict.fromkeys(str(h.meaning.value) for h in reading.of("era"))),
        production=list(dict.fromkeys(str(h.meaning.value) for h in reading.of("production"))),
        brief=brief, words=sorted(words, key=lambda w: w.start), voice=decide_voice(reading))
