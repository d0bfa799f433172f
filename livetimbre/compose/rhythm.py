"""Drums: the genre's pattern fitted to the meter, shaped by the prompt, developed bar by
bar (variations, answers, fills at phrase ends) and played with the genre's feel."""

from __future__ import annotations

__all__ = ["bar_pattern", "fit_pattern", "write_drums"]

from livetimbre.compose.direction import Direction
from livetimbre.compose.feel import perform
from livetimbre.compose.fills import ghost_voice, hand_fill_notes
from livetimbre.compose.form import BarForm, bar_forms
from livetimbre.genres.profile import DrumPattern
from livetimbre.music.instruments import DRUM_NOTES
from livetimbre.music.notes import NoteEvent, clamp_velocity
from livetimbre.music.pulses import pulses
from livetimbre.music.theory import Meter, parse_meter

_LEVEL = {"X": 118.0, "x": 96.0, "o": 48.0}
_BACKBEAT = ("snare", "clap", "rim", "snare2")
_BACKBONE = ("kick", *_BACKBEAT)
_BREAKBEAT = {"kick": "x.x.......xx....", "snare": "....X..o.x..X..o",
              "hat": "x.x.x.x.x.x.x.x."}

Voices = dict[str, str]


def _cell(steps: str) -> str:
    """A pulse's steps as a 4-step (one quarter's 16ths) cell."""
    n = len(steps)
    if n == 4:
        return steps
    if n == 6:  # a dotted quarter: on-beat, 16th, 8th, and the last 16th
        return steps[0] + steps[1] + steps[2] + steps[5]
    return "".join(steps[round(i * n / 4)] if round(i * n / 4) < n else "." for i in range(4))


