"""Compound genre names: which word of 'acoustic country blues' names the genre.

In English the head noun comes last: a genre word right before another genre word
modifies it ('country blues', 'jazz funk', 'celtic punk'), so when two genre words touch
and together are no known name, the last one decides and the first only leans. The
exceptions are data:

- `KNOWN`: compound names read as a whole, whatever their head says, even where a
  genre's own alias says otherwise ('jump blues' is blues, 'western swing' country,
  'dream pop' indie, 'happy hardcore' a rave style, 'desert blues' African);
- `NOT_HEADS`: words that follow a genre without being its head, because they name a
  form, a treatment or an ensemble rather than a style ('rock ballad' is rock, 'funk
  fusion' funk, 'jazz piano trio' jazz).
"""

from __future__ import annotations

__all__ = ["KNOWN", "MODIFIER_WEIGHT", "NOT_HEADS"]

# compound name → genre id; read before the registry's aliases and the name tables.
KNOWN: dict[str, str] = {
    "blues rock": "rock", "jump blues": "blues", "country blues": "blues",
    "acoustic blues": "blues", "pop punk": "punk", "dream pop": "indie-rock",
    "happy hardcore": "trance", "western swing": "country", "desert blues": "afrobeat",
    "country rock": "country", "folk rock": "folk", "punk rock": "punk",
    "pop rock": "rock", "soft rock": "pop-ballad", "hardcore punk": "punk",
    "ska punk": "ska", "latin trap": "reggaeton", "latin jazz": "salsa",
    "jazz rap": "boom-bap", "trip hop": "downtempo", "hip hop": "trap",
    "disco funk": "disco", "funk rock": "funk", "electro swing": "swing",
    "jazz fusion": "jazz", "gospel blues": "blues", "soul jazz": "jazz",
    "country gospel": "country", "celtic punk": "punk", "folk punk": "punk",
    "trap metal": "metal", "rap metal": "metal", "funk metal": "metal",
    "industrial rock": "metal", "folk metal": "metal", "synth rock": "synth-pop",
    "jazz funk": "funk", "afro house": "house", "latin house": "house",
    "gypsy jazz": "swing", "hip house": "house", "pop soul": "soul",
}

# words that follow a genre without naming the genre themselves.
NOT_HEADS = frozenset((
    # forms and occasions
    "ballad", "power ballad", "love ballad", "love song", "slow song", "fusion", "revival",
    "jam", "anthem", "standard", "standards", "lounge", "shanty", "hymn", "hymns",
    "classic", "beat", "song", "spiritual", "worship", "score", "urban", "dance", "club",
    "party",
    # ensembles: 'jazz piano trio' is jazz, 'pop orchestra' pop
    "piano trio", "string quartet", "string quintet", "piano quintet", "wind quintet",
    "orchestra", "chamber orchestra", "symphony orchestra", "philharmonic", "big band",
    "string band", "jazz trio", "jazz combo", "jazz quartet", "jazz quintet",
))

# the vote a modifier keeps beside its head.
MODIFIER_WEIGHT = 0.7
