"""The LLM provider, tested for real: a tiny random-weight causal LM served over HTTP by
an OpenAI-compatible server (tests/director/tiny_llm.py), with constrained decoding; and
a stopped, slow, malformed or rate-limiting server, each falling back with the reason."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from livetimbre.director.llm import LLMSettings, breaker_for
from livetimbre.director.providers import DirectorContext, get_director
from livetimbre.director.spec import SongSpec
from livetimbre.genres import GenreRegistry
from tests.conftest import REPO
from tests.director.conftest import needs_llm_extra
from tests.director.tiny_llm import ChatServer

jsonschema = pytest.importorskip("jsonschema")
pytestmark = [needs_llm_extra, pytest.mark.timeout(300)]
SONG_SPEC_SCHEMA = json.loads((REPO / "docs" / "schemas" / "song_spec.json").read_text())


def _prompts(count: int) -> list[str]:
    import yaml

    entries = yaml.safe_load((REPO / "tests" / "director" / "prompts.yaml").read_text())
    return [e["p"] for e in entries[:count]]


def _valid(spec: SongSpec) -> None:
    jsonschema.validate(spec.model_dump(mode="json"), SONG_SPEC_SCHEMA)


def test_fifty_seeds_every_answer_fits_the_schema(chat_server: ChatServer,
                                                  genres: GenreRegistry) -> None:
    context = DirectorContext(genres)
    director = get_director("llm")
    prompts = _prompts(50)
    specs = director.direct_many(prompts, context)  # type: ignore[attr-defined]
    assert len(chat_server.answers) == len(chat_server.requests) == 50
    assert len({r["seed"] for r in chat_server.requests}) == 50
    assert len(set(chat_server.answers)) == 50  # sampled, not one canned answer
    for request, answer in zip(chat_server.requests, chat_server.answers, strict=True):
        jsonschema.validate(json.loads(answer),
                            request["response_format"]["json_schema"]["schema"])
    for prompt, spec in zip(prompts, specs, strict=True):
        _valid(spec)
        assert (spec.prompt, spec.director, spec.fallbacks) == (prompt, "llm:tiny", [])
        assert spec.genre.source == "llm" and spec.brief and spec.tempo.source == "llm"
    again = director.direct(prompts[7], context)
    assert again == specs[7]  # the prompt's stable seed: the same answer again


def test_a_local_model_folder(tiny_model_dir: Path, one_thread: None,
                              genres: GenreRegistry) -> None:
    spec = get_director(f"llm:{tiny_model_dir}").direct("dark techno, fast",
                                                        DirectorContext(genres))
    _valid(spec)
    assert (spec.director, spec.fallbacks, spec.genre.source) == ("llm:tiny", [], "llm")


URL = r"http://127\.0\.0\.1:\d+/v1/chat/completions"


@pytest.mark.parametrize(("mode", "reason", "requests"), [
    ("stopped", rf"cannot connect to {URL} \(connection refused\) \(3 tries\)", 0),
    ("slow", rf"no answer from {URL} within 0\.5 s \([23] tries\)(; no time left for another "
             r"try within the 1 s budget)?", (2, 3)),
    ("malformed", r"the answer is not JSON", 1),
    ("429", rf"HTTP 429 from {URL} \(rate limited\); no time left for another try within "
            r"the 1 s budget", 1),
], ids=["stopped", "slow", "malformed", "429"])
def test_a_failing_server_falls_back_saying_why(chat_server: ChatServer,
                                                monkeypatch: pytest.MonkeyPatch,
                                                genres: GenreRegistry, mode: str, reason: str,
                                                requests: Any) -> None:
    monkeypatch.setenv("LIVETIMBRE_LLM_TIMEOUT", "0.5")  # a budget of 1 s in all
    if mode == "stopped":
        chat_server.stop()
    else:
        chat_server.mode = mode
    spec = get_director("llm").direct("sad jazz piano", DirectorContext(genres))
    _valid(spec)
    assert spec.director in ("embedding", "lexicon") and spec.genre.source != "llm"
    assert re.fullmatch(rf"llm → embedding: {reason}", spec.fallbacks[0]), spec.fallbacks
    count = len(chat_server.requests)
    assert count in requests if isinstance(requests, tuple) else count == requests


def test_a_429_that_passes_is_retried(chat_server: ChatServer, genres: GenreRegistry) -> None:
    chat_server.mode = "429-once"
    spec = get_director("llm").direct("sad jazz piano", DirectorContext(genres))
    assert (spec.director, spec.fallbacks) == ("llm:tiny", [])
    assert len(chat_server.requests) == 2


def test_the_circuit_opens_and_a_later_success_closes_it(chat_server: ChatServer,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         genres: GenreRegistry) -> None:
    monkeypatch.setenv("LIVETIMBRE_LLM_TIMEOUT", "2")
    now = [0.0]
    breaker = breaker_for(LLMSettings.from_env(None))
    breaker.clock = lambda: now[0]
    context = DirectorContext(genres)
    chat_server.mode = "500"
    for n in range(3):
        spec = get_director("llm").direct(f"sad jazz {n}", context)
        assert spec.fallbacks[0].startswith("llm → embedding: HTTP 500 from")
    tried = len(chat_server.requests)
    assert tried == 9  # three prompts, three tries each
    spec = get_director("llm").direct("sad jazz 4", context)
    assert spec.fallbacks[0] == ("llm → embedding: circuit open after 3 failed calls in a "
                                 "row (next try in 30 s)")
    assert len(chat_server.requests) == tried  # skipped: the server saw nothing
    chat_server.mode = "ok"
    now[0] = 31.0
    assert get_director("llm").direct("sad jazz 5", context).fallbacks == []
    assert not breaker.is_open
    assert get_director("llm").direct("sad jazz 6", context).director == "llm:tiny"


def test_a_folder_without_a_model_falls_back(tmp_path: Path, genres: GenreRegistry) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    spec = get_director(f"llm:{folder}").direct("sad jazz", DirectorContext(genres))
    assert spec.fallbacks[0].startswith(f"llm:{folder} → embedding: no causal language model "
                                        "could be loaded from the folder 'empty' (")
