"""ThemeDescriptor: what a prompt asks for, read from its words and the genre.

Timbre's planner derives a motif phrase, instrumentation keywords, a rhythm feel and a
dynamic curve from prompt tokens. Here the words are read through the vocabulary
(planner.vocabulary) into the numeric knobs and role styles the composer plays from,
and the words nothing understood are kept, so the performer can be told.
"""

from __future__ import annotations

__all__ = ["ThemeDescriptor", "describe_prompt", "directed_theme", "prompt_words"]

import re

from pydantic import BaseModel, ConfigDict

from livetimbre.director.spec import SongSpec
from livetimbre.genres.profile import GenreProfile
from livetimbre.music.instruments import DRUM_KITS, GM_KEYWORDS, ROLE_WORDS
from livetimbre.music.textures import INTENSITY_WORDS, TEXTURE_WORDS
from livetimbre.planner.vocabulary import KNOBS, find_entries

_STOP = {"a", "an", "the", "with", "and", "of", "in", "on", "for", "to", "some", "very", "more",
         "bit", "little", "lots", "plus", "but", "over", "under", "into", "from", "at", "by",
         "its", "it", "this", "that", "like", "feel", "style", "vibe", "vibes", "loop",
         "line", "part", "groove", "pattern", "sound", "sounds", "kit", "notes", "note"}
_SWING_PERCENT = re.compile(r"^(\d{2})%?$")
_LIMITS = {"density": (0.05, 1.0), "energy": (0.05, 1.0), "brightness": (-1.0, 1.0),
           "register_shift": (-12.0, 12.0), "articulation": (0.25, 1.2), "push_ms": (-40.0, 40.0),
           "looseness": (0.0, 3.0), "dynamics_db": (-12.0, 6.0), "syncopation": (-1.0, 1.0)}


class ThemeDescriptor(BaseModel):
    """Timbre's theme descriptor plus the knobs the composer plays from.

    `density`, `energy` in [0, 1]; `brightness`, `syncopation` in [-1, 1];
    `register_shift` in semitones; `articulation` scales note lengths; `push_ms` moves
    notes late (+) or early (-); `looseness` scales the genre's humanisation;
    `dynamics_db` is the layer's level in the mix relative to its role; `swing`
    (0 straight … 1 triplet) is None when the genre decides; `styles` are role words
    (see planner.vocabulary); `ignored` are the prompt's words nothing understood.
    """

    model_config = ConfigDict(frozen=True)

    motif_phrase: str
    instrumentation: tuple[str, ...]
    feel: str
    curve: str
    dynamic_curve: tuple[float, ...]
    density: float
    energy: float
    brightness: float
    register_shift: float
    articulation: float
    push_ms: float
    looseness: float
    dynamics_db: float
    syncopation: float
    swing: float | None
    styles: tuple[str, ...]
    words: tuple[str, ...]
    ignored: tuple[str, ...]

    def has(self, *words: str) -> bool:
        """Whether any of `words` (or multi-word phrases) occurs in the prompt."""
        text = " " + " ".join(self.words) + " "
        return any(f" {w} " in text for w in words)

    def wants(self, *styles: str) -> bool:
        """Whether the prompt asked for any of `styles` (vocabulary role words)."""
        return any(s in self.styles for s in styles)


def prompt_words(prompt: str) -> tuple[str, ...]:
    """Lower-case word tokens of a prompt, hyphenated words kept whole."""
    return tuple(re.findall(r"[a-z0-9%]+(?:[\-'][a-z0-9]+)*%?", prompt.lower()))


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
            level = energy
        out.append(round(min(1.0, level), 3))
    return tuple(out)


