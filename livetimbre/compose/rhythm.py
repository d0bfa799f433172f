"""Rhythm: the genre's drum patterns, shaped by the prompt, with a fill in the last bar."""

from __future__ import annotations

__all__ = ["choose_pattern", "kick_steps", "write_drums"]

from livetimbre.compose.direction import Direction
from livetimbre.genres.profile import DrumPattern
from livetimbre.music.instruments import DRUM_NOTES
from livetimbre.music.notes import NoteEvent, clamp_velocity

_LEVEL = {"X": 118.0, "x": 96.0, "o": 50.0}


def choose_pattern(d: Direction) -> DrumPattern:
    """The pattern the prompt asks for by name or tag, else the genre's first."""
    patterns = d.genre.rhythm.drum_patterns
    by_name = {p.name: p for p in patterns}
    theme = d.theme
    for word in (theme.rhythm_tag, *theme.words):
        if word in by_name:
            return by_name[word]
    if theme.energy > 0.8 and "driving" in by_name:
        return by_name["driving"]
    if theme.density < 0.3 and "sparse" in by_name:
        return by_name["sparse"]
    return patterns[0]


def kick_steps(d: Direction) -> list[int]:
    """Grid steps of the genre's main kick, so the bass can lock to it."""
    voices = d.genre.rhythm.drum_patterns[0].voices
    steps = [i for i, ch in enumerate(voices.get("kick", "")) if ch != "."]
    return steps or [0]


def _shape(voices: dict[str, str], d: Direction) -> dict[str, str]:
    """Apply prompt words and feel to a pattern's voices (still one bar of steps)."""
    steps = d.meter.steps_per_bar
    per_beat = d.meter.steps_per_beat
    shaped = dict(voices)
    theme = d.theme
    if d.feel == "half-time" and "snare" in shaped:
        middle = steps // 2
        shaped["snare"] = "".join("X" if i == middle else "." for i in range(steps))
        if "clap" in shaped:
            shaped["clap"] = shaped["snare"].replace("X", "x")
    if theme.rhythm_tag == "four-on-the-floor" or theme.has("four on the floor"):
        shaped["kick"] = "".join("x" if i % per_beat == 0 else "." for i in range(steps))
    if theme.has("claps", "clap") and "clap" not in shaped and "snare" in shaped:
        shaped["clap"] = shaped["snare"].replace("X", "x")
    if theme.has("rimshot", "rim", "rims") and "rim" not in shaped:
        shaped["rim"] = "".join("o" if i % per_beat == per_beat - 1 else "." for i in range(steps))
    if theme.has("shaker", "shakers") and "shaker" not in shaped:
        shaped["shaker"] = "".join("o" if i % 2 else "x" for i in range(steps))
    if theme.has("ride") and "ride" not in shaped:
        shaped["ride"] = "".join("x" if i % per_beat == 0 else "." for i in range(steps))
    for voice in ("hat", "open_hat", "shaker", "ride"):
        if voice not in shaped:
            continue
        if theme.density < 0.35:  # thin: keep only on-beat hits
            shaped[voice] = "".join(
                ch if i % per_beat == 0 else "." for i, ch in enumerate(shaped[voice])
            )
        elif theme.density > 0.75 and voice == "hat":  # busy: fill the 8ths
            half = max(1, per_beat // 2)
            shaped[voice] = "".join(
                ch if ch != "." or i % half else "o" for i, ch in enumerate(shaped[voice])
            )
    if theme.has("no hats", "no hat"):
        shaped.pop("hat", None)
        shaped.pop("open_hat", None)
    if theme.has("no kick"):
        shaped.pop("kick", None)
    return shaped


def _voice_gain(voice: str, d: Direction) -> float:
    theme = d.theme
    gain = 1.0
    if theme.has(f"soft {voice}", f"soft {voice}s", f"quiet {voice}"):
        gain *= 0.7
    if theme.has(f"sparse {voice}", f"sparse {voice}s"):
        gain *= 0.85
    if theme.has(f"hard {voice}", f"heavy {voice}", f"punchy {voice}", f"big {voice}"):
        gain *= 1.15
    return gain


def _fill_beats(d: Direction) -> int:
    """How many beats the fill takes: none when sparse, two when energetic, else one."""
    if d.theme.has("no fill") or (d.theme.density < 0.3 and not d.theme.has("fill")):
        return 0
    return 2 if d.theme.energy > 0.7 and d.beats_per_bar >= 4 else 1


def _fill(d: Direction, beats: int) -> list[NoteEvent]:
    """A snare roll or a tom run over the last `beats` beats of the clip."""
    rng = d.rng("fill")
    start = d.total_beats - beats
    count = int(beats * d.meter.steps_per_beat)
    toms = [DRUM_NOTES["tom_high"], DRUM_NOTES["tom_mid"], DRUM_NOTES["tom_low"]]
    use_toms = rng.random() < 0.5
    notes = []
    for i in range(count):
        pitch = toms[min(2, i * 3 // count)] if use_toms else DRUM_NOTES["snare"]
        velocity = 60 + 55 * (i + 1) / count
        notes.append(
            NoteEvent(start + i * d.step, d.step * 0.9, pitch, clamp_velocity(velocity))
        )
    return notes


def write_drums(d: Direction) -> list[NoteEvent]:
    """Drum notes for every bar; the last bar's tail is replaced by a fill."""
    pattern = choose_pattern(d)
    voices = _shape(pattern.voices, d)
    rng = d.rng("drums")
    notes: list[NoteEvent] = []
    fill_beats = _fill_beats(d)
    fill_from = d.total_beats - fill_beats if fill_beats else float("inf")
    for bar in range(d.bars):
        bar_start = bar * d.beats_per_bar
        for voice, steps in voices.items():
            pitch = DRUM_NOTES[voice]
            gain = _voice_gain(voice, d)
            for i, ch in enumerate(steps):
                if ch == ".":
                    continue
                beat = bar_start + i * d.step
                if beat >= fill_from and voice not in ("kick", "hat", "ride", "shaker"):
                    continue
                velocity = d.velocity(_LEVEL[ch] * gain, bar) + rng.uniform(-6, 6)
                notes.append(
                    NoteEvent(d.swung(beat), d.step * 0.9, pitch, clamp_velocity(velocity))
                )
    if fill_beats:
        notes.extend(_fill(d, fill_beats))
    if d.theme.energy > 0.65 or d.theme.has("crash"):
        notes.append(NoteEvent(0.0, 1.0, DRUM_NOTES["crash"], clamp_velocity(d.velocity(100, 0))))
    return sorted(notes, key=lambda n: (n.start, n.pitch))
