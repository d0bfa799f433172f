"""The composer: a clip plan and its genre → one layer's Part (pure and deterministic)."""

from __future__ import annotations

__all__ = ["Composition", "compose_clip"]

from dataclasses import dataclass

from livetimbre.compose.bass import bass_style, write_bass
from livetimbre.compose.chords import chord_style, write_chords
from livetimbre.compose.direction import direct
from livetimbre.compose.form import bar_forms
from livetimbre.compose.harmony import chord_labels, plan_harmony
from livetimbre.compose.info import CompositionInfo, Feel
from livetimbre.compose.melody import write_arpeggio, write_lead
from livetimbre.compose.pads import write_pad, write_texture
from livetimbre.compose.patterned import write_pattern
from livetimbre.compose.percussion import with_percussion
from livetimbre.compose.rhythm import write_drums
from livetimbre.genres.profile import GenreProfile
from livetimbre.music.notes import NoteEvent, Part
from livetimbre.planner.clip import ClipPlan


@dataclass(frozen=True)
class Composition:
    """A clip's notes and what the composer decided (for the sidecar)."""

    part: Part
    info: CompositionInfo


def _fit(notes: list[NoteEvent], beats: float) -> tuple[NoteEvent, ...]:
    """Drop notes starting outside the loop; sort by time then pitch."""
    kept = [n for n in notes if 0 <= n.start < beats and n.duration > 0]
    return tuple(sorted(kept, key=lambda n: (n.start, n.pitch, n.velocity)))


def compose_clip(plan: ClipPlan, genre: GenreProfile) -> Composition:
    """Write the notes of `plan`'s layer: direction → harmony → the role's writer."""
    d = direct(plan, genre)
    spans = plan_harmony(d)
    style = ""
    if plan.pattern is not None:
        notes = write_pattern(plan, d)
    elif plan.role == "drums":
        notes = write_drums(d)
        if plan.percussion is not None:
            notes = with_percussion(notes, plan.percussion, d.total_beats, d.beats_per_bar)
    elif plan.role == "bass":
        notes, style = write_bass(d, spans), bass_style(d)
    elif plan.role in ("lead", "vocals"):  # vocals here: a wordless line (no singer)
        notes = write_lead(d, spans)
    elif plan.role == "arp":
        notes = write_arpeggio(d, spans)
    elif plan.role == "pad":
        notes = write_pad(d, spans)
    elif plan.role == "texture":
        notes = write_texture(d, spans)
    else:
        notes, style = write_chords(d, spans), chord_style(d)
    reverb = genre.production.reverb
    if plan.role in ("bass", "drums"):
        reverb *= 0.4
    part = Part(role=plan.role, bank=plan.bank, program=plan.program,
                beats=float(d.total_beats), notes=_fit(notes, d.total_beats), reverb=reverb)
    info = CompositionInfo(
        chords=chord_labels(spans),
        form=" ".join(f.label for f in bar_forms(d.bars)),
        feel=Feel(swing=round(d.swing, 3), push_ms=plan.theme.push_ms,
                  humanize_ms=round(genre.rhythm.humanize_ms * plan.theme.looseness, 2),
                  feel=d.feel),
        ignored_words=list(plan.theme.ignored),
    )
    return Composition(part, info.styled(style) if style else info)
