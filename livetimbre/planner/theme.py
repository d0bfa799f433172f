"""ThemeDescriptor: what a prompt asks for, read from its words and the genre.

Timbre's planner derives a motif phrase, instrumentation keywords, a rhythm tag, a
texture and a dynamic curve from prompt tokens. Here the descriptor also carries the
numeric knobs (density, energy, brightness) the composer turns into notes.
"""

from __future__ import annotations

__all__ = ["ThemeDescriptor", "describe_prompt", "prompt_words"]

import re

from pydantic import BaseModel, ConfigDict

from livetimbre.genres.profile import GenreProfile
from livetimbre.music.instruments import GM_KEYWORDS

_STOP = {"a", "an", "the", "with", "and", "of", "in", "on", "for", "to", "some", "very", "more"}

# word → (density delta, energy delta, brightness delta)
_KNOBS: dict[str, tuple[float, float, float]] = {
    "sparse": (-0.35, -0.1, 0), "minimal": (-0.3, -0.1, 0), "sparse-ish": (-0.2, 0, 0),
    "empty": (-0.4, -0.2, 0), "simple": (-0.2, 0, 0), "busy": (0.3, 0.1, 0),
    "dense": (0.3, 0.1, 0), "rolling": (0.25, 0.15, 0), "driving": (0.25, 0.3, 0.05),
    "pulsing": (0.15, 0.15, 0), "energetic": (0.15, 0.3, 0.1), "intense": (0.2, 0.35, 0),
    "hard": (0.1, 0.3, 0), "pounding": (0.15, 0.35, 0), "aggressive": (0.2, 0.35, -0.1),
    "soft": (-0.1, -0.3, 0), "gentle": (-0.15, -0.3, 0.05), "calm": (-0.2, -0.3, 0),
    "chill": (-0.15, -0.25, 0), "mellow": (-0.1, -0.25, -0.05), "quiet": (-0.15, -0.35, 0),
    "lazy": (-0.2, -0.2, 0), "dreamy": (-0.15, -0.2, 0.1), "dark": (0, 0, -0.5),
    "moody": (0, -0.05, -0.35), "ominous": (-0.05, 0, -0.6), "sad": (-0.05, -0.15, -0.4),
    "melancholic": (-0.05, -0.15, -0.4), "deep": (0, 0, -0.3), "bright": (0, 0.05, 0.5),
    "happy": (0.05, 0.1, 0.5), "uplifting": (0.05, 0.15, 0.45), "sunny": (0, 0.05, 0.5),
    "shimmering": (0.05, 0, 0.4), "airy": (-0.1, -0.1, 0.35), "warm": (0, -0.05, -0.1),
    "epic": (0.15, 0.3, 0.1), "funky": (0.2, 0.15, 0.1), "groovy": (0.15, 0.1, 0.05),
}

_RHYTHM_TAGS = (
    ("four-on-the-floor", ("four on the floor", "four-on-the-floor", "4/4 kick")),
    ("half-time", ("half-time", "half time", "halftime")),
    ("double-time", ("double-time", "double time")),
    ("breakbeat", ("breakbeat", "break", "breaks", "amen")),
    ("syncopated", ("syncopated", "syncopation", "funky", "offbeat", "off-beat")),
    ("swung", ("swing", "swung", "shuffle", "shuffled")),
    ("driving", ("driving", "pounding", "pulsing", "relentless")),
    ("sparse", ("sparse", "minimal")),
)

_TEXTURES = (
    ("arpeggiated", ("arpeggio", "arpeggios", "arpeggiated", "arp", "arps")),
    ("sustained", ("sustained", "held", "long", "drone", "swell", "legato", "pad")),
    ("staccato", ("staccato", "stabs", "stab", "plucky", "short", "choppy", "pluck")),
    ("octaves", ("octave", "octaves")),
    ("walking", ("walking",)),
)

_CURVES = (
    ("build", ("build", "building", "rising", "crescendo", "riser", "swell")),
    ("fade", ("fade", "fading", "falling", "decrescendo", "outro")),
    ("accent-first", ("intro", "drop", "impact")),
)


class ThemeDescriptor(BaseModel):
    """Timbre's theme descriptor plus numeric knobs, all in [0, 1] or [-1, 1]."""

    model_config = ConfigDict(frozen=True)

    motif_phrase: str
    instrumentation: tuple[str, ...]
    rhythm_tag: str
    texture: str
    dynamic_curve: tuple[float, ...]
    density: float
    energy: float
    brightness: float
    words: tuple[str, ...]

    def has(self, *words: str) -> bool:
        """Whether any of `words` (or multi-word phrases) occurs in the prompt."""
        text = " " + " ".join(self.words) + " "
        return any(f" {w} " in text for w in words)


def prompt_words(prompt: str) -> tuple[str, ...]:
    """Lower-case word tokens of a prompt, hyphenated words kept whole."""
    return tuple(re.findall(r"[a-z0-9]+(?:[\-'][a-z0-9]+)*", prompt.lower()))


def _first_tag(text: str, table: tuple[tuple[str, tuple[str, ...]], ...], default: str) -> str:
    for tag, phrases in table:
        if any(f" {p} " in text for p in phrases):
            return tag
    return default


def _curve(tag: str, bars: int, energy: float) -> tuple[float, ...]:
    if bars <= 1:
        return (round(energy, 3),)
    out = []
    for bar in range(bars):
        x = bar / (bars - 1)
        if tag == "build":
            level = energy * (0.55 + 0.45 * x)
        elif tag == "fade":
            level = energy * (1.0 - 0.45 * x)
        elif tag == "accent-first":
            level = energy * (1.0 if bar == 0 else 0.85)
        else:
            level = energy * (0.95 if bar % 2 else 1.0)
        out.append(round(min(1.0, level), 3))
    return tuple(out)


def describe_prompt(prompt: str, genre: GenreProfile, bars: int) -> ThemeDescriptor:
    """Read a prompt's words in the light of the genre into a ThemeDescriptor."""
    words = prompt_words(prompt)
    text = " " + " ".join(words) + " "
    density, energy, brightness = 0.5, 0.55, 0.0
    for word in words:
        d, e, b = _KNOBS.get(word, (0.0, 0.0, 0.0))
        density, energy, brightness = density + d, energy + e, brightness + b
    instruments = tuple(
        k for k in sorted(GM_KEYWORDS, key=len, reverse=True) if f" {k} " in text
    )
    motif = " ".join(w for w in words if w not in _STOP and w not in _KNOBS)[:80]
    curve_tag = _first_tag(text, _CURVES, "steady")
    energy = min(1.0, max(0.05, energy))
    return ThemeDescriptor(
        motif_phrase=motif or genre.name.lower(),
        instrumentation=instruments,
        rhythm_tag=_first_tag(text, _RHYTHM_TAGS, genre.rhythm.feel),
        texture=_first_tag(text, _TEXTURES, "balanced"),
        dynamic_curve=_curve(curve_tag, bars, energy),
        density=round(min(1.0, max(0.05, density)), 3),
        energy=round(energy, 3),
        brightness=round(min(1.0, max(-1.0, brightness)), 3),
        words=words,
    )