def _known_words(genre: GenreProfile) -> set[str]:
    """Words that are not vocabulary but are understood elsewhere (instrument and kit
    names, role words, texture sounds, the genre's own names and pattern names) or carry
    no meaning."""
    known = set(_STOP) | set(DRUM_KITS)
    for phrase in GM_KEYWORDS:
        known.update(phrase.split())
    for words in ROLE_WORDS.values():
        known.update(words)
    for _kind, phrases in TEXTURE_WORDS:  # texture layers name their sound
        for phrase in phrases:
            known.update(phrase.split())
    known.update(INTENSITY_WORDS)
    known.update(re.findall(r"[a-z0-9]+", f"{genre.id} {genre.name}".lower()))
    known.update(p.name.lower() for p in genre.rhythm.drum_patterns)
    return known


def describe_prompt(prompt: str, genre: GenreProfile, bars: int) -> ThemeDescriptor:
    """Read a prompt's words in the light of the genre into a ThemeDescriptor."""
    words = prompt_words(prompt)
    entries, used = find_entries(words)
    knobs = dict(KNOBS)
    swing: float | None = None
    feel, curve, styles = genre.rhythm.feel, "steady", []
    for entry in entries:
        for knob, delta in entry.knobs.items():
            knobs[knob] += delta
        # the longest phrase comes first and wins: "heavy swing" over a later "swung"
        swing = entry.swing if swing is None else swing
        feel = entry.feel if entry.feel and feel == genre.rhythm.feel else feel
        curve = entry.curve if entry.curve and curve == "steady" else curve
        if entry.style:
            styles.append(entry.style)
    for index, word in enumerate(words):  # "swing 62%": an exact MPC-style swing
        match = _SWING_PERCENT.match(word)
        if match and index > 0 and words[index - 1] in ("swing", "swung", "shuffle"):
            percent = min(75, max(50, int(match.group(1))))
            swing = (percent - 50) / (200 / 3 - 50)
            used.add(index)
    for knob, (low, high) in _LIMITS.items():
        knobs[knob] = round(min(high, max(low, knobs[knob])), 3)
    known = _known_words(genre)
    ignored = tuple(dict.fromkeys(
        w for i, w in enumerate(words) if i not in used and w not in known and len(w) > 1))
    instruments = tuple(
        k for k in sorted(GM_KEYWORDS, key=len, reverse=True) if f" {k} " in f" {' '.join(words)} "
    )
    motif = " ".join(w for i, w in enumerate(words) if w not in _STOP and i not in used)[:80]
    return ThemeDescriptor(
        motif_phrase=motif or genre.name.lower(),
        instrumentation=instruments,
        feel=feel,
        curve=curve,
        dynamic_curve=_curve(curve, bars, knobs["energy"]),
        swing=None if swing is None else round(swing, 3),
        styles=tuple(dict.fromkeys(styles)),
        words=words,
        ignored=ignored,
        **knobs,
    )


_MOOD_BRIGHTNESS = 0.2  # a mood that chose the mode tilts the tone: major up, minor down


def directed_theme(theme: ThemeDescriptor, spec: SongSpec) -> ThemeDescriptor:
    """`theme` with the director's reading: the words it set aside (not fillers) are the
    ignored ones, and where no composer word set them, its energy and a mood that chose
    the mode seed the energy and brightness."""
    update: dict[str, object] = {
        "ignored": tuple(dict.fromkeys(w.text.lower() for w in spec.set_aside()
                                       if w.kind != "filler"))}
    if theme.energy == KNOBS["energy"] and spec.energy != KNOBS["energy"]:
        energy = round(min(1.0, max(0.05, spec.energy)), 3)
        scale = energy / theme.energy
        update["energy"] = energy
        update["dynamic_curve"] = tuple(round(min(1.0, v * scale), 3)
                                        for v in theme.dynamic_curve)
    if theme.brightness == KNOBS["brightness"] and spec.key.reason.startswith("mood"):
        update["brightness"] = _MOOD_BRIGHTNESS if spec.key.family == "major" else (
            -_MOOD_BRIGHTNESS)
    return theme.model_copy(update=update)
