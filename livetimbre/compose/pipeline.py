"""The composer: a clip plan and its genre → one layer's Part (pure and deterministic)."""

from __future__ import annotations

__all__ = ["compose_clip"]

from livetimbre.compose.bass import write_bass
from livetimbre.compose.direction import direct
from livetimbre.compose.harmony import plan_harmony
from livetimbre.compose.melody import write_arpeggio, write_lead
from livetimbre.compose.rhythm import write_drums
from livetimbre.compose.texture import write_chords, write_pad, write_texture
from livetimbre.genres.profile import GenreProfile
from livetimbre.music.notes import NoteEvent, Part
from livetimbre.planner.clip import ClipPlan


def _fit(notes: list[NoteEvent], beats: float) -> tuple[NoteEvent, ...]:
    """Drop notes starting outside the loop; sort by time then pitch."""
    kept = [n for n in notes if 0 <= n.start < beats and n.duration > 0]
    return tuple(sorted(kept, key=lambda n: (n.start, n.pitch, n.velocity)))


def compose_clip(plan: ClipPlan, genre: GenreProfile) -> Part:
    """Write the notes of `plan`'s layer: direction → harmony → the role's writer."""
    d = direct(plan, genre)
    spans = plan_harmony(d)
    if plan.role == "drums":
        notes = write_drums(d)
    elif plan.role == "bass":
        notes = write_bass(d, spans)
    elif plan.role == "lead":
        notes = write_lead(d, spans)
    elif plan.role == "arp":
        notes = write_arpeggio(d, spans)
    elif plan.role == "pad":
        notes = write_pad(d, spans)
    elif plan.role == "texture":
        notes = write_texture(d, spans)
    else:
        notes = write_chords(d, spans)
    reverb = genre.production.reverb
    if plan.role in ("bass", "drums"):
        reverb *= 0.4
    return Part(
        role=plan.role,
        bank=plan.bank,
        program=plan.program,
        beats=float(d.total_beats),
        notes=_fit(notes, d.total_beats),
        reverb=reverb,
    )
