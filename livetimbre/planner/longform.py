"""Planner v3: a prompt and a duration → a long-form (or short-form) track plan (Timbre §3).

Long-form (90–180 s): intro → motif → chorus → outro, with a bridge before the outro from
150 s on. Short-form (under 90 s, asked for explicitly): intro → motif → resolve. The
tempo is quantised to a whole BPM within 68–128 (or the genre's range when that lies
outside it); every section is a whole number of bars, at least 16 s long in long-form,
so every section boundary falls on the bar grid. Each section carries an arrangement
sentence and its orchestration: the layers that play, grouped as Timbre's rhythm, bass,
harmony, lead, textures and vocals. There is no singer: vocals are a wordless choir.

The plan is a pydantic model; its JSON schema is `CompositionPlan.model_json_schema()`
(docs/schemas/composition_plan_v3.json). Clip plans stay "v4" (planner.clip).
"""

from __future__ import annotations

__all__ = [
    "BRIDGE_FROM",
    "LONG_RANGE",
    "MIN_SECTION_SECONDS",
    "PARTS",
    "SHORT_RANGE",
    "TEMPO_RANGE",
    "CompositionPlan",
    "Orchestration",
    "SectionLayer",
    "SectionPlan",
    "check_duration",
    "find_genre",
    "plan_track",
    "quantise_tempo",
    "section_bars",
]

import math
import random
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from livetimbre.errors import ValueProblem
from livetimbre.genres import GenreRegistry
from livetimbre.genres.profile import GenreProfile
from livetimbre.music.instruments import DRUM_KITS, GM_KEYWORDS, find_drum_kit
from livetimbre.music.seeds import stable_seed
from livetimbre.music.tempo import quarters_per_bar
from livetimbre.music.textures import texture_kind
from livetimbre.music.theory import parse_key, parse_meter
from livetimbre.music.values import COMPOSE_SECONDS, check_prompt, check_seed
from livetimbre.planner.theme import ThemeDescriptor, describe_prompt, prompt_words
from livetimbre.planner.vocabulary import find_entries

LONG_RANGE = COMPOSE_SECONDS  # seconds: long-form durations (others are clamped into it)
SHORT_RANGE = (8.0, 90.0)  # seconds: short-form, [8, 90)
BRIDGE_FROM = 150.0  # seconds: long-form plans this long or longer get a bridge
TEMPO_RANGE = (68.0, 128.0)  # BPM: long-form tempi, within the genre's range
MIN_SECTION_SECONDS = 16.0  # long-form
DEFAULT_GENRE = "synthwave"
VOCALS_NOTE = "vocals are a wordless choir layer (choir aahs): livetimbre has no singer"

OrchestraPart = Literal["rhythm", "bass", "harmony", "lead", "textures", "vocals"]
PARTS: tuple[OrchestraPart, ...] = ("rhythm", "bass", "harmony", "lead", "textures", "vocals")
SectionName = Literal["intro", "motif", "chorus", "bridge", "outro", "resolve"]

# (name, share of the track, energy) per template.
_Template = tuple[tuple[str, float, float], ...]
_LONG: _Template = (("intro", 0.15, 0.35), ("motif", 0.30, 0.6), ("chorus", 0.35, 0.85),
         ("outro", 0.20, 0.3))
_LONG_BRIDGE: _Template = (("intro", 0.12, 0.35), ("motif", 0.25, 0.6), ("chorus", 0.28, 0.85),
                ("bridge", 0.18, 0.5), ("outro", 0.17, 0.3))
_SHORT: _Template = (("intro", 0.25, 0.35), ("motif", 0.45, 0.6), ("resolve", 0.30, 0.4))

# Which layers play in each section, and the words their clip prompts start with.
# Layer → (orchestration part, layer role words for the composer).
_LAYER_PART: dict[str, OrchestraPart] = {"drums": "rhythm", "bass": "bass", "chords": "harmony",
                                "pad": "harmony", "lead": "lead", "texture": "textures",
                                "choir": "vocals"}
