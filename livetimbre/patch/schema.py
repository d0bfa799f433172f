"""The patch file schema (pydantic); `patch.load` adds file:line:column to errors."""

from __future__ import annotations

__all__ = ["ClipSpec", "LayerSpec", "MapEntry", "PatchFile", "SceneSpec", "SessionSpec"]

from collections.abc import Callable
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from livetimbre.director.names import check_director_name
from livetimbre.errors import ConfigError, ValueProblem
from livetimbre.files.validation import FieldProblem, accepted_by, as_validator
from livetimbre.files.yamlsource import SECRET
from livetimbre.music.effects import fx_spec, parse_fx
from livetimbre.music.theory import parse_key, parse_meter
from livetimbre.music.values import (
    DEFAULT_COMPOSE_SECONDS,
    DEFAULT_RELEASE_MS,
    MAX_PROMPT,
    check_backend,
    check_bars,
    check_gain_db,
    check_lyrics,
    check_patch_compose_seconds,
    check_quantize,
    check_release_ms,
    check_sampling,
    check_slot_ref,
    check_tempo,
)
from livetimbre.patterns import PatternError, parse
from livetimbre.patterns.notes import check_numbers
from livetimbre.session.sources import check_sample_bpm, check_sample_key, check_user_path
from livetimbre.system.urls import check_server_url

Tempo = Annotated[float, BeforeValidator(as_validator(check_tempo))]
Bars = Annotated[int, BeforeValidator(as_validator(check_bars))]
GainDb = Annotated[float, BeforeValidator(as_validator(check_gain_db))]
Quantize = Annotated[str, BeforeValidator(as_validator(check_quantize))]
ReleaseMs = Annotated[float, BeforeValidator(as_validator(check_release_ms))]
Backend = Annotated[str, BeforeValidator(as_validator(check_backend))]
ComposeSeconds = Annotated[float, BeforeValidator(as_validator(check_patch_compose_seconds))]
SlotRef = Annotated[str, BeforeValidator(as_validator(check_slot_ref))]


def _check_path(what: str) -> BeforeValidator:
    def check(value: object) -> object:
        if not isinstance(value, str):
            raise ValueError(f"{what} is a path such as loops/break.wav, got {value!r:.40}")
        return check_user_path(value, what)

    return BeforeValidator(as_validator(check))


SamplePath = Annotated[str, _check_path("sample")]
KitPath = Annotated[str, _check_path("kit")]
SampleBpm = Annotated[float | None, BeforeValidator(as_validator(check_sample_bpm))]
SampleKey = Annotated[str | None, BeforeValidator(as_validator(check_sample_key))]


def _check_sampling(value: object) -> object:
    if not isinstance(value, dict):
        raise ValueError("sampling is a mapping such as {temperature: 1.1, top_k: 250}")
    checked: dict[str, float] = {}
    for name, number in value.items():
        try:
            key, checked_number = check_sampling(name, number)
        except ValueProblem as exc:
            raise FieldProblem(str(exc).rstrip("."), str(name)) from None
        checked[key] = checked_number
    return checked


Sampling = Annotated[dict[str, float], BeforeValidator(_check_sampling)]


def _check_director(value: object) -> object:
    if not isinstance(value, str):
        raise ValueError(f"director is text such as 'lexicon' or 'embedding', got {value!r:.40}")
    try:
        return check_director_name(value, "session.director")
    except ConfigError as exc:
        raise ValueError(str(exc).rstrip(".")) from None


DirectorName = Annotated[str, BeforeValidator(_check_director)]


def _fx_checker(scope: str) -> Callable[[object], object]:
    """A validator of an `fx:` mapping of `scope`'s effects: {cutoff: 800, filter: lowpass}."""

    def check(value: object) -> object:
        if not isinstance(value, dict):
            raise ValueError("fx is a mapping such as {cutoff: 800, reverb: 0.3}")
        checked: dict[str, float] = {}
        for name, setting in value.items():
            try:
                spec = fx_spec(str(name))
                if spec.scope != scope:
                    raise ValueProblem(f"{spec.name} is a {spec.scope} effect, not a "
                                       f"{scope} one")
                checked[spec.name] = parse_fx(spec.name, setting)
            except ValueProblem as exc:
                raise FieldProblem(str(exc).rstrip("."), str(name)) from None
        return checked

    return check


LayerFx = Annotated[dict[str, float], BeforeValidator(_fx_checker("layer"))]
MasterFx = Annotated[dict[str, float], BeforeValidator(_fx_checker("master"))]


def _check_server(value: object) -> object:
    """A render server's URL; its error never shows the value (it may hold a password)."""
    if not isinstance(value, str):
        raise ValueError("render_server is a URL such as http://render-box:8000")
    try:
        return check_server_url(value, "session.render_server")
    except ValueError as exc:
        raise PydanticCustomError(SECRET, str(exc).removeprefix("session.render_server: ")
                                  ) from None


ServerUrl = Annotated[str, BeforeValidator(_check_server)]
Name = Annotated[str, Field(pattern=r"^[A-Za-z0-9_\-]{1,32}$")]
KeyName = Annotated[str, BeforeValidator(accepted_by(parse_key))]
MeterName = Annotated[str, BeforeValidator(accepted_by(parse_meter))]


def _check_lyrics(value: object) -> object:
    if not isinstance(value, str):
        raise ValueError("lyrics are text: lines of words, one line a phrase")
    try:
        return check_lyrics(value, "lyrics").strip() or None
    except ValueProblem as exc:
        raise ValueError(str(exc).removeprefix("lyrics: ").rstrip(".")) from None


Lyrics = Annotated[str, BeforeValidator(_check_lyrics)]


