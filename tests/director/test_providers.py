"""Providers by name, their fallbacks, and where the name comes from."""

from __future__ import annotations

import importlib.util

import pytest

from livetimbre.director.names import (
    DIRECTOR_ENV,
    check_director_name,
    default_director,
    resolve_director_name,
)
from livetimbre.director.providers import DirectorContext, get_director
from livetimbre.errors import ConfigError
from livetimbre.genres import load_genres

pytestmark = pytest.mark.timeout(120)
HAS_WORDLLAMA = importlib.util.find_spec("wordllama") is not None


@pytest.mark.parametrize("name", ["gpt", "llm:", "lexicon:big", "", "embeddings"])
def test_bad_names_are_refused_naming_the_value(name: str) -> None:
    with pytest.raises(ConfigError, match="Unknown director"):
        check_director_name(name or " ", "--director")


def test_where_the_name_comes_from(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DIRECTOR_ENV, "lexicon")
    assert resolve_director_name() == "lexicon"
    assert resolve_director_name(patch="llm:tiny") == "llm:tiny"
    assert resolve_director_name("embedding", patch="llm") == "embedding"
    monkeypatch.setenv(DIRECTOR_ENV, "nonsense")
    with pytest.raises(ConfigError, match=f"\\${DIRECTOR_ENV}"):
        resolve_director_name()
    monkeypatch.delenv(DIRECTOR_ENV)
    assert resolve_director_name() == default_director()


NOT_CONFIGURED = "not configured (set LIVETIMBRE_LLM_URL, or name a model folder: llm:PATH)"


def test_llm_falls_back_and_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LIVETIMBRE_LLM_URL", raising=False)
    monkeypatch.setattr("livetimbre.director.embedding.embedding_problem",
                        lambda: "wordllama is not installed")
    director = get_director("llm:some-model")
    assert director.name == "lexicon"
    spec = director.direct("sad jazz", DirectorContext(load_genres()))
    assert spec.director == "lexicon"
    assert spec.fallbacks == [f"llm:some-model → embedding: {NOT_CONFIGURED}",
                              "embedding → lexicon: wordllama is not installed"]


@pytest.mark.skipif(not HAS_WORDLLAMA, reason="wordllama (the director extra) not installed")
def test_embedding_reads_what_the_lexicon_does_not(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LIVETIMBRE_LLM_URL", raising=False)
    context = DirectorContext(load_genres())
    lexicon = get_director("lexicon").direct("a slowish tune for a pianist", context)
    embedding = get_director("embedding").direct("a slowish tune for a pianist", context)
    assert not [w for w in lexicon.words if w.text in ("slowish", "pianist") and w.used]
    used = {w.text: w for w in embedding.words if w.source == "embedding"}
    assert used["slowish"].kind == "tempo" and used["slowish"].score >= 0.82
    assert used["pianist"].kind == "instrument"
    assert embedding.tempo.bpm <= 90
    assert get_director("llm").direct("x", context).fallbacks == [
        f"llm → embedding: {NOT_CONFIGURED}"]


PATCH = """session: {{genre: jazz, director: {director}}}
layers:
  keys: {{instrument: piano}}
scenes:
  - {{name: one, clips: {{keys: "sad jazz piano"}}}}
"""


def test_the_patch_names_the_director() -> None:
    from livetimbre.errors import PatchError
    from livetimbre.patch.dump import session_to_patch
    from livetimbre.patch.load import parse_patch

    genres = load_genres()
    session = parse_patch(PATCH.format(director="'llm:tiny'"), "p.yaml", genres)
    assert session.director == "llm:tiny"
    assert session_to_patch(session)["session"]["director"] == "llm:tiny"
    assert resolve_director_name(None, session.director) == "llm:tiny"
    with pytest.raises(PatchError, match=r"p\.yaml:1:.*Unknown director 'gpt'"):
        parse_patch(PATCH.format(director="gpt"), "p.yaml", genres)
