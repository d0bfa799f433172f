"""What a track prompt names outright: its genre, its tempo ('92 bpm') and its key
('in D minor')."""

from __future__ import annotations

__all__ = ["find_genre", "prompt_key", "prompt_tempo"]

import re

from livetimbre.genres import GenreRegistry
from livetimbre.planner.theme import prompt_words

_GENRE_ALIASES = {"dnb": "drum-and-bass", "drum n bass": "drum-and-bass",
                  "lofi": "lo-fi-hip-hop", "lo fi": "lo-fi-hip-hop", "hip hop": "lo-fi-hip-hop",
                  "hiphop": "lo-fi-hip-hop", "film score": "cinematic", "orchestral": "cinematic"}
_BPM = re.compile(r"(?<![\d.])(\d{2,3}(?:\.\d+)?)\s*bpm\b", re.IGNORECASE)
_KEY = re.compile(r"\bin ([A-G][#b]?)[ -]?(major|minor|dorian|mixolydian|lydian|phrygian)\b")


def find_genre(prompt: str, genres: GenreRegistry) -> str | None:
    """The genre a prompt names (its id, its name or a common alias), longest first."""
    text = " " + " ".join(prompt_words(prompt.replace("-", " ").replace("&", " and "))) + " "
    names: dict[str, str] = {}
    for genre in genres:
        names[genre.id.replace("-", " ")] = genre.id
        names[" ".join(prompt_words(genre.name.replace("-", " ")))] = genre.id
    for alias, genre_id in _GENRE_ALIASES.items():
        if genre_id in {g.id for g in genres}:
            names.setdefault(alias, genre_id)
    for name in sorted(names, key=len, reverse=True):
        if f" {name} " in text:
            return names[name]
    return None


def prompt_key(prompt: str) -> str | None:
    """The key a prompt names ('in D minor'), or None."""
    match = _KEY.search(prompt)
    return f"{match.group(1)} {match.group(2)}" if match else None


def prompt_tempo(prompt: str) -> float | None:
    """The tempo a prompt names ('92 bpm'), or None."""
    match = _BPM.search(prompt)
    return float(match.group(1)) if match else None
