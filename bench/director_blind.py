"""The Creative Director on the blind prompt set (tests/director/blind_prompts.yaml), written by
a tester who had not seen the director, its genre aliases or its own prompt sets.

For each provider it does what `livetimbre plan --batch FILE --json` does, in process (the
SongSpec, then the composition plan from its genre, key and meter), and prints four figures:

  genre family     the SongSpec's genre (the one played) is in the expected family; the
                   family the prompt was read as asking for (`named_family`) is shown beside it
  tempo words      slow -> at most 90 BPM, fast -> at least 120 BPM, a number -> within 2 BPM;
                   of the SongSpec's tempo and, separately, of the composition plan's
  mood -> mode     major family = major/ionian, lydian, mixolydian; minor family =
                   minor/aeolian, dorian, phrygian, harmonic minor, locrian
  instruments      each named instrument has a matching GM program, or percussion where the
                   table allows it, among the SongSpec's instruments (bench/blind_instruments.yaml,
                   written with the prompt set); beside it, the stricter share where the match
                   is a choice the director credits to the prompt's words (`named` set)

then the same figures per writing style (the prompts' tags) and every miss, one a line.

    .venv/bin/python bench/director_blind.py [--providers lexicon,embedding] [--no-misses]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from livetimbre.director.providers import DirectorContext, get_director  # noqa: E402
from livetimbre.director.spec import SongSpec  # noqa: E402
from livetimbre.errors import LivetimbreError  # noqa: E402
from livetimbre.genres import GenreRegistry, load_genres  # noqa: E402
from livetimbre.music.values import check_prompt  # noqa: E402
from livetimbre.planner.direction import COMPOSER_PHRASES  # noqa: E402
from livetimbre.planner.longform import plan_track  # noqa: E402
from livetimbre.planner.trackplan import CompositionPlan  # noqa: E402

PROMPTS = REPO / "tests" / "director" / "blind_prompts.yaml"
TABLE = Path(__file__).with_name("blind_instruments.yaml")
SLOW_MAX, FAST_MIN, NUMBER_TOLERANCE = 90.0, 120.0, 2.0
MAJOR_FAMILY = frozenset({"major", "ionian", "lydian", "mixolydian"})
MINOR_FAMILY = frozenset({"minor", "aeolian", "dorian", "phrygian", "harmonic minor",
                          "locrian"})
FIGURES = ("genre family", "(asked-for family)", "tempo words (SongSpec)",
           "tempo words (plan)", "mood -> mode", "named instruments",
           "(credited to the prompt)")


@dataclass(frozen=True)
class Match:
    """What satisfies one plain instrument name: GM programs, and maybe percussion."""

    programs: frozenset[int]
    percussion: bool


def load_prompts(path: Path = PROMPTS) -> list[dict[str, Any]]:
    """The blind prompt set's entries."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases = data["prompts"]
    assert isinstance(cases, list)
    return cases


def _programs(items: Iterable[int | str]) -> frozenset[int]:
    numbers: set[int] = set()
    for item in items:
        if isinstance(item, int):
            numbers.add(item)
        else:
            low, _, high = item.partition("-")
            numbers.update(range(int(low), int(high) + 1))
    return frozenset(numbers)


def load_table(path: Path = TABLE) -> dict[str, Match]:
    """Plain instrument name → what matches it."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))["instruments"]
    return {str(name): Match(_programs(entry.get("programs") or []),
                             bool(entry.get("percussion", False)))
            for name, entry in data.items()}


def mode_family(mode: str) -> str:
    """'major', 'minor' or 'unknown mode NAME' for a SongSpec key's mode."""
    name = mode.strip().lower()
    if name in MAJOR_FAMILY:
        return "major"
    if name in MINOR_FAMILY:
        return "minor"
    return f"unknown mode {mode!r}"


def tempo_ok(want: str | int, bpm: float) -> bool:
    """Whether `bpm` obeys the expected tempo word or number."""
    if want == "slow":
        return bpm <= SLOW_MAX
    if want == "fast":
        return bpm >= FAST_MIN
    return abs(bpm - float(want)) <= NUMBER_TOLERANCE


def instrument_ok(match: Match, spec: SongSpec, credited_only: bool = False) -> bool:
    """Whether one of the SongSpec's instruments (only those credited to the prompt's words
    when `credited_only`) satisfies `match`."""
    for choice in spec.instruments:
        if credited_only and choice.named is None:
            continue
        if choice.kind == "program" and choice.number in match.programs:
            return True
        if choice.kind in ("percussion", "kit") and match.percussion:
            return True
    return False


def _sounds(spec: SongSpec) -> str:
    return ", ".join(f"{i.layer}:{i.gm_name}[{i.kind} {i.number}]"
                     + (f"<'{i.named}'>" if i.named else "") for i in spec.instruments)


