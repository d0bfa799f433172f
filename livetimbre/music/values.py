"""Checks for the values every control surface sets: tempo, bars, gain, quantization,
seeds, prompts and layer / scene names.

Each check raises `ValueProblem` naming the bad value and, when given, where it came
from; pydantic validators call the same checks so patch files and slash commands
agree on what is allowed.
"""

from __future__ import annotations

__all__ = [
    "COMPOSE_SECONDS",
    "DEFAULT_COMPOSE_SECONDS",
    "DEFAULT_RELEASE_MS",
    "MAX_BARS",
    "MAX_LYRICS",
    "MAX_PROMPT",
    "MAX_RELEASE_MS",
    "MAX_SEED",
    "MAX_TEMPO",
    "MIN_TEMPO",
    "QUANTIZE_CHOICES",
    "SAMPLING_LIMITS",
    "check_backend",
    "check_bars",
    "check_compose_seconds",
    "check_gain_db",
    "check_lyrics",
    "check_name",
    "check_patch_compose_seconds",
    "check_prompt",
    "check_quantize",
    "check_release_ms",
    "check_sampling",
    "check_seed",
    "check_slot_ref",
    "check_tempo",
    "clamp_compose_seconds",
    "sampling_name",
]

import math
import re

from livetimbre.errors import ValueProblem

MIN_TEMPO = 20.0
MAX_TEMPO = 400.0
MAX_BARS = 64
QUANTIZE_CHOICES = ("8M", "4M", "2M", "1M", "1/2", "1/4", "1/8", "1/16", "none")
MAX_PROMPT = 500
MAX_LYRICS = 20_000  # characters of a clip's or a song's own words
MAX_SEED = 2**31 - 1
# How long a stopped layer takes to fade out. 40 ms of raised cosine steps by at most
# π / (2 × 40 ms × rate) of the signal: under −60 dBFS for a full-scale signal at 44.1 kHz.
DEFAULT_RELEASE_MS = 40.0
MIN_RELEASE_MS = 1.0
MAX_RELEASE_MS = 10_000.0
_BACKEND_SPEC = re.compile(r"[a-z][a-z0-9_-]{0,31}(:[^\s]{1,200})?")
# Sampling parameters of model backends (MusicGen): name → (lowest, highest, whole number).
SAMPLING_LIMITS: dict[str, tuple[float, float, bool]] = {
    "top_k": (0, 10_000, True), "top_p": (0.0, 1.0, False),
    "temperature": (0.01, 10.0, False), "guidance_scale": (0.0, 30.0, False),
}
_SAMPLING_ALIASES = {"cfg": "guidance_scale", "cfg_coef": "guidance_scale"}
_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_-")


def _origin(where: str | None) -> str:
    return f" ({where})" if where else ""


def _finite(value: object, what: str, where: str | None, low: float, high: float,
            unit: str, shown_range: str) -> float:
    """`value` as a finite number in [low, high]; ValueProblem naming it otherwise."""
    try:
        if isinstance(value, bool):
            raise TypeError
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueProblem(f"{what} {value!r}{_origin(where)} is not a number{unit}.") from None
    if not math.isfinite(number) or not low <= number <= high:
        raise ValueProblem(f"{what} {value!r}{_origin(where)} is out of range: use "
                           f"{shown_range}.")
    return number


def check_tempo(value: object, where: str | None = None) -> float:
    """A finite tempo in [20, 400] BPM."""
    return _finite(value, "Tempo", where, MIN_TEMPO, MAX_TEMPO, "",
                   f"{MIN_TEMPO:g} to {MAX_TEMPO:g} BPM")


def check_bars(value: object, where: str | None = None) -> int:
    """A whole number of bars in [1, 64]."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueProblem(f"Bars {value!r}{_origin(where)} is not a whole number.")
    try:
        as_float = float(value)
    except ValueError:
        raise ValueProblem(f"Bars {value!r}{_origin(where)} is not a whole number.") from None
    if not math.isfinite(as_float) or as_float != int(as_float):
        raise ValueProblem(f"Bars {value!r}{_origin(where)} is not a whole number.")
    bars = int(as_float)
    if not 1 <= bars <= MAX_BARS:
        raise ValueProblem(f"Bars {value!r}{_origin(where)} is out of range: use 1 to {MAX_BARS}.")
    return bars


def check_gain_db(value: object, where: str | None = None) -> float:
    """A finite gain in dB, from -96 (silence) to +12."""
    return _finite(value, "Gain", where, -96.0, 12.0, " of dB", "-96 to +12 dB")


def check_release_ms(value: object, where: str | None = None) -> float:
    """A release (stop fade) of 1 ms to 10 s."""
    return _finite(value, "Release", where, MIN_RELEASE_MS, MAX_RELEASE_MS, " of ms",
                   f"{MIN_RELEASE_MS:g} to {MAX_RELEASE_MS:g} ms")


def check_quantize(value: object, where: str | None = None) -> str:
    """One of 8M 4M 2M 1M 1/2 1/4 1/8 1/16 none (case-insensitive M)."""
    text = str(value).strip()
    for choice in QUANTIZE_CHOICES:
        if text.lower() == choice.lower():
            return choice
    raise ValueProblem(
        f"Quantization {value!r}{_origin(where)} is not one of {', '.join(QUANTIZE_CHOICES)}."
    )


COMPOSE_SECONDS = (90.0, 180.0)  # a long-form compose's duration range (s)
DEFAULT_COMPOSE_SECONDS = 120.0
MAX_REQUESTED_SECONDS = 3600.0  # what a duration may ask for before it is clamped


def check_compose_seconds(value: object, where: str | None = None) -> float:
    """A compose duration in seconds (finite, above 0, at most an hour): what is asked for,
    before long-form's range clamps it."""
    number = _finite(value, "Duration", where, 0.0, MAX_REQUESTED_SECONDS, " of seconds",
                     f"seconds above 0 (long-form is {COMPOSE_SECONDS[0]:g} to "
                     f"{COMPOSE_SECONDS[1]:g} s)")
    if number <= 0:
        raise ValueProblem(f"Duration {value!r}{_origin(where)} must be above 0 seconds.")
    return number