_SECTION_LAYERS: dict[str, dict[str, str]] = {
    "intro": {"pad": "soft sustained", "texture": "soft", "drums": "sparse soft no kick"},
    "motif": {"drums": "", "bass": "", "chords": "", "lead": ""},
    "chorus": {"drums": "energetic crash", "bass": "driving", "chords": "full",
               "lead": "high", "texture": "", "choir": "sustained"},
    "bridge": {"drums": "half-time sparse", "bass": "sustained", "pad": "lush",
               "choir": "soft sustained", "texture": ""},
    "outro": {"pad": "fade sustained", "lead": "soft sparse fade", "texture": "fade",
              "bass": "soft sustained fade"},
    "resolve": {"chords": "sustained", "bass": "sustained", "pad": "fade",
                "lead": "soft fade"},
}
_SENTENCES: dict[str, tuple[str, tuple[OrchestraPart, ...], tuple[OrchestraPart, ...]]] = {
    # name: (sentence, parts named first, parts named second)
    "intro": ("Open with {0}, leaving space before the motif.",
              ("textures", "harmony", "rhythm"), ()),
    "motif": ("State the motif on {0} over {1}.", ("lead",),
              ("rhythm", "bass", "harmony")),
    "chorus": ("Elevate the arrangement with {0}: the fullest section.", PARTS, ()),
    "bridge": ("Contrast: the lead rests while {0} hold back.",
               ("rhythm", "bass", "harmony", "vocals", "textures"), ()),
    "outro": ("Let the motif fade on {0} over {1}.", ("lead",),
              ("harmony", "bass", "textures")),
    "resolve": ("Resolve home on {0} as {1} fades.", ("harmony", "bass"), ("lead",)),
}
_GENRE_ALIASES = {"dnb": "drum-and-bass", "drum n bass": "drum-and-bass",
                  "lofi": "lo-fi-hip-hop", "lo fi": "lo-fi-hip-hop", "hip hop": "lo-fi-hip-hop",
                  "hiphop": "lo-fi-hip-hop", "film score": "cinematic", "orchestral": "cinematic"}
_BPM = re.compile(r"(?<![\d.])(\d{2,3}(?:\.\d+)?)\s*bpm\b", re.IGNORECASE)
_KEY = re.compile(r"\bin ([A-G][#b]?)[ -]?(major|minor|dorian|mixolydian|lydian|phrygian)\b")


class SectionLayer(BaseModel):
    """One layer of a section: what the renderers get (a v4 clip plan is built from it)."""

    model_config = ConfigDict(frozen=True)

    name: str  # the layer: drums, bass, chords, pad, lead, texture, choir
    part: OrchestraPart  # Timbre's orchestration group
    instrument: str  # words naming the sound (a GM instrument, a kit, a texture)
    prompt: str  # the clip prompt: the section's words + the prompt's mood words
    backend: str  # 'NAME[:MODEL]'
    loop_bars: int  # the clip rendered once and looped over the section


class Orchestration(BaseModel):
    """Timbre's per-section orchestration: the sounds of each part (empty: tacet)."""

    model_config = ConfigDict(frozen=True)

    rhythm: list[str] = []
    bass: list[str] = []
    harmony: list[str] = []
    lead: list[str] = []
    textures: list[str] = []
    vocals: list[str] = []


class SectionPlan(BaseModel):
    model_config = ConfigDict(frozen=True)

    index: int
    name: SectionName
    start_bar: int
    bars: int
    start_seconds: float
    seconds: float
    energy: float
    seed: int  # base seed + the section's offset (motif = base, chorus = base + 1, ...)
    motif_seed: bool  # the first motif section: captured as the track's motif
    arrangement: str
    orchestration: Orchestration
    layers: list[SectionLayer]


class CompositionPlan(BaseModel):
    """A planned track (schema "v3")."""

    model_config = ConfigDict(frozen=True)

    version: Literal["v3"] = "v3"
    form: Literal["long", "short"]
    prompt: str
    requested_seconds: float
    seconds: float  # the planned length: whole bars, so within half a bar of the request
    genre: str
    tempo: float
    key: str
    meter: str
    bars: int
    bar_seconds: float
    seed: int
    theme: ThemeDescriptor
    sections: list[SectionPlan]
    notes: list[str] = []  # what the planner changed or chose, for the user

    def section(self, name: str) -> SectionPlan:
        for section in self.sections:
            if section.name == name:
                return section
        raise ValueProblem(f"No section '{name}' in this plan (sections: "
                           f"{', '.join(s.name for s in self.sections)}).")