@dataclass
class Tally:
    """Hits and totals per figure, overall and per tag, and the misses."""

    counts: dict[str, list[int]] = field(default_factory=dict)
    by_tag: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    def add(self, figure: str, ok: bool, tags: list[str], why: str) -> None:
        for pair in (self.counts.setdefault(figure, [0, 0]),
                     *(self.by_tag.setdefault((figure, tag), [0, 0]) for tag in tags)):
            pair[0] += ok
            pair[1] += 1
        if not ok:
            self.misses.append(f"{figure} [{','.join(tags)}]: {why}")

    def line(self, figure: str) -> str:
        hits, total = self.counts.get(figure, [0, 0])
        share = hits / total if total else 1.0
        return f"{figure:26} {share:6.1%} ({hits}/{total})"


def run_set(director: Any, cases: list[dict[str, Any]], genres: GenreRegistry
            ) -> list[tuple[SongSpec, CompositionPlan | None, str | None]]:
    """`plan --batch --json`, in process: a SongSpec and a plan per prompt (or an error)."""
    context = DirectorContext(genres, COMPOSER_PHRASES)
    prompts = [check_prompt(c["prompt"]) for c in cases]
    many = getattr(director, "direct_many", None)
    specs = list(many(prompts, context)) if many else [director.direct(p, context)
                                                       for p in prompts]
    out: list[tuple[SongSpec, CompositionPlan | None, str | None]] = []
    for spec in specs:
        try:
            plan = plan_track(spec.prompt, genres, duration=120.0, short=False,
                              genre=spec.genre.id, key=spec.key.key, meter=spec.meter)
        except LivetimbreError as exc:
            out.append((spec, None, str(exc)))
            continue
        out.append((spec, plan, None))
    return out


def measure(cases: list[dict[str, Any]],
            results: list[tuple[SongSpec, CompositionPlan | None, str | None]],
            table: dict[str, Match]) -> Tally:
    """The four figures (and their two companions) over the set."""
    tally = Tally()
    for case, (spec, plan, error) in zip(cases, results, strict=True):
        p, tags = case["prompt"], list(case.get("tags") or [])
        if error is not None:
            tally.misses.append(f"plan failed: {p!r}: {error}")
        family = case.get("family")
        if family:
            g = spec.genre
            tally.add("genre family", g.family == family, tags,
                      f"{p!r}: want {family}, plays {g.id} ({g.family}); asked for "
                      f"{g.named} ({g.named_family})")
            tally.add("(asked-for family)", g.named_family == family, tags,
                      f"{p!r}: want {family}, asked for {g.named} ({g.named_family})")
        want_tempo = case.get("tempo")
        if want_tempo is not None:
            t = spec.tempo
            tally.add("tempo words (SongSpec)", tempo_ok(want_tempo, t.bpm), tags,
                      f"{p!r}: want {want_tempo}, SongSpec {t.bpm:g} BPM ({t.direction}, "
                      f"{t.source}: {t.reason})")
            plan_bpm = plan.tempo if plan is not None else float("nan")
            tally.add("tempo words (plan)", plan is not None and tempo_ok(want_tempo, plan_bpm),
                      tags, f"{p!r}: want {want_tempo}, plan {plan_bpm:g} BPM (SongSpec "
                            f"{t.bpm:g})")
        want_mode = case.get("mode")
        if want_mode is not None:
            k = spec.key
            tally.add("mood -> mode", mode_family(k.mode) == want_mode, tags,
                      f"{p!r}: want {want_mode}, {k.key} ({k.mode}; {k.source}: {k.reason})")
        for name in case.get("instruments") or []:
            match = table[name]
            tally.add("named instruments", instrument_ok(match, spec), tags,
                      f"{p!r}: {name} not in [{_sounds(spec)}]")
            tally.add("(credited to the prompt)", instrument_ok(match, spec, True), tags,
                      f"{p!r}: {name} not credited in [{_sounds(spec)}]")
    return tally


def report(name: str, tally: Tally, cases: int, misses: bool) -> None:
    """Print one provider's figures, the per-tag table and (when asked) every miss."""
    print(f"== {name} ({cases} prompts)")
    for figure in FIGURES:
        print(f"  {tally.line(figure)}")
    tags = sorted({tag for _f, tag in tally.by_tag})
    print("  per tag (hits/total): " + " | ".join(("family", "tempo", "mode", "instr")))
    for tag in tags:
        cells = []
        for figure in ("genre family", "tempo words (SongSpec)", "mood -> mode",
                       "named instruments"):
            hits, total = tally.by_tag.get((figure, tag), [0, 0])
            cells.append(f"{hits}/{total}" if total else "-")
        print(f"    {tag:10} " + " | ".join(f"{c:>7}" for c in cells))
    if misses:
        print(f"  misses ({len(tally.misses)}):")
        for miss in tally.misses:
            print(f"    {name} {miss}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = "lexicon,embedding" if importlib.util.find_spec("wordllama") else "lexicon"
    parser.add_argument("--providers", default=default)
    parser.add_argument("--no-misses", action="store_true", help="figures only")
    args = parser.parse_args()
    cases, table = load_prompts(), load_table()
    genres = load_genres()
    for name in (n.strip() for n in args.providers.split(",")):
        director = get_director(name)
        if director.name != name:
            print(f"== {name}: not available, {director.name} would answer instead")
            continue
        tally = measure(cases, run_set(director, cases, genres), table)
        report(name, tally, len(cases), not args.no_misses)


if __name__ == "__main__":
    main()