def clamp_compose_seconds(seconds: float) -> float:
    """`seconds` clamped into long-form's range."""
    return min(COMPOSE_SECONDS[1], max(COMPOSE_SECONDS[0], seconds))


def check_patch_compose_seconds(value: object, where: str | None = None) -> float:
    """A patch's compose duration: in long-form's range (a patch is not clamped)."""
    low, high = COMPOSE_SECONDS
    return _finite(value, "Duration", where, low, high, " of seconds", f"{low:g} to {high:g} s")


def check_seed(value: int) -> int:
    """A seed in [0, 2**31 - 1]."""
    if not 0 <= value <= MAX_SEED:
        raise ValueProblem(f"Seed {value} is out of range: use 0 to {MAX_SEED}.")
    return value


def check_prompt(prompt: str) -> str:
    """A prompt of at most MAX_PROMPT characters (the message never repeats a long one)."""
    if len(prompt) > MAX_PROMPT:
        raise ValueProblem(f"Prompt is {len(prompt)} characters; the limit is {MAX_PROMPT}.")
    return prompt


def check_lyrics(words: str, where: str) -> str:
    """Words to sing, of at most MAX_LYRICS characters, without control characters other
    than line breaks and tabs (`where` names the command or file; the words never shown)."""
    if len(words) > MAX_LYRICS:
        raise ValueProblem(f"{where}: the lyrics are {len(words):,} characters; the limit is "
                           f"{MAX_LYRICS:,}.")
    bad = next((ch for ch in words if not ch.isprintable() and ch not in "\n\r\t"), None)
    if bad is not None:
        raise ValueProblem(f"{where}: the lyrics hold a control character "
                           f"(U+{ord(bad):04X}); only line breaks and tabs are allowed.")
    return words


def check_name(name: str, what: str) -> str:
    """A layer or scene name: 1-32 letters, digits, '-' or '_'."""
    if not name or len(name) > 32 or not set(name.lower()) <= _NAME_CHARS:
        shown = name if len(name) <= 40 else name[:37] + "..."
        raise ValueProblem(
            f"{what} name {shown!r} must be 1-32 letters, digits, '-' or '_' (no spaces)."
        )
    return name


def check_backend(spec: object) -> str:
    """A render backend spec, 'NAME' or 'NAME:MODEL' (e.g. musicgen:facebook/musicgen-small);
    whether NAME is known is for the backend registry to say."""
    if not isinstance(spec, str):
        raise ValueProblem(f"Backend {spec!r:.40} is not NAME or NAME:MODEL (e.g. procedural).")
    if not _BACKEND_SPEC.fullmatch(spec):
        shown = spec if len(spec) <= 40 else spec[:37] + "..."
        raise ValueProblem(f"Backend {shown!r} is not NAME or NAME:MODEL (e.g. procedural).")
    return spec


def check_sampling(name: object, value: object, where: str | None = None) -> tuple[str, float]:
    """(name, value) of a sampling parameter: top_k, top_p, temperature, guidance_scale
    (Timbre's cfg_coef, or cfg, is guidance_scale), each within its range."""
    key = sampling_name(name, where)
    low, high, whole = SAMPLING_LIMITS[key]
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueProblem(f"{key} {value!r:.40}{_origin(where)} is not a number.") from None
    if isinstance(value, bool) or not math.isfinite(number) or not low <= number <= high:
        raise ValueProblem(f"{key} {value!r:.40}{_origin(where)} is out of range: use "
                           f"{low:g} to {high:g}.")
    if whole and number != int(number):
        raise ValueProblem(f"{key} {value!r:.40}{_origin(where)} is not a whole number.")
    return key, number


def sampling_name(name: object, where: str | None = None) -> str:
    """The parameter a sampling name means (cfg and cfg_coef mean guidance_scale)."""
    key = _SAMPLING_ALIASES.get(str(name).lower(), str(name).lower())
    if key not in SAMPLING_LIMITS:
        raise ValueProblem(f"Unknown sampling parameter {str(name)[:40]!r}{_origin(where)} "
                           f"(known: {', '.join(SAMPLING_LIMITS)}, cfg).")
    return key


def check_slot_ref(text: object, where: str | None = None) -> str:
    """'LAYER@SCENE' (a clip slot, e.g. lead@intro); the names are checked as names."""
    if not isinstance(text, str) or text.count("@") != 1:
        raise ValueProblem(f"Slot {text!r:.40}{_origin(where)} is not LAYER@SCENE "
                           "(e.g. lead@intro).")
    layer, scene = text.split("@")
    check_name(layer, "Layer")
    check_name(scene, "Scene")
    return text
