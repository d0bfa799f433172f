"""The singer a prompt asks for: a voice type from its words ("soft female vocal" → alto,
"male vocals" → tenor, "deep male voice" → baritone), or None when it names none."""

from __future__ import annotations

__all__ = ["VOICE_WORDS", "decide_voice"]

from livetimbre.director.reading import Reading
from livetimbre.director.spec import VoiceDecision, VoiceKind

_FEMALE = frozenset(("female", "woman", "women", "girl", "girls", "feminine", "her", "diva"))
_MALE = frozenset(("male", "man", "men", "boy", "boys", "masculine", "his"))
_LOW = frozenset(("soft", "breathy", "low", "husky", "smoky", "sultry", "dark", "warm"))
_DEEP = frozenset(("deep", "low", "gravelly", "booming", "dark"))

# single words that name a voice type outright
VOICE_WORDS: dict[str, VoiceKind] = {
    "soprano": "soprano", "sopranos": "soprano", "alto": "alto", "altos": "alto",
    "contralto": "alto", "mezzo": "alto", "tenor": "tenor", "tenors": "tenor",
    "falsetto": "tenor", "baritone": "baritone", "baritones": "baritone",
    "crooner": "baritone", "bass-baritone": "baritone",
}


def decide_voice(reading: Reading) -> VoiceDecision | None:
    """The voice type the prompt's words ask for (words under a negation do not count):
    a voice-type word first, then a female or male word with its colour word before."""
    tokens = [t for t in reading.tokens if t.index not in reading.negations]
    for token in tokens:
        kind = VOICE_WORDS.get(token.text)
        if kind is not None:
            return VoiceDecision(voice=kind, source="lexicon", word=token.index,
                                 reason=f"'{token.text}'")
    texts = {t.index: t.text for t in reading.tokens}
    for token in tokens:
        before = texts.get(token.index - 1, "")
        if token.text in _FEMALE:
            kind, words = ("alto", f"{before} {token.text}") if before in _LOW else (
                "soprano", token.text)
        elif token.text in _MALE:
            kind, words = ("baritone", f"{before} {token.text}") if before in _DEEP else (
                "tenor", token.text)
        else:
            continue
        return VoiceDecision(voice=kind, source="lexicon", word=token.index,
                             reason=f"'{words}'")
    return None
