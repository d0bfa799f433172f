"""The director's four figures on the written test set (tests/director/prompts.yaml):
genre family recognised (and a playable genre of that family chosen), tempo words
obeyed (slow ≤ 90 BPM, fast ≥ 120 BPM), mood → mode family, named instruments chosen."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from livetimbre.director.genre_choice import family_of_genre
from livetimbre.director.spec import SongSpec
from livetimbre.genres import GenreRegistry

PROMPTS = Path(__file__).with_name("prompts.yaml")
HELD_OUT = Path(__file__).with_name("heldout.yaml")  # never used to tune the lexicon


def load_cases(path: Path = PROMPTS) -> list[dict[str, Any]]:
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(cases, list)
    return cases


def _has(spec: SongSpec, want: object) -> bool:
    named = [i for i in spec.instruments if i.named is not None]
    if isinstance(want, str):
        return any(i.layer == want for i in named)
    programs = want if isinstance(want, list) else [want]
    return any(i.kind == "program" and i.number in programs for i in named)


@dataclass
class Figures:
    """Hits and totals per figure, and the misses (for a failing test's message)."""

    counts: dict[str, list[int]] = field(default_factory=dict)
    misses: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, ok: bool, why: str) -> None:
        hit_total = self.counts.setdefault(name, [0, 0])
        hit_total[0] += ok
        hit_total[1] += 1
        if not ok:
            self.misses.setdefault(name, []).append(why)

    def share(self, name: str) -> float:
        hits, total = self.counts.get(name, [0, 0])
        return hits / total if total else 1.0

    def line(self, name: str) -> str:
        hits, total = self.counts.get(name, [0, 0])
        return f"{name}: {self.share(name):.1%} ({hits}/{total})"


def measure(cases: Sequence[dict[str, Any]], specs: Sequence[SongSpec],
            genres: GenreRegistry) -> Figures:
    figures = Figures()
    installed_families = {family_of_genre(g.id, genres) for g in genres}
    for case, spec in zip(cases, specs, strict=True):
        prompt = case["p"]
        if case.get("f"):
            figures.add("family recognised", spec.genre.named_family == case["f"],
                        f"{prompt!r}: {spec.genre.named} ({spec.genre.named_family})")
            if case["f"] in installed_families:
                figures.add("playable genre of the family",
                            family_of_genre(spec.genre.id, genres) == case["f"],
                            f"{prompt!r}: plays {spec.genre.id}")
        if case.get("t"):
            ok = spec.tempo.bpm <= 90 if case["t"] == "slow" else spec.tempo.bpm >= 120
            figures.add("tempo words obeyed", ok, f"{prompt!r}: {spec.tempo.bpm} BPM")
        if case.get("m"):
            figures.add("mood → mode family", spec.key.family == case["m"],
                        f"{prompt!r}: {spec.key.key} ({spec.key.reason})")
        for want in case.get("i") or []:
            figures.add("named instruments chosen", _has(spec, want),
                        f"{prompt!r}: {want} not in "
                        f"{[(i.named, i.number) for i in spec.instruments if i.named]}")
    return figures


FIGURES = ("family recognised", "tempo words obeyed", "mood → mode family",
           "named instruments chosen")
