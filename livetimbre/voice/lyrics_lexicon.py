"""The lyric grammar's own words: a lexicon per mood and images per theme.

A mood gives the verbs a line moves with, the adjectives that colour its nouns, the
words a rhymed line may end on and the openers that start a line; a theme (read from
the prompt's words) gives the nouns. `lyric_mood` and `lyric_theme` read a SongSpec.
"""

from __future__ import annotations

__all__ = ["MOODS", "THEMES", "Lexicon", "lexicon_for", "lyric_mood", "lyric_theme"]

import re
from dataclasses import dataclass

from livetimbre.director.spec import SongSpec


@dataclass(frozen=True)
class Lexicon:
    """Words for one mood and theme. `verbs` are intransitive, in the base form (after
    I/we/you); `ends` may close a line on their own ("again", "tonight")."""

    mood: str
    verbs: tuple[str, ...]
    adjectives: tuple[str, ...]
    nouns: tuple[str, ...]
    ends: tuple[str, ...]
    openers: tuple[str, ...]


def _w(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# mood → (verbs, adjectives, nouns it adds to the theme's, line ends, openers)
MOODS: dict[str, tuple[str, str, str, str, str]] = {
    "melancholic": (
        "fade wait fall drift weep wander linger break go stay",
        "empty fading quiet broken silent pale lonely distant faded hollow",
        "rain tears door shadow echo ashes grey winter",
        "again alone away tonight apart goodbye before below",
        "and still now so oh"),
    "hopeful": (
        "rise climb shine wake grow reach begin believe run stand",
        "golden open rising brighter morning endless gentle shining new clear",
        "light sky dawn sun road morning door wings",
        "again tonight away above today alive anew ahead",
        "and now so oh someday"),
    "euphoric": (
        "dance fly shine burn glow sing run jump rise shout",
        "electric burning golden wild endless shining brilliant neon",
        "lights fire stars sky night beat heart crowd",
        "tonight alive forever higher together again above away",
        "oh and now so yeah"),
    "dark": (
        "burn fall hide crawl bleed wait drown howl sink creep",
        "cold black hollow broken burning bitter silent iron blind",
        "night shadow smoke stone fire dust blood ash",
        "tonight below alone again away inside undone",
        "and now still so"),
    "tender": (
        "stay hold breathe rest stay sing wait listen smile",
        "gentle quiet warm soft tender golden little slow",
        "arms light heart home morning hand river candle",
        "tonight together forever again near here awhile",
        "and oh so still"),
    "angry": (
        "fight burn break scream run rage shout stand strike fall",
        "burning broken bitter iron wild raging shattered rusted",
        "fire walls chains storm stone blood fists ground",
        "tonight again alone away inside enough",
        "now and so"),
    "dreamy": (
        "drift float glide dream fall spin sway wander glow",
        "silver hazy velvet endless slow distant floating pale",
        "clouds moon stars sea sky light mist water",
        "away above tonight forever again adrift below",
        "and oh so slowly"),
    "nostalgic": (
        "remember wander wait return drive stay dance run",
        "golden faded old summer yellow distant younger",
        "photograph summer road street town radio yard days rain time",
        "again back away together forever before tonight",
        "and oh then still"),
    "playful": (
        "dance jump spin bounce sing skip move groove",
        "funky crazy little sunny shiny bouncy happy",
        "beat floor street shoes music party radio",
        "tonight around again all night along away",
        "hey oh and so"),
}

# nouns every mood may end a line on: the commonest rhymes of song
_COMMON = "night light sky eyes time day"

# theme → (the prompt's words that call it, its nouns)
THEMES: dict[str, tuple[str, str]] = {
    "night": ("night midnight nocturnal late moon", "night moon stars streetlight midnight"),
    "sea": ("sea ocean waves beach tide coast shore surf island sailing",
            "sea waves tide shore sand water harbor"),
    "city": ("city urban streets neon downtown metro subway nightlife",
             "street city lights train window neon crowd"),
    "summer": ("summer sun sunny sunshine tropical heat", "sun summer heat sand sky"),
    "rain": ("rain rainy storm stormy thunder grey gray", "rain storm thunder window cloud"),
    "road": ("road highway drive driving cruise cruising travel journey",
             "road highway car mile engine horizon"),
    "space": ("space cosmic stars galaxy orbit astral interstellar",
              "stars space moon orbit comet sky"),
    "forest": ("forest woods nature trees pastoral mountain mountains",
               "trees forest river mountain leaves field"),
    "winter": ("winter snow cold frozen ice christmas", "snow winter ice fire frost"),
    "love": ("love romance romantic lover heart valentine", "heart love eyes hand kiss"),
    "home": ("home childhood memories memory hometown", "home house town door garden"),
    "dawn": ("morning dawn sunrise daybreak light", "dawn morning light sun sky"),
    "fire": ("fire flames flame burning blaze inferno", "fire flame smoke spark ashes"),
}

# the director's mood labels and the prompt's own words → a lyric mood
_MOOD_OF = {
    "sad": "melancholic", "melancholic": "melancholic", "melancholy": "melancholic",
    "bittersweet": "melancholic", "lonely": "melancholic", "heartbroken": "melancholic",
    "hopeful": "hopeful", "uplifting": "hopeful", "optimistic": "hopeful",
    "inspiring": "hopeful", "bright": "hopeful", "spiritual": "hopeful",
    "happy": "euphoric", "euphoric": "euphoric", "epic": "euphoric", "joyful": "euphoric",
    "triumphant": "euphoric", "anthemic": "euphoric", "ecstatic": "euphoric",
    "dark": "dark", "tense": "dark", "mysterious": "dark", "gritty": "dark",
    "sinister": "dark", "ominous": "dark", "haunting": "dark", "brooding": "dark",
    "romantic": "tender", "calm": "tender", "tender": "tender", "gentle": "tender",
    "intimate": "tender", "soft": "tender", "peaceful": "tender",
    "angry": "angry", "aggressive": "angry", "furious": "angry", "rage": "angry",
    "dreamy": "dreamy", "hypnotic": "dreamy", "ethereal": "dreamy", "floating": "dreamy",
    "nostalgic": "nostalgic", "wistful": "nostalgic", "retro": "nostalgic",
    "quirky": "playful", "groovy": "playful", "playful": "playful", "funky": "playful",
    "fun": "playful",
}


def _prompt_words(song: SongSpec) -> list[str]:
    return re.findall(r"[a-z]+", song.prompt.lower())


def lyric_mood(song: SongSpec | None) -> str:
    """The lyric mood: the prompt's own mood word first, then the director's mood labels,
    then its energy (bright above 0.7, tender below 0.35, hopeful between)."""
    if song is None:
        return "hopeful"
    for word in _prompt_words(song):
        if word in _MOOD_OF:
            return _MOOD_OF[word]
    for label in song.mood:
        if label in _MOOD_OF:
            return _MOOD_OF[label]
    return "euphoric" if song.energy > 0.7 else "tender" if song.energy < 0.35 else "hopeful"


def lyric_theme(song: SongSpec | None, mood: str) -> list[str]:
    """The themes the prompt's words call (in order), else one that suits the mood."""
    words = set(_prompt_words(song)) if song is not None else set()
    found = [name for name, (calls, _nouns) in THEMES.items() if words & set(calls.split())]
    default = {"dark": "night", "dreamy": "space", "nostalgic": "home", "tender": "love",
               "melancholic": "rain", "angry": "city", "playful": "city", "euphoric": "night"}
    return found or [default.get(mood, "road")]


def lexicon_for(mood: str, themes: list[str]) -> Lexicon:
    """The words for a mood (a key of MOODS) and themes (keys of THEMES)."""
    verbs, adjectives, nouns, ends, openers = MOODS[mood]
    theme_nouns = [n for t in themes for n in _w(THEMES[t][1])]
    all_nouns = tuple(dict.fromkeys([*theme_nouns, *_w(nouns), *_w(_COMMON)]))
    return Lexicon(mood, _w(verbs), _w(adjectives), all_nouns, _w(ends), _w(openers))