# --- the rules ----------------------------------------------------------------------
def check_duration(seconds: float, short: bool, where: str = "--duration"
                   ) -> tuple[float, str | None]:
    """(duration to plan, a note when it was clamped). Long-form clamps into 90–180 s;
    short-form (`short`) must be asked for with a duration in [8, 90)."""
    if not isinstance(seconds, int | float) or not math.isfinite(seconds) or seconds <= 0:
        raise ValueProblem(f"Duration {seconds!r} ({where}) must be a positive number of "
                           "seconds.")
    if short:
        low, high = SHORT_RANGE
        if not low <= seconds < high:
            raise ValueProblem(f"Duration {seconds:g} s ({where}) does not suit a short-form "
                               f"piece: use {low:g} to under {high:g} s, or leave out --short "
                               f"for a long-form track of {LONG_RANGE[0]:g}–{LONG_RANGE[1]:g} s.")
        return float(seconds), None
    low, high = LONG_RANGE
    if low <= seconds <= high:
        return float(seconds), None
    clamped = min(high, max(low, float(seconds)))
    hint = " (--short makes a short-form piece under 90 s)" if seconds < low else ""
    return clamped, (f"duration {seconds:g} s ({where}) is outside long-form's {low:g}–"
                     f"{high:g} s: planning {clamped:g} s{hint}")


def tempo_range(genre: GenreProfile) -> tuple[float, float]:
    """68–128 BPM within the genre's range; the genre's own range when they do not meet."""
    low = max(TEMPO_RANGE[0], genre.rhythm.tempo_range[0])
    high = min(TEMPO_RANGE[1], genre.rhythm.tempo_range[1])
    if math.ceil(low) > math.floor(high):
        return genre.rhythm.tempo_range
    return low, high


def quantise_tempo(wanted: float, genre: GenreProfile) -> float:
    """`wanted` rounded to a whole BPM inside `tempo_range(genre)`."""
    low, high = tempo_range(genre)
    return float(min(math.floor(high), max(math.ceil(low), round(wanted))))


def section_bars(total: int, weights: tuple[float, ...], min_bars: int) -> list[int]:
    """Split `total` bars into sections by `weights`: each at least `min_bars`, in phrases
    of 4 bars where the total allows (else 2, else 1), the sum exactly `total`."""
    count = len(weights)
    if count * min_bars > total:
        raise ValueProblem(f"{total} bars cannot hold {count} sections of {min_bars} bars.")
    unit, floor = 1, min_bars
    for candidate in (4, 2, 1):
        floor = math.ceil(min_bars / candidate) * candidate
        if count * floor <= total:
            unit = candidate
            break
    ideal = [w / sum(weights) * total for w in weights]
    bars = [max(floor, unit * round(x / unit)) for x in ideal]
    while sum(bars) - total >= unit:  # too long: shorten the most over-long section
        over = [(bars[i] - ideal[i], i) for i in range(count) if bars[i] - unit >= floor]
        bars[max(over)[1]] -= unit
    while total - sum(bars) >= unit:  # too short: lengthen the most short-changed one
        bars[max((ideal[i] - bars[i], i) for i in range(count))[1]] += unit
    rest = total - sum(bars)  # under one unit: the largest section takes it
    largest = max(range(count), key=lambda i: (bars[i], -i))
    bars[largest] += rest
    return bars


def find_genre(prompt: str, genres: GenreRegistry) -> str | None:
    """The genre a prompt names (its id, its name or a common alias), longest first."""
    text = " " + " ".join(prompt_words(prompt.replace("-", " ").replace("&", " and "))) + " "
    names: dict[str, str] = {}
    for genre in genres:
        names[genre.id.replace("-", " ")] = genre.id
        names[" ".join(prompt_words(genre.name.replace("-", " ")))] = genre.id
    for alias, genre_id in _GENRE_ALIASES.items():
        if genre_id in {g.id for g in genres}:
            names.setdefault(alias, genre_id)
    for name in sorted(names, key=len, reverse=True):
        if f" {name} " in text:
            return names[name]
    return None


