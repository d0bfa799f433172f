"""The prompt vocabulary: every word and phrase the procedural composer understands.

Each entry has a headword, its synonyms, the roles it steers and what it changes: deltas
to the theme's numeric knobs, a swing amount, a feel, an energy curve, or a style that a
role's writer knows (skank, walking, reese, ...). The docs' vocabulary reference is
generated from this table; `tests/unit/test_vocabulary.py` measures every entry's effect.
"""

from __future__ import annotations

__all__ = ["GROUPS", "KNOBS", "VOCABULARY", "Entry", "find_entries", "vocabulary_text"]

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

ALL = ("drums", "bass", "chords", "pad", "lead", "arp", "texture")
MELODIC = ("bass", "chords", "pad", "lead", "arp")

# The numeric knobs an entry may move, with their neutral values.
KNOBS: dict[str, float] = {
    "density": 0.5, "energy": 0.55, "brightness": 0.0, "register_shift": 0.0,
    "articulation": 1.0, "push_ms": 0.0, "looseness": 1.0, "dynamics_db": 0.0,
    "syncopation": 0.0,
}

GROUPS = ("density", "register", "articulation", "feel", "dynamics", "energy", "ghost notes",
          "syncopation", "role")


@dataclass(frozen=True)
class Entry:
    """One vocabulary entry: `phrases[0]` is the headword, the rest its synonyms."""

    group: str
    phrases: tuple[str, ...]
    roles: tuple[str, ...]
    effect: str
    knobs: Mapping[str, float] = field(default_factory=dict)
    swing: float | None = None
    feel: str | None = None
    curve: str | None = None
    style: str | None = None

    @property
    def name(self) -> str:
        return self.phrases[0]


def _e(group: str, phrases: str, roles: Sequence[str], effect: str, **kw: object) -> Entry:
    return Entry(group, tuple(p.strip() for p in phrases.split(",")), tuple(roles), effect,
                 **kw)  # type: ignore[arg-type]


