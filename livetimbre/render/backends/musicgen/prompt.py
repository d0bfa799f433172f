"""MusicGen prompts from the plan (Timbre §5): the clip's prompt as the template text, an
arrangement sentence, theme hints, the genre, tempo ("N bpm"), key and meter, and the
layer's role ("drums only", "bassline only", …), so the clips of a scene belong
together. The sound and moods the Creative Director read in the prompt come first (a
tabla is asked for as a tabla, not as its General MIDI stand-in)."""

from __future__ import annotations

__all__ = ["ROLE_TEXT", "build_prompt"]

from livetimbre.genres.profile import GenreProfile
from livetimbre.planner.clip import ClipPlan

ROLE_TEXT = {
    "drums": "drums only", "bass": "bassline only", "chords": "chords only",
    "pad": "pads only", "lead": "lead melody only", "arp": "arpeggio only",
    "texture": "texture and atmosphere only", "vocals": "wordless vocals only",
}


def _energy(value: float) -> str:
    return "low energy" if value < 0.35 else "high energy" if value > 0.7 else "medium energy"


def build_prompt(plan: ClipPlan, genre: GenreProfile) -> str:
    """The text MusicGen is conditioned on for `plan`."""
    theme = plan.theme
    direction = plan.direction
    chosen = direction.instrument if direction is not None else None
    named = [chosen.named or chosen.gm_name] if chosen is not None else []
    instruments = list(dict.fromkeys([*named, *(i.replace("_", " ") for i in (
        list(theme.instrumentation) or named or genre.instrumentation.core_instruments[:3]))]))
    feel = "" if theme.feel == "straight" else theme.feel
    moods = list(direction.mood) if direction is not None else []
    hints = [*moods, feel, *(s.replace("-", " ") for s in theme.styles), _energy(theme.energy)]
    if theme.brightness <= -0.3:
        hints.append("dark")
    elif theme.brightness >= 0.3:
        hints.append("bright")
    parts = [
        plan.prompt.strip() or theme.motif_phrase,
        f"{genre.name}, {ROLE_TEXT.get(plan.role, plan.role + ' only')}",
        f"Elevate the arrangement with {', '.join(instruments)}" if instruments else "",
        ", ".join(h for h in hints if h and h != "balanced"),
        f"{plan.tempo:g} bpm, {plan.key}" + (f", {plan.meter} time" if plan.meter != "4/4"
                                               else ""),
    ]
    if plan.motif is not None:
        parts.append("continuing the previous motif")
    return ". ".join(p for p in parts if p)