# --- instruments and prompts ---------------------------------------------------------
_PROGRAM_NAMES: dict[int, str] = {}
for _word, _program in GM_KEYWORDS.items():
    _PROGRAM_NAMES.setdefault(_program, _word)
_KIT_NAMES = {number: f"{name} kit" for name, number in reversed(DRUM_KITS.items())}


def _layer_of_program(program: int) -> str:
    """The layer that plays a General MIDI program named in a prompt."""
    if 32 <= program <= 39:
        return "bass"
    if program in (52, 53, 54, 85, 91):
        return "choir"
    if 48 <= program <= 51 or 88 <= program <= 95 or program in (97, 98, 99, 100):
        return "pad"
    if 0 <= program <= 31:
        return "chords"
    if 96 <= program <= 103 or program >= 120:
        return "texture"
    return "lead"


def _prompt_sounds(prompt: str) -> dict[str, str]:
    """The sounds a prompt names, by layer ('rhodes' → chords, '808 kit' → drums)."""
    found: dict[str, str] = {}
    words = " " + " ".join(prompt_words(prompt)) + " "
    kit = find_drum_kit(prompt)
    if kit is not None:
        found["drums"] = _KIT_NAMES.get(kit, "standard kit")
    texture = texture_kind(prompt)
    if texture is not None:
        found["texture"] = texture
    for keyword in sorted(GM_KEYWORDS, key=len, reverse=True):
        if keyword in ("sub", "808 bass"):
            continue
        if f" {keyword} " in words or f" {keyword}s " in words:
            found.setdefault(_layer_of_program(GM_KEYWORDS[keyword]), keyword)
    return found


def _stand_in(layer: str, section: str, sounds: dict[str, str]) -> str | None:
    """The prompt's chords sound for a pad (or its pad sound for chords) in a section
    without the other harmony layer."""
    other = {"pad": "chords", "chords": "pad"}.get(layer)
    if other is None or other in _SECTION_LAYERS[section]:
        return None
    return sounds.get(other)


def _default_sound(layer: str, genre: GenreProfile) -> str:
    if layer == "drums":
        return _KIT_NAMES.get(genre.instrumentation.drum_kit, "standard kit")
    if layer == "choir":
        return "choir"
    role = {"texture": "texture"}.get(layer, layer)
    program = genre.instrumentation.program_for(role)  # type: ignore[arg-type]
    return _PROGRAM_NAMES.get(program, "piano")


def _mood_words(prompt: str, role: str) -> str:
    """The prompt's vocabulary phrases that steer `role` (no instrument words)."""
    words = prompt_words(prompt)
    entries, _used = find_entries(words)
    phrases = [e.name for e in entries if role in e.roles]
    return " ".join(phrases)


def _role(layer: str) -> str:
    return {"choir": "pad"}.get(layer, layer)


def _loop_bars(bars: int) -> int:
    """4-bar loops (a phrase of the composer's form); the last pass may be cut short."""
    return min(4, bars)


