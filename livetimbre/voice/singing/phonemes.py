"""A syllable as espeak-ng input: its ARPAbet phonemes in espeak-ng's own phoneme
mnemonics (`[[...]]`), or its letters when the score carries no phonemes."""

from __future__ import annotations

__all__ = ["espeak_input"]

import re

from livetimbre.voice.score import SungNote

# ARPAbet (CMUdict, stress digits removed) → espeak-ng English phoneme mnemonics.
_CONSONANTS = {
    "B": "b", "CH": "tS", "D": "d", "DH": "D", "F": "f", "G": "g", "HH": "h", "JH": "dZ",
    "K": "k", "L": "l", "M": "m", "N": "n", "NG": "N", "P": "p", "R": "r", "S": "s",
    "SH": "S", "T": "t", "TH": "T", "V": "v", "W": "w", "Y": "j", "Z": "z", "ZH": "Z",
}
_VOWELS = {
    "AA": "A:", "AE": "a", "AH": "V", "AO": "O:", "AW": "aU", "AY": "aI", "EH": "E",
    "ER": "3:", "EY": "eI", "IH": "I", "IY": "i:", "OW": "oU", "OY": "OI", "UH": "U",
    "UW": "u:",
}
_ARPABET = re.compile(r"([A-Z]{1,2})([012]?)")
_LONGEST_TEXT = 32
# A syllable with nothing to say is sung on an open "ah".
_OPEN_VOWEL = "[[A:]]"


def _from_arpabet(phonemes: tuple[str, ...]) -> str | None:
    """`[[...]]` for the phonemes, the stress mark before the vowel; None when any
    phoneme is not ARPAbet (the caller then falls back to the letters)."""
    out: list[str] = []
    stressed = False
    for phoneme in phonemes:
        match = _ARPABET.fullmatch(phoneme.strip().upper())
        if match is None:
            return None
        base, stress = match.groups()
        if base in _VOWELS:
            if not stressed:
                out.append("'")
                stressed = True
            # an unstressed AH is a schwa; everything else keeps its full quality (sung)
            out.append("@" if base == "AH" and stress == "0" else _VOWELS[base])
        elif base in _CONSONANTS:
            out.append(_CONSONANTS[base])
        else:
            return None
    if not stressed:
        return None
    return "[[" + "".join(out) + "]]"


def _from_letters(text: str) -> str | None:
    """The letters of `text` (any script; no digits, marks or punctuation), bounded."""
    letters = "".join(c for c in text if c.isalpha() or c == "'").strip("'")
    return letters[:_LONGEST_TEXT] or None


def espeak_input(note: SungNote) -> str:
    """What espeak-ng is asked to say for the syllable starting at `note`."""
    if note.phonemes:
        spelled = _from_arpabet(note.phonemes)
        if spelled is not None:
            return spelled
    return _from_letters(note.syllable) or _from_letters(note.word) or _OPEN_VOWEL
