"""The text `livetimbre plan` and the REPL's `/plan` print: a SongSpec, word by word, and
the composition plan it leads to."""

from __future__ import annotations

__all__ = ["plan_summary"]

from livetimbre.director.spec import SongSpec
from livetimbre.planner.trackplan import CompositionPlan


def plan_summary(spec: SongSpec, plan: CompositionPlan) -> str:
    """What the director read (genre, tempo, key, instruments, each word) and the plan's
    sections and notes, for a terminal."""
    g = spec.genre
    lines = [f"director: {spec.director}" + (f" ({'; '.join(spec.fallbacks)})"
                                             if spec.fallbacks else ""),
             f"genre: {g.id} ({g.family}), confidence {g.confidence:.2f}, {g.source}"
             + (f"; asked for {g.named} ({g.named_family})" if g.named != g.id else "")
             + (f"; runners-up {', '.join(f'{r.id} {r.score:.2f}' for r in g.runners_up)}"
                if g.runners_up else "")]
    if g.note:
        lines.append(f"  note: {g.note}")
    lines += [f"tempo: {spec.tempo.bpm:g} BPM ({spec.tempo.source}: {spec.tempo.reason})",
              f"key: {spec.key.key} ({spec.key.source}: {spec.key.reason})",
              f"meter: {spec.meter}, feel: {spec.feel}, energy: {spec.energy:.2f} "
              f"({spec.energy_curve})",
              f"mood: {', '.join(spec.mood) or '-'}; era: {', '.join(spec.era) or '-'}; "
              f"production: {', '.join(spec.production) or '-'}",
              "instruments:"]
    for choice in spec.instruments:
        flag = f" — {choice.note}" if choice.substitute and choice.note else ""
        said = f" ('{choice.named}')" if choice.named else ""
        lines.append(f"  {choice.layer:8} {choice.gm_name}{said}, {choice.source}{flag}")
    lines += [f"brief: {spec.brief}", "words:"]
    lines += [f"  {word}" for word in spec.words]
    lines.append(f"plan: {plan.form}-form, {plan.seconds:.1f} s, {plan.bars} bars of "
                 f"{plan.meter} at {plan.tempo:g} BPM in {plan.key} ({plan.genre})")
    for section in plan.sections:
        lines.append(f"  {section.name:8} bars {section.start_bar + 1}-"
                     f"{section.start_bar + section.bars}: {section.arrangement}")
    printed = {*spec.fallbacks, g.note}  # printed with the director and the genre above
    lines += [f"  note: {note}" for note in plan.notes if note not in printed]
    if plan.tempo != spec.tempo.bpm:
        lines.append(f"  note: the plan's {plan.tempo:g} BPM is the planner's own choice; the "
                     f"director asked for {spec.tempo.bpm:g} BPM")
    return "\n".join(lines)