def _listed(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _sentence(name: str, layers: list[SectionLayer]) -> str:
    """The section's arrangement sentence, naming its sounds."""
    text, first, second = _SENTENCES[name]

    def sounds(parts: tuple[OrchestraPart, ...]) -> str:
        named = [la.instrument for part in parts for la in layers if la.part == part]
        return _listed(list(dict.fromkeys(named))) if named else "silence"

    return text.format(sounds(first), sounds(second))


# --- the planner -------------------------------------------------------------------
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
) -> CompositionPlan:
    """Plan a track for `prompt` (see the module's description for the rules).

    `backend_for` maps 'SECTION' or 'SECTION.LAYER' (or '*.LAYER') to a backend spec
    that renders those clips instead of `backend`."""
    check_prompt(prompt)
    if not prompt.strip():
        raise ValueProblem("The prompt is empty: say what the track should be.")
    notes: list[str] = []
    seconds, clamp_note = check_duration(duration, short)
    if clamp_note:
        notes.append(clamp_note)
    genre_id = genre or find_genre(prompt, genres)
    if genre_id is None:
        genre_id = DEFAULT_GENRE
        notes.append(f"no genre named in the prompt: {DEFAULT_GENRE} (--genre chooses one)")
    profile = genres.get(genre_id)
    base = check_seed(seed) if seed is not None else stable_seed("compose",
                                                                  prompt.strip().lower())
    rng = random.Random(stable_seed("compose-key", base, profile.id))
    key_text = key or _prompt_key(prompt) or rng.choice(profile.harmony.common_keys)
    key_name = str(parse_key(key_text))
    meter_text = str(parse_meter(meter or profile.rhythm.time_signatures[0]))
    match = _BPM.search(prompt)
    wanted = float(match.group(1)) if match else profile.rhythm.tempo
    tempo = quantise_tempo(wanted, profile)
    low, high = tempo_range(profile)
    if match and tempo != round(wanted):
        notes.append(f"tempo {wanted:g} BPM from the prompt is outside {low:g}–{high:g} BPM: "
                     f"{tempo:g} BPM")
    if high < TEMPO_RANGE[0] or low > TEMPO_RANGE[1]:
        notes.append(f"{profile.id}'s tempo range {low:g}–{high:g} BPM lies outside "
                     f"{TEMPO_RANGE[0]:g}–{TEMPO_RANGE[1]:g}: the genre's range is used")
    bar_s = float(quarters_per_bar(parse_meter(meter_text)) * 60 / tempo)
    if short:
        template = _SHORT
        total = max(len(template), round(seconds / bar_s))
        min_bars = 2 if total >= 2 * len(template) else 1
    else:
        template = _LONG_BRIDGE if seconds >= BRIDGE_FROM else _LONG
        lowest = math.ceil(LONG_RANGE[0] / bar_s - 1e-9)
        highest = math.floor(LONG_RANGE[1] / bar_s + 1e-9)
        total = min(highest, max(lowest, round(seconds / bar_s)))
        min_bars = math.ceil(MIN_SECTION_SECONDS / bar_s - 1e-9)
    allotted = section_bars(total, tuple(w for _, w, _ in template), min_bars)
    theme = describe_prompt(prompt, profile, 4)
    sounds = _prompt_sounds(prompt)
    sections: list[SectionPlan] = []
    start = 0
    motif_done = False
    vocals = False
    for index, ((name, _weight, energy), bars) in enumerate(zip(template, allotted,
                                                                strict=True)):
        layers = []
        for layer, words in _SECTION_LAYERS[name].items():
            part = _LAYER_PART[layer]
            instrument = sounds.get(layer) or _stand_in(layer, name, sounds) or (
                _default_sound(layer, profile))
            mood = _mood_words(prompt, _role(layer))
            clip_prompt = " ".join(f"{words} {mood} {instrument}".split())
            spec = _backend(backend_for or {}, name, layer, backend)
            layers.append(SectionLayer(name=layer, part=part, instrument=instrument,
                                       prompt=clip_prompt[:200], backend=spec,
                                       loop_bars=_loop_bars(bars)))
            vocals = vocals or part == "vocals"
        orchestration = Orchestration(**{
            part: [f"{la.instrument} ({la.name})" for la in layers if la.part == part]
            for part in PARTS})
        offset = {"motif": 0, "chorus": 1, "bridge": 2, "outro": 3, "intro": 4,
                  "resolve": 3}[name]
        sections.append(SectionPlan(
            index=index, name=name, start_bar=start, bars=bars,
            start_seconds=round(start * bar_s, 6), seconds=round(bars * bar_s, 6),
            energy=energy, seed=(base + offset) % (2**31), motif_seed=name == "motif"
            and not motif_done, arrangement=_sentence(name, layers),
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
        sections=sections, notes=notes)


def _prompt_key(prompt: str) -> str | None:
    match = _KEY.search(prompt)
    return f"{match.group(1)} {match.group(2)}" if match else None


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
