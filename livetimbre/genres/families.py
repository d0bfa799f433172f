"""Genre families: the shelves a musician sorts genres on ("rock", "latin", ...).

Every shipped genre names its family (a test checks each one is listed here); a user's
genre file may leave it out and is filed under `other`.
"""

from __future__ import annotations

__all__ = ["FAMILIES", "OTHER", "family_of"]

OTHER = "other"

# family id → the shipped genre ids on that shelf.
FAMILIES: dict[str, tuple[str, ...]] = {
    "rock": ("rock", "hard-rock", "punk", "indie-rock"),
    "metal": ("metal",),
    "pop": ("pop", "pop-ballad", "synth-pop", "disco"),
    "folk-country": ("folk", "country", "celtic", "bluegrass"),
    "blues": ("blues",),
    "soul": ("soul", "r-and-b", "gospel", "funk"),
    "hip-hop": ("boom-bap", "trap", "lo-fi-hip-hop"),
    "classical": ("orchestral", "baroque", "solo-piano", "cinematic"),
    "latin": ("bossa-nova", "salsa", "reggaeton", "flamenco", "tango"),
    "world": ("afrobeat", "indian-classical", "middle-eastern"),
    "electronic": ("trance", "dubstep", "uk-garage", "breakbeat", "downtempo", "house",
                   "techno", "drum-and-bass", "synthwave", "ambient"),
    "jazz": ("swing", "jazz"),
    "reggae": ("ska", "dancehall", "reggae"),
}


def family_of(genre_id: str) -> str:
    """The family a shipped genre id belongs to, else `other`."""
    for family, members in FAMILIES.items():
        if genre_id in members:
            return family
    return OTHER
