"""A clip prompt through the Creative Director, at clip level: the session's genre, key
and meter stay the session's (a clip does not change them); the clip's words choose the
sound for the layer's role ('trumpet solo' on lead, 'tabla groove' on drums), and the
words set aside are kept to tell the performer why.

`ClipDirection` is the compact SongSpec a clip plan (and so its sidecar) records.
"""

from __future__ import annotations

__all__ = ["ClipDirection", "choose_for_role", "compact", "direct_clip"]

import threading

from pydantic import BaseModel, ConfigDict

from livetimbre.director.names import resolve_director_name
from livetimbre.director.spec import InstrumentChoice, Layer, SongSpec
from livetimbre.genres import GenreRegistry
from livetimbre.music.instruments import Role
from livetimbre.planner.direction import direct_prompt

_LAYERS: dict[Role, tuple[Layer, ...]] = {
    "drums": ("drums",), "bass": ("bass",), "chords": ("chords", "pad"),
    "pad": ("pad", "choir", "chords"), "lead": ("lead",), "arp": ("lead", "chords"),
    "texture": ("texture",), "vocals": ("choir",)}


class ClipDirection(BaseModel):
    """What the director read in a clip's prompt (a compact SongSpec): who read it, the
    sound it chose for the layer (None: the words named none), the mood, energy and feel,
    and each word set aside with why."""

    model_config = ConfigDict(frozen=True)

    director: str
    fallbacks: tuple[str, ...] = ()
    instrument: InstrumentChoice | None = None
    mood: tuple[str, ...] = ()
    energy: float = 0.55
    feel: str = "straight"
    set_aside: tuple[str, ...] = ()


def choose_for_role(spec: SongSpec, role: Role) -> InstrumentChoice | None:
    """The sound the prompt's words named for a layer of `role`: one of the role's own
    layers first, else (not on drums) any named melodic sound; the drums take a kit or a
    percussion key only."""
    named = [i for i in spec.instruments if i.named and i.source != "genre"]
    for layer in _LAYERS[role]:
        for choice in named:
            if choice.layer == layer and (role == "drums") == (choice.kind != "program"):
                return choice
    if role == "drums":
        return next((i for i in named if i.kind != "program"), None)
    return next((i for i in named if i.kind == "program"), None)


def compact(spec: SongSpec, instrument: InstrumentChoice | None) -> ClipDirection:
    """The compact record of `spec` for one clip, with the sound it plays."""
    return ClipDirection(
        director=spec.director, fallbacks=tuple(spec.fallbacks), instrument=instrument,
        mood=tuple(spec.mood), energy=spec.energy, feel=spec.feel,
        set_aside=tuple(str(w) for w in spec.set_aside() if w.kind != "filler"))


_CACHE: dict[tuple[object, ...], ClipDirection] = {}
_CACHE_SIZE = 512
_LOCK = threading.Lock()


def direct_clip(prompt: str, role: Role, genres: GenreRegistry, *, genre: str, key: str,
                meter: str, director: str | None = None) -> ClipDirection:
    """The clip-level direction of `prompt` for a layer of `role` (the session's genre,
    key and meter given as options), cached: a session re-plans its slots often."""
    director = resolve_director_name(director)
    cache_key = (id(genres), prompt, role, genre, key, meter, director)
    with _LOCK:
        if cache_key in _CACHE:
            return _CACHE[cache_key]
    spec = direct_prompt(prompt, genres, director=director, genre=genre, key=key, meter=meter)
    found = compact(spec, choose_for_role(spec, role))
    with _LOCK:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.clear()
        _CACHE[cache_key] = found
    return found