VOCABULARY: tuple[Entry, ...] = (
    # density
    _e("density", "sparse, minimal, empty, thin, spacious", ALL,
       "fewer notes: hats on the pulse only, fewer melody and bass notes",
       knobs={"density": -0.35, "energy": -0.1}),
    _e("density", "busy, dense, full, lots of notes", ALL,
       "more notes: 16th hats, more melody, bass and comping notes",
       knobs={"density": 0.3, "energy": 0.1}),
    _e("density", "simple, basic, plain", ALL, "fewer notes",
       knobs={"density": -0.2}),
    _e("density", "slow evolving, slowly evolving, evolving, slow", MELODIC,
       "long notes that change slowly: fewer, longer notes",
       knobs={"density": -0.3, "articulation": 0.3}),
    # register
    _e("register", "low, lower, deep, down an octave", MELODIC,
       "the part sits lower (about half an octave to an octave)", knobs={"register_shift": -7}),
    _e("register", "high, higher, up an octave, soaring", MELODIC,
       "the part sits higher (about half an octave to an octave)", knobs={"register_shift": 7}),
    _e("register", "dark, moody, ominous, sad, melancholic", MELODIC,
       "darker: lower voicings and melody", knobs={"brightness": -0.5}),
    _e("register", "bright, happy, uplifting, sunny, shimmering, airy", MELODIC,
       "brighter: higher voicings and melody", knobs={"brightness": 0.5}),
    # articulation
    _e("articulation", "staccato, short, choppy, clipped, detached", MELODIC,
       "short notes (under half their slot)", knobs={"articulation": -0.55}),
    _e("articulation", "legato, smooth, flowing, connected", MELODIC,
       "notes held to the next one", knobs={"articulation": 0.15}),
    _e("articulation", "pluck, plucked, plucky", ("chords", "lead", "arp"),
       "very short plucked notes (a pizzicato-like voice unless the layer names one)",
       knobs={"articulation": -0.65}, style="pluck"),
    _e("articulation", "strummed, strum, strumming", ("chords",),
       "chords strummed: strings 10-30 ms apart, down and up strokes", style="strum"),
    _e("articulation", "rolled, rolled chords, broken chords", ("chords", "pad"),
       "chords rolled from the bottom up over about an eighth note", style="roll"),
    _e("articulation", "block chords, block", ("chords",),
       "every chord tone struck together (no strum)", style="block"),
    # feel and swing
    _e("feel", "swung, swing, shuffle, shuffled", ALL,
       "swung off-beats (62 % swing)", swing=0.55),
    _e("feel", "heavy swing, hard swing, triplet feel", ALL,
       "off-beats on the triplet (about 66 % swing)", swing=0.95),
    _e("feel", "light swing, slight swing, gentle swing", ALL,
       "a touch of swing (about 55 % swing)", swing=0.3),
    _e("feel", "straight, no swing, unswung", ALL, "no swing at all", swing=0.0),
    _e("feel", "laid back, laid-back, behind the beat, dragging, lazy", ALL,
       "notes land about 18 ms behind the grid", knobs={"push_ms": 18.0, "energy": -0.1}),
    _e("feel", "pushing, ahead of the beat, rushing, urgent, on top", ALL,
       "notes land about 12 ms ahead of the grid", knobs={"push_ms": -12.0}),
    _e("feel", "tight, quantized, robotic, mechanical, machine", ALL,
       "no timing or velocity humanisation", knobs={"looseness": -1.0}),
    _e("feel", "loose, human, humanized, live, sloppy", ALL,
       "about 2.5 times the genre's timing and velocity spread", knobs={"looseness": 1.5}),
    _e("feel", "half-time, half time, halftime", ALL,
       "half-time: backbeat on beat 3, bass and melody at half the rate", feel="half-time"),
    _e("feel", "double-time, double time, doubletime", ALL,
       "double-time: the groove twice per bar, twice the melodic rate", feel="double-time"),
    # dynamics
    _e("dynamics", "soft, quiet, gentle, delicate, subtle", ALL,
       "quieter in the mix (6 dB) and played softly",
       knobs={"dynamics_db": -6.0, "energy": -0.3, "density": -0.1}),
    _e("dynamics", "hard, loud, pounding, aggressive, punchy, powerful", ALL,
       "louder in the mix (3 dB) and played hard",
       knobs={"dynamics_db": 3.0, "energy": 0.3, "density": 0.1}),
    # energy
    _e("energy", "energetic, intense, driving, relentless, epic", ALL,
       "more energy: harder accents, bigger fills, crash on the downbeat",
       knobs={"energy": 0.3, "density": 0.15}),
    _e("energy", "calm, chill, mellow, relaxed, dreamy", ALL,
       "less energy: softer playing, smaller fills", knobs={"energy": -0.3, "density": -0.15}),
    _e("energy", "build, building, rising, crescendo, growing", ALL,
       "energy and velocity rise across the clip", curve="build"),
    _e("energy", "fade, fading, falling, decrescendo, dying", ALL,
       "energy and velocity fall across the clip", curve="fade"),
    _e("energy", "drop, impact, intro", ALL, "an accented first bar", curve="accent-first"),
    # ghost notes
    _e("ghost notes", "ghost notes, ghost note, ghosts, ghosted", ("drums", "bass"),
       "quiet in-between snare (or muted bass) notes", style="ghost"),
    # syncopation
    _e("syncopation", "syncopated, syncopation, funky, off-kilter", ALL,
       "more notes off the pulse", knobs={"syncopation": 0.6, "density": 0.1}),
    _e("syncopation", "on the beat, on-beat, square", ALL,
       "notes kept on the pulse", knobs={"syncopation": -0.6}),
    # role words
    _e("role", "skank, skanks, upstrokes, upstroke", ("chords",),
       "short chords on every off-beat", style="skank"),
    _e("role", "stabs, stab, chops, chopped", ("chords",),
       "short syncopated chord stabs", style="stabs"),
    _e("role", "comp, comping, jazzy", ("chords",),
       "jazz comping: anticipated, varying chord hits", style="comp"),
    _e("role", "sustained, held, long, lush", ("bass", "chords", "pad"),
       "long notes held through each chord", style="sustained"),
    _e("role", "arpeggio, arpeggiated, arpeggios, arp", ("chords", "arp"),
       "chord tones one at a time", style="arpeggio"),
    _e("role", "walking, walking bass", ("bass",),
       "a walking line: a note on every pulse, stepping to the next chord", style="walking"),
    _e("role", "octave, octaves", ("bass", "arp"), "alternating octaves", style="octave"),
    _e("role", "pulsing, pulse, eighths, 8ths", ("bass", "pad", "arp"),
       "steady repeated eighth notes", style="pulse"),
    _e("role", "offbeat, off-beat", ("bass",), "bass notes between the pulses",
       style="offbeat"),
    _e("role", "reese, reese bass", ("bass",),
       "a long, low, detuned-saw reese bass (GM Synth Bass 2)", style="reese"),
    _e("role", "808, sub, sub bass", ("bass",), "long, low sub notes", style="sub"),
    _e("role", "sixteenths, 16ths, fast", ("arp",), "arpeggio in 16th notes", style="fast"),
    _e("role", "up-down, updown, bouncing", ("arp",), "arpeggio up then down",
       style="updown"),
    _e("role", "descending, downward", ("arp",), "arpeggio from the top down",
       style="down"),
    _e("role", "drone, droning", ("pad", "texture", "bass"),
       "one long tonic-and-fifth drone under the clip", style="drone"),
    _e("role", "riser, uplifter, rising sweep", ("texture", "lead", "arp"),
       "notes that climb and grow to the clip's end (a texture layer: a noise riser)",
       style="riser"),
    _e("role", "fill, fills, with a fill", ("drums",),
       "a fill at the end of every phrase, bigger than the genre's", style="fill"),
    _e("role", "no fill, no fills", ("drums",), "no fills", style="no-fill"),
    _e("role", "four on the floor, four-on-the-floor", ("drums",), "a kick on every pulse",
       style="four-on-the-floor"),
    _e("role", "breakbeat, breaks, amen", ("drums",),
       "a syncopated breakbeat kick and snare", style="breakbeat"),
    _e("role", "crash, crashes", ("drums",), "a crash at every phrase start", style="crash"),
    _e("role", "claps, clap", ("drums",), "claps doubling the backbeat", style="clap"),
    _e("role", "rimshot, rim, rims", ("drums",), "rimshots on the last 16th of pulses",
       style="rim"),
    _e("role", "shaker, shakers", ("drums",), "a 16th-note shaker", style="shaker"),
    _e("role", "ride", ("drums",), "a ride cymbal on the pulse", style="ride"),
    _e("role", "no hats, no hat, no hi-hats", ("drums",), "hi-hats left out",
       style="no-hats"),
    _e("role", "no kick", ("drums",), "the kick left out", style="no-kick"),
)


def find_entries(words: Sequence[str]) -> tuple[list[Entry], set[int]]:
    """The entries a prompt's words name, and which word positions they used.

    Longer phrases win: "heavy swing" is one entry, not "heavy" and "swing".
    """
    phrases = sorted(((tuple(p.split()), e) for e in VOCABULARY for p in e.phrases),
                     key=lambda pe: -len(pe[0]))
    used: set[int] = set()
    found: list[Entry] = []
    for tokens, entry in phrases:
        n = len(tokens)
        for start in range(len(words) - n + 1):
            span = set(range(start, start + n))
            if tuple(words[start:start + n]) == tokens and not span & used:
                used |= span
                if entry not in found:
                    found.append(entry)
    return found, used


def vocabulary_text() -> str:
    """The vocabulary for a terminal: each group's headwords and synonyms, one a line."""
    lines = ["Prompt words the composer understands (synonyms in brackets):"]
    for group in GROUPS:
        words = [f"{e.name} ({', '.join(e.phrases[1:])})" if e.phrases[1:] else e.name
                 for e in VOCABULARY if e.group == group]
        lines.append(f"  {group}: " + "; ".join(words))
    return "\n".join(lines)
