"""The singer a prompt asks for: SongSpec.voice from its words, and the voice a vocal
is sung in."""

from __future__ import annotations

import pytest

from livetimbre.director.providers import DirectorContext, LexiconDirector
from livetimbre.genres import GenreRegistry
from livetimbre.voice.writing import voice_for

pytestmark = pytest.mark.timeout(60)


@pytest.mark.parametrize(("prompt", "voice", "reason"), [
    ("soft female vocal over a piano ballad", "alto", "'soft female'"),
    ("pop anthem with female vocals", "soprano", "'female'"),
    ("male vocals over a rock groove", "tenor", "'male'"),
    ("deep male voice, slow blues", "baritone", "'deep male'"),
    ("a baritone crooner with a big band", "baritone", "'baritone'"),
    ("operatic soprano over strings", "soprano", "'soprano'"),
    ("contralto jazz ballad", "alto", "'contralto'"),
    ("tenor voice and acoustic guitar", "tenor", "'tenor'"),
])
def test_the_prompts_words_name_the_voice(genres: GenreRegistry, prompt: str, voice: str,
                                          reason: str) -> None:
    spec = LexiconDirector().direct(prompt, DirectorContext(genres))
    assert spec.voice is not None
    assert (spec.voice.voice, spec.voice.reason) == (voice, reason)
    assert voice_for(spec, 1) == voice


def test_no_voice_named(genres: GenreRegistry) -> None:
    spec = LexiconDirector().direct("techno with a rolling bassline", DirectorContext(genres))
    assert spec.voice is None
    assert {voice_for(spec, seed) for seed in range(20)} == {"alto", "tenor"}


def test_a_negated_voice_word_does_not_count(genres: GenreRegistry) -> None:
    spec = LexiconDirector().direct("no male vocals, a female singer", DirectorContext(genres))
    assert spec.voice is not None and spec.voice.voice == "soprano"