def _stretch(cell: str, length: int) -> str:
    """A 4-step cell played over a pulse of `length` steps."""
    c0, c1, c2, c3 = cell[0], cell[1], cell[2], cell[3]
    if length == 4:
        return cell
    if length == 6:  # three eighths: the cell's eighth level on both off-eighths
        return c0 + c1 + c2 + c1 + c2 + c3
    if length == 2:
        return c0 + c2
    if length == 3:
        return c0 + c2 + c3
    if length == 8:
        return cell + c2 + c1 + c2 + c3
    return "".join(cell[j * 4 // length] if (j * 4) % length == 0 else "."
                   for j in range(length))


def _without(cell: dict[str, str], voices: tuple[str, ...]) -> dict[str, str]:
    return {v: ("...." if v in voices else s) for v, s in cell.items()}


def fit_pattern(voices: Voices, source: Meter, meter: Meter) -> Voices:
    """One bar of `voices` (written for `source`) rebuilt for `meter` pulse by pulse:
    the downbeat takes the source's downbeat, backbeats its backbeats, and so on, so
    no hit falls past the bar line and the accents belong to the new meter."""
    if source == meter:
        return dict(voices)
    cells: dict[str, list[dict[str, str]]] = {}
    for pulse in pulses(source):
        cell = {v: _cell(s[pulse.start:pulse.start + pulse.length]) for v, s in voices.items()}
        cells.setdefault(pulse.role, []).append(cell)
    back = cells.get("back") or [_without(cells["down"][0], ("kick",))]
    cells.setdefault("back", back)
    cells.setdefault("strong", [_without(cells["down"][0], ("crash",))])
    cells.setdefault("weak", [_without(c, _BACKBEAT) for c in back])
    used: dict[str, int] = {}
    out = {v: "" for v in voices}
    for pulse in pulses(meter):
        options = cells[pulse.role]
        cell = options[used.get(pulse.role, 0) % len(options)]
        used[pulse.role] = used.get(pulse.role, 0) + 1
        for voice in voices:
            out[voice] += _stretch(cell[voice], pulse.length)
    # A voice the mapping lost (the one-drop's kick on 3 has no strong pulse in 3/4 to
    # go to) moves to the bar's last pulse.
    target = pulses(meter)[-1]
    for voice, text in voices.items():
        if set(out[voice]) != {"."} or set(text) == {"."}:
            continue
        source_cell = next(c[voice] for cs in cells.values() for c in cs if c[voice] != "....")
        out[voice] = out[voice][:target.start] + _stretch(source_cell, target.length)
    return out


def _choose(d: Direction, second: bool = False) -> Voices:
    """The pattern the prompt names (by style or pattern name), else the genre's first,
    fitted to the session's meter; `second`: its companion bar ('<name>:2', a two-bar
    pattern such as a clave) where the genre has one."""
    patterns = d.genre.rhythm.drum_patterns
    source = parse_meter(d.genre.rhythm.time_signatures[0])
    if d.theme.wants("breakbeat"):
        return fit_pattern(_BREAKBEAT, Meter(4, 4), d.meter)
    by_name = {p.name: p for p in patterns}
    chosen: DrumPattern = patterns[0]
    named = [by_name[w] for w in d.theme.words if w in by_name]
    if named:
        chosen = named[0]
    elif d.theme.energy > 0.8 and "driving" in by_name:
        chosen = by_name["driving"]
    elif d.density < 0.3 and "sparse" in by_name:
        chosen = by_name["sparse"]
    if second:
        chosen = by_name.get(f"{chosen.name}:2", chosen)
    return fit_pattern(chosen.voices, source, d.meter)


def _half_time(steps: str) -> str:
    return "".join(steps[j // 2] if j % 2 == 0 else "." for j in range(len(steps)))


def _double_time(steps: str) -> str:
    n = len(steps)
    return "".join(steps[(2 * j) % n] for j in range(n))


def _on_pulses(d: Direction, char: str = "x") -> str:
    starts = {p.start for p in d.pulses}
    return "".join(char if i in starts else "." for i in range(d.steps_per_bar))


def _shape(voices: Voices, d: Direction) -> Voices:
    """Apply the prompt's styles, density, feel and the tempo to one bar of steps."""
    shaped = dict(voices)
    theme = d.theme
    steps = d.steps_per_bar
    native = d.genre.rhythm.feel
    if theme.feel != native and theme.feel in ("half-time", "double-time"):
        change = _half_time if theme.feel == "half-time" else _double_time
        for voice in _BACKBONE:
            if voice in shaped:
                shaped[voice] = change(shaped[voice])
    if theme.wants("four-on-the-floor"):
        shaped["kick"] = _on_pulses(d)
    backbeat = next((shaped[v] for v in ("snare", "clap", "rim") if v in shaped), None)
    if theme.wants("clap") and "clap" not in shaped and backbeat:
        shaped["clap"] = backbeat.replace("X", "x").replace("o", ".")
    if theme.wants("rim") and "rim" not in shaped:
        ends = {p.start + p.length - 1 for p in d.pulses}
        shaped["rim"] = "".join("o" if i in ends else "." for i in range(steps))
    if theme.wants("shaker") and "shaker" not in shaped:
        shaped["shaker"] = "".join("o" if i % 2 else "x" for i in range(steps))
    if theme.wants("ride") and "ride" not in shaped:
        shaped["ride"] = _on_pulses(d)
    starts = {p.start for p in d.pulses}
    eighths = {i for i in range(steps) if i % 2 == 0}
    for voice in ("hat", "shaker", "ride"):
        if voice not in shaped:
            continue
        text = shaped[voice]
        if d.density < 0.35 or d.rate < 1:  # thin, or a fast tempo: halve the subdivision
            has_sixteenths = any(ch != "." for i, ch in enumerate(text) if i % 2)
            keep = eighths if has_sixteenths and d.density >= 0.35 else starts
            text = "".join(ch if i in keep else "." for i, ch in enumerate(text))
        elif (d.density > 0.75 and voice == "hat") or d.rate > 1:  # busy or slow: fill in
            eighths_full = all(text[i] != "." for i in eighths)
            fill = eighths if not eighths_full and d.rate <= 1 else set(range(steps))
            text = "".join("o" if ch == "." and i in fill else ch for i, ch in enumerate(text))
        shaped[voice] = text
    if theme.wants("no-hats"):
        for voice in ("hat", "open_hat", "pedal_hat"):
            shaped.pop(voice, None)
    if theme.wants("no-kick"):
        shaped.pop("kick", None)
    return {v: s for v, s in shaped.items() if "x" in s.lower() or "o" in s}


def _empty(voices: Voices, voice: str, candidates: list[int]) -> list[int]:
    text = voices.get(voice, "." * (max(candidates, default=0) + 1))
    return [i for i in candidates if i < len(text) and text[i] == "."]


def _set(voices: Voices, voice: str, index: int, char: str, steps: int) -> None:
    text = voices.get(voice, "." * steps)
    voices[voice] = text[:index] + char + text[index + 1:]


def _vary(base: Voices, form: BarForm, d: Direction) -> Voices:
    """Bar `form.bar`'s steps: the groove, a variation of it or an answer."""
    voices = dict(base)
    steps = d.steps_per_bar
    rng = d.rng(f"drums-{form.variant}")
    last = d.pulses[-1]
    if form.label in ("A2", "A3", "B", "B2") or (form.label in ("f", "F")
                                                  and d.theme.wants("no-fill")):
        moves = ["kick", "ghost", "open"]
        rng.shuffle(moves)
        for move in moves[: 1 + (form.label in ("B", "B2"))]:
            if move == "kick":
                spots = _empty(voices, "kick", [i for i in range(steps // 2, steps) if i % 2])
                if "kick" in voices and spots:
                    _set(voices, "kick", rng.choice(spots), "x", steps)
                    continue
            if move == "open" and "hat" in voices:
                spots = [i for i in range(last.start + 1, steps) if voices["hat"][i] != "."]
                if spots:
                    spot = rng.choice(spots)
                    _set(voices, "hat", spot, ".", steps)
                    _set(voices, "open_hat", spot, "x", steps)
                    continue
            snare = ghost_voice(voices)
            spots = _empty(voices, snare, [i for i in range(1, steps) if i % 2])
            if spots:
                _set(voices, snare, rng.choice(spots), "o", steps)
        if form.label in ("B", "B2"):  # an answer: thin the cymbals a little (degradeBy)
            starts = {p.start for p in d.pulses}
            for voice in ("hat", "ride", "shaker", "bongo_low"):  # bongo_low: tabla dhin
                if voice in voices:
                    voices[voice] = "".join(
                        "." if ch != "." and i not in starts and rng.random() < 0.2 else ch
                        for i, ch in enumerate(voices[voice]))
    if d.theme.wants("ghost"):
        snare = ghost_voice(voices)
        spots = _empty(voices, snare, [i for i in range(steps) if i % 2 or i % 4 == 2])
        for spot in rng.sample(spots, min(len(spots), 2 + rng.randrange(3))):
            _set(voices, snare, spot, "o", steps)
    return voices


def _fill(d: Direction, form: BarForm, start: float, beats: float) -> list[NoteEvent]:
    """A snare roll or a tom run from `start` for `beats` beats, rising in velocity."""
    rng = d.rng(f"fill-{form.variant}")
    grid = d.step if d.theme.energy > 0.45 or d.theme.wants("fill") else 2 * d.step
    count = max(1, round(beats / grid))
    toms = [DRUM_NOTES["tom_high"], DRUM_NOTES["tom_mid"], DRUM_NOTES["tom_low"]]
    use_toms = rng.random() < 0.5
    rests = {i for i in range(1, count - 1) if rng.random() < 0.25}
    notes = []
    for i in range(count):
        if i in rests:
            continue
        pitch = toms[min(2, i * 3 // count)] if use_toms else DRUM_NOTES["snare"]
        if hands := hand_fill_notes(d):
            pitch = hands[min(len(hands) - 1, i * len(hands) // count)]
        velocity = d.velocity(62 + 50 * (i + 1) / count, form.bar)
        notes.append(NoteEvent(start + i * grid, grid * 0.9, pitch, clamp_velocity(velocity)))
    return notes


def _fill_span(d: Direction, form: BarForm) -> float:
    """How many beats of bar `form` a fill takes (0 for none)."""
    if form.label not in ("f", "F") or d.theme.wants("no-fill"):
        return 0.0
    if d.density < 0.25 and not d.theme.wants("fill"):
        return 0.0
    pulse_beats = [p.length * d.step for p in d.pulses]
    if form.label == "f":
        return pulse_beats[-1] / (1 if d.theme.wants("fill") else 2)
    big = d.theme.energy > 0.7 or d.theme.wants("fill")
    return sum(pulse_beats[-2:]) if big and len(pulse_beats) > 1 else pulse_beats[-1]


def bar_pattern(d: Direction, second: bool = False) -> Voices:
    """The clip's basic bar (label A) after the prompt's shaping (`second`: the basic
    bar of even-numbered bars, the same unless the pattern spans two bars)."""
    return _shape(_choose(d, second), d)


def write_drums(d: Direction) -> list[NoteEvent]:
    """Drum notes for every bar of the clip, played with the genre's feel."""
    grooves = (bar_pattern(d), bar_pattern(d, second=True))
    rng = d.rng("drums")
    notes: list[NoteEvent] = []
    crash_bars = {0} if d.theme.energy > 0.65 or d.theme.wants("crash") else set()
    for form in bar_forms(d.bars):
        voices = _vary(grooves[form.bar % 2], form, d)
        bar_start = form.bar * d.beats_per_bar
        fill_beats = _fill_span(d, form)
        fill_from = bar_start + d.beats_per_bar - fill_beats
        if form.position == 0 and form.phrase > 0 and (d.theme.energy > 0.6
                                                       or d.theme.wants("crash")):
            crash_bars.add(form.bar)
        for voice, steps in voices.items():
            pitch = DRUM_NOTES[voice]
            for i, ch in enumerate(steps):
                if ch == ".":
                    continue
                beat = bar_start + i * d.step
                if fill_beats and beat >= fill_from - 1e-9 and voice not in ("kick", "crash"):
                    continue
                level = _LEVEL[ch] + (rng.uniform(-4, 4) if ch == "o" else 0.0)
                velocity = d.velocity(level, form.bar, i)
                notes.append(NoteEvent(beat, d.step * 0.9, pitch, clamp_velocity(velocity)))
        if fill_beats:
            notes.extend(_fill(d, form, fill_from, fill_beats))
    for bar in sorted(crash_bars):
        notes.append(NoteEvent(bar * d.beats_per_bar, 1.0, DRUM_NOTES["crash"],
                               clamp_velocity(d.velocity(104, bar, 0))))
    return perform(notes, d, drums=True)