def _check_pattern(value: object) -> object:
    if not isinstance(value, str):
        raise ValueError('a pattern is mini-notation text, e.g. "bd*2 [~ sd] <hh oh>"')
    try:
        parse(value)
    except PatternError as exc:
        raise ValueError(str(exc)) from None
    return value


PatternText = Annotated[str, BeforeValidator(_check_pattern)]


def _check_cycles(value: object) -> object:
    """`cycles: 2` and `cycles: "<1 2>"` alike, as pattern text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    return _check_pattern(value)


CyclesText = Annotated[str, BeforeValidator(_check_cycles)]
MIN_CYCLES = 1 / 16  # bars per cycle: a cycle lasts at least a sixteenth of a bar
MAX_CYCLES = 64


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SessionSpec(_Strict):
    """`session:` — tempo, key, meter and genre default to the genre's own."""

    genre: str
    tempo: Tempo | None = None
    key: KeyName | None = None
    meter: MeterName | None = None
    seed: int | None = Field(None, ge=0, le=2**31 - 1)
    quantize: Quantize = "1M"
    bars: Bars = 4
    backend: Backend = "procedural"
    sampling: Sampling = {}
    duration: ComposeSeconds = DEFAULT_COMPOSE_SECONDS  # what /compose plans (s)
    director: DirectorName | None = None  # who reads prompts: lexicon|embedding|llm[:MODEL]
    render_server: ServerUrl | None = None  # where clips render (local workers as fallback)


class LayerSpec(_Strict):
    instrument: str = ""
    gain: GainDb = 0.0
    mute: bool = False
    solo: bool = False
    backend: Backend | None = None
    release: ReleaseMs = DEFAULT_RELEASE_MS  # ms a stop takes to fade out
    sampling: Sampling = {}
    kit: KitPath | None = None  # a folder of one-shots for the drum patterns
    fx: LayerFx = {}  # the layer's effects: cutoff, resonance, filter, delay, reverb


class ClipSpec(_Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    prompt: Annotated[str, Field(min_length=1, max_length=MAX_PROMPT)] | None = None
    bars: Bars | None = None
    seed: int | None = Field(None, ge=0, le=2**31 - 1)
    continues: SlotRef | None = Field(None, alias="continue")  # LAYER@SCENE
    lyrics: Lyrics | None = None  # a vocals clip's own words
    lyrics_file: Annotated[str, Field(min_length=1, max_length=4096)] | None = None
    sample: SamplePath | None = None  # a user's loop instead of a prompt
    bpm: SampleBpm = None  # the loop's own tempo (None: found from its beats)
    key: SampleKey = None  # 'auto' or the loop's key: shift it into the session's
    pattern: PatternText | None = None  # mini-notation: where the notes fall
    vel: PatternText | None = None  # the pattern's velocities (0-1), a pattern too
    gate: PatternText | None = None  # the share of each event's length that sounds
    cycles: CyclesText | None = None  # bars per cycle of the pattern (a pattern too)

    @model_validator(mode="after")
    def _one_source(self) -> ClipSpec:
        if self.pattern is None and (self.prompt is None) == (self.sample is None):
            raise ValueError('a clip is a prompt or {sample: FILE}, one of the two (or a '
                             '{pattern: "..."}, with a prompt beside it or not)')
        if self.pattern is not None and self.sample is not None:
            raise ValueError("a clip plays a sample or a pattern, not both")
        if self.pattern is None and (self.vel or self.gate or self.cycles is not None):
            raise ValueError("vel, gate and cycles belong to a {pattern: ...} clip")
        for name, text, low, high in (("vel", self.vel, 0, 1), ("gate", self.gate, 0, 16),
                                      ("cycles", self.cycles, MIN_CYCLES, MAX_CYCLES)):
            if text is not None:
                try:
                    check_numbers(text, name, low, high)
                except PatternError as exc:
                    raise ValueError(str(exc)) from None
        if self.sample is None and (self.bpm is not None or self.key is not None):
            raise ValueError("bpm and key belong to a {sample: FILE} clip")
        if self.sample is not None and self.continues is not None:
            raise ValueError("a {sample: FILE} clip continues no other clip")
        return self


def _clip_from_text(value: object) -> object:
    return {"prompt": value} if isinstance(value, str) else value


Clip = Annotated[ClipSpec, BeforeValidator(_clip_from_text)]


class SceneSpec(_Strict):
    name: Name
    clips: dict[str, Clip] = {}
    bars: Bars | None = None


class MapEntry(_Strict):
    """One line of `midi_map:`: a cc, note or OSC address, and the target it moves."""

    cc: int | None = Field(None, ge=0, le=127)
    note: int | None = Field(None, ge=0, le=127)
    osc: str | None = Field(None, min_length=2, max_length=200, pattern=r"^/[\x21-\x7e]+$")
    channel: int = Field(1, ge=1, le=16)
    target: str = Field(min_length=1, max_length=100)
    encoder: Literal["absolute", "relative", "offset", "signed"] = "absolute"
    takeover: bool = True

    @model_validator(mode="after")
    def _one_control(self) -> MapEntry:
        given = [name for name in ("cc", "note", "osc") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of cc, note or osc")
        if self.encoder != "absolute" and self.cc is None:
            raise ValueError("only a cc can be a relative encoder")
        return self


class PatchFile(_Strict):
    session: SessionSpec
    layers: dict[Name, LayerSpec | None] = Field(min_length=1)
    scenes: list[SceneSpec] = Field(min_length=1)
    controller: str | None = None
    midi_map: list[MapEntry] = Field([], max_length=512)
    fx: MasterFx = {}  # the master's effects: delay_time, feedback, room, stutter, tapestop
