"""Texture kinds: which sound a texture layer's words ask for (rain, vinyl, wind, ...).

A texture layer whose prompt (or, failing that, instrument) names one of the kinds
below is rendered as that sound: noise shaped by synthesis, or one of the General MIDI
sound-effect programs (120–127) played on purpose. A prompt naming none of them is left
to the composer. The table is read top to bottom and the first kind whose words occur
wins, so gestures (riser, downlifter) beat sources ("white noise riser" is a riser).

| kind        | words                                                                     |
|-------------|---------------------------------------------------------------------------|
| riser       | riser, uplifter, upsweep, sweep up, noise riser                            |
| downlifter  | downlifter, downsweep, sweep down, noise fall                              |
| rain        | rain, rainy, raining, rainfall, drizzle, downpour, storm, thunderstorm     |
| vinyl       | vinyl, crackle, crackles, crackling, crackly, dusty, record noise          |
| wind        | wind, windy, gust, gusts, gusty, breeze, howling                           |
| ocean       | ocean, waves, surf, sea, tide                                              |
| hum         | hum, mains hum, ground hum, 50hz, 60hz                                     |
| room        | room tone, room noise, air conditioning                                    |
| seashore    | seashore (GM 122)                                                          |
| birds       | bird, birds, birdsong, tweet, tweets, chirp, chirps, chirping (GM 123)     |
| helicopter  | helicopter (GM 125)                                                        |
| applause    | applause, clapping crowd (GM 126)                                          |
| breath      | breath, breaths, breathing (GM 121)                                        |
| telephone   | telephone, phone, ringing phone (GM 124)                                   |
| gunshot     | gunshot, gunshots, gunfire (GM 127)                                        |
| fret noise  | fret noise, fret squeak, fret squeaks (GM 120)                             |
| sweep       | sweep, noise sweep, filter sweep, whoosh                                   |
| noise       | white noise, pink noise, brown noise, static, hiss                         |
| downlifter  | fall                                                                       |

Intensity (0 = faint, 1 = a storm) starts from the prompt's density and energy and moves
with the words in `INTENSITY_WORDS` ("light rain", "heavy rain", "storm", "dusty").
"""

from __future__ import annotations

__all__ = [
    "GM_EFFECTS",
    "INTENSITY_WORDS",
    "NOISE_KINDS",
    "TEXTURE_WORDS",
    "has_words",
    "texture_intensity",
    "texture_kind",
    "texture_words",
]

import re

# (kind, words and phrases); the first kind with a match wins.
TEXTURE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("riser", ("riser", "uplifter", "upsweep", "up-sweep", "sweep up", "noise riser")),
    ("downlifter", ("downlifter", "downsweep", "down-sweep", "sweep down", "noise fall")),
    ("rain", ("rain", "rainy", "raining", "rainfall", "drizzle", "downpour", "storm",
              "thunderstorm", "rainstorm")),
    ("vinyl", ("vinyl", "crackle", "crackles", "crackling", "crackly", "dusty",
               "record noise")),
    ("wind", ("wind", "windy", "gust", "gusts", "gusty", "breeze", "howling")),
    ("ocean", ("ocean", "waves", "surf", "sea", "tide")),
    ("hum", ("hum", "mains hum", "ground hum", "50hz", "60hz")),
    ("room", ("room tone", "room noise", "air conditioning")),
    ("seashore", ("seashore",)),
    ("birds", ("bird", "birds", "birdsong", "tweet", "tweets", "chirp", "chirps", "chirping")),
    ("helicopter", ("helicopter",)),
    ("applause", ("applause", "clapping crowd")),
    ("breath", ("breath", "breaths", "breathing")),
    ("telephone", ("telephone", "phone", "ringing phone")),
    ("gunshot", ("gunshot", "gunshots", "gunfire")),
    ("fret noise", ("fret noise", "fret squeak", "fret squeaks")),
    ("sweep", ("sweep", "noise sweep", "filter sweep", "whoosh")),
    ("noise", ("white noise", "pink noise", "brown noise", "static", "hiss")),
    ("downlifter", ("fall",)),
)

# Kinds played by a General MIDI sound-effect program (0-based program numbers).
GM_EFFECTS: dict[str, int] = {
    "fret noise": 120, "breath": 121, "seashore": 122, "birds": 123,
    "telephone": 124, "helicopter": 125, "applause": 126, "gunshot": 127,
}

# Kinds made by the noise synthesizer.
NOISE_KINDS: tuple[str, ...] = (
    "rain", "vinyl", "wind", "riser", "downlifter", "sweep", "noise", "ocean", "hum", "room",
)

# word → change of intensity (added to the figure from the prompt's density and energy).
INTENSITY_WORDS: dict[str, float] = {
    "light": -0.3, "faint": -0.35, "distant": -0.3, "drizzle": -0.35, "gentle": -0.15,
    "clean": -0.35, "subtle": -0.25, "calm": -0.15,
    "heavy": 0.35, "pouring": 0.3, "downpour": 0.4, "storm": 0.45, "stormy": 0.4,
    "thunderstorm": 0.5, "rainstorm": 0.45, "strong": 0.3, "howling": 0.2, "dusty": 0.25,
    "scratchy": 0.3, "worn": 0.2, "crackly": 0.15, "thick": 0.2, "loud": 0.2, "wild": 0.3,
}


def texture_words(text: str) -> tuple[str, ...]:
    """Lower-case word tokens, hyphenated words kept whole (as the planner reads prompts)."""
    return tuple(re.findall(r"[a-z0-9]+(?:[\-'][a-z0-9]+)*", text.lower()))


def has_words(words: tuple[str, ...], *phrases: str) -> bool:
    """Whether any of `phrases` (one or more words) occurs in `words`."""
    text = " " + " ".join(words) + " "
    return any(f" {p} " in text for p in phrases)


def texture_kind(text: str) -> str | None:
    """The texture kind `text` names (see the table above), or None."""
    words = texture_words(text)
    for kind, phrases in TEXTURE_WORDS:
        if has_words(words, *phrases):
            return kind
    return None


def texture_intensity(text: str, density: float = 0.5, energy: float = 0.55) -> float:
    """How much of the texture: 0 (faint) to 1 (a storm), from density, energy and words."""
    value = 0.5 + 0.8 * (density - 0.5) + 0.5 * (energy - 0.55)
    value += sum(INTENSITY_WORDS.get(w, 0.0) for w in texture_words(text))
    return round(min(1.0, max(0.0, value)), 3)
