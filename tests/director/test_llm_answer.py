"""The LLM provider's parts that need no model: the answer and its schema, the merge
into a SongSpec, the circuit breaker, backoff, URL redaction and the settings."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import get_args

import pytest

from livetimbre.director import moods
from livetimbre.director.llm import LLMSettings, llm_director
from livetimbre.director.llm_answer import (
    GM_PROGRAMS,
    AnswerError,
    LLMAnswer,
    Meter,
    Mode,
    MoodLabel,
    answer_schema,
    longest_answer,
    parse_answer,
)
from livetimbre.director.llm_http import Endpoint, redact_url
from livetimbre.director.llm_merge import merge_answer
from livetimbre.director.providers import DirectorContext, LexiconDirector, lexicon_for
from livetimbre.director.spec import SongSpec
from livetimbre.genres import GenreRegistry
from livetimbre.music.theory import MODES
from livetimbre.system.resilience import Budget, CircuitBreaker, backoff_delay

pytestmark = pytest.mark.timeout(60)
ANSWER = {"genre": "jazz", "tempo": 72, "tonic": "D", "mode": "dorian", "meter": "3/4",
          "mood": ["sad", "calm"], "energy": 30, "instruments": ["Cello", "Vibraphone"],
          "brief": "A slow, sad jazz waltz for cello and vibraphone."}


def test_the_answer_tables_are_the_directors_own() -> None:
    assert set(get_args(MoodLabel)) == {m.label for m in moods.MOODS.values()}
    assert set(get_args(Meter)) == set(moods.METERS.values())
    assert set(get_args(Mode)) == set(MODES)
    assert len(GM_PROGRAMS) == 128 and GM_PROGRAMS[0] == "Acoustic Grand Piano"


def test_the_schema_is_strict_and_names_the_installed_genres(genres: GenreRegistry) -> None:
    ids = [g.id for g in genres]
    schema = answer_schema(ids)
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == set(schema["properties"]) == set(LLMAnswer.model_fields)
    assert schema["properties"]["genre"]["enum"] == sorted(ids)
    assert schema["properties"]["instruments"]["items"]["enum"] == list(GM_PROGRAMS)
    assert schema["properties"]["instruments"]["maxItems"] == 4
    longest = longest_answer(ids)
    assert parse_answer(longest, ids).genre == max(ids, key=len)
    assert len(longest.encode()) < 600  # the token budget a local model gets


def test_a_good_answer_is_read(genres: GenreRegistry) -> None:
    answer = parse_answer("```json\n" + json.dumps(ANSWER) + "\n```", [g.id for g in genres])
    assert (answer.genre, answer.tempo, answer.instruments) == ("jazz", 72,
                                                                ["Cello", "Vibraphone"])


@pytest.mark.parametrize(("change", "reason"), [
    ({"genre": "polka-xyz"}, "genre: not one of the installed genres"),
    ({"instruments": ["Kazoo Supreme"]}, "instruments: not a General MIDI program name"),
    ({"tempo": 900}, "tempo: above the maximum"),
    ({"mood": ["sad", "sad", "sad", "sad"]}, "mood: too long"),
    ({"brief": 'say "hi"\n'}, "brief: characters outside the allowed set"),
    ({"secret_field": "x"}, "secret_field: not in the schema"),
])
def test_a_bad_answer_is_refused_without_quoting_it(genres: GenreRegistry,
                                                    change: dict[str, object],
                                                    reason: str) -> None:
    with pytest.raises(AnswerError, match=reason) as caught:
        parse_answer(json.dumps({**ANSWER, **change}), [g.id for g in genres])
    for value in change.values():
        assert str(value) not in str(caught.value)


@pytest.mark.parametrize(("text", "reason"), [("{not json", "not JSON"),
                                              ("[1, 2]", "not a JSON object")])
def test_a_malformed_answer_is_refused(genres: GenreRegistry, text: str, reason: str) -> None:
    with pytest.raises(AnswerError, match=reason):
        parse_answer(text, [g.id for g in genres])


def test_the_answer_merges_with_the_lexicons_reading(genres: GenreRegistry) -> None:
    context = DirectorContext(genres)
    prompt = "sad slow jazz with a cello, 1960s"
    reading = LexiconDirector().read(prompt, context)
    answer = parse_answer(json.dumps(ANSWER), [g.id for g in genres])
    spec = merge_answer(answer, reading, lexicon_for(context)[1], "llm:m", [])
    SongSpec.model_validate_json(spec.model_dump_json())
    assert spec.director == "llm:m" and spec.fallbacks == []
    assert (spec.genre.id, spec.genre.source, spec.tempo.bpm, spec.key.key, spec.meter) == (
        "jazz", "llm", 72.0, "D dorian", "3/4")
    assert spec.mood == ["sad", "calm"] and spec.energy == 0.3
    assert spec.brief == ANSWER["brief"] and spec.era == ["1960s"]
    cello, vibes = spec.instrument("lead"), spec.instrument("chords")
    assert cello is not None and (cello.gm_name, cello.named, cello.source) == (
        "Cello", "cello", "llm")
    assert vibes is not None and (vibes.gm_name, vibes.named) == ("Vibraphone", None)
    assert spec.instrument("drums") is not None  # the genre's kit on the free layer
    said = {w.text: str(w) for w in spec.words}
    assert said["jazz"].endswith("(llm)") and said["sad"].endswith("(llm)")
    assert said["cello"] == '"cello" → Cello (llm)'
    assert [w.source for w in spec.words if w.kind == "era"] == ["lexicon"]


def test_options_win_over_the_llm(genres: GenreRegistry) -> None:
    context = DirectorContext(genres, genre="techno", key="F minor", meter="4/4")
    reading = LexiconDirector().read("sad jazz", context)
    answer = parse_answer(json.dumps(ANSWER), [g.id for g in genres])
    spec = merge_answer(answer, reading, lexicon_for(context)[1], "llm:m", [],
                        genre=context.genre, key=context.key, meter=context.meter)
    assert (spec.genre.id, spec.genre.source, spec.key.key, spec.key.source, spec.meter) == (
        "techno", "option", "F minor", "option", "4/4")
    assert "the LLM chose techno" in next(str(w) for w in spec.words if w.text == "jazz")


def test_the_circuit_opens_then_lets_one_try_through() -> None:
    now = [0.0]
    breaker = CircuitBreaker(threshold=3, cooldown=30.0, clock=lambda: now[0])
    for _n in range(3):
        assert breaker.refusal() is None
        breaker.failure()
    assert breaker.is_open
    assert breaker.refusal() == "circuit open after 3 failed calls in a row (next try in 30 s)"
    now[0] = 31.0
    assert breaker.refusal() is None  # half-open: one call
    assert breaker.refusal() is not None  # the others wait for it
    breaker.failure()  # the trial failed: open again, for a full cool-down
    now[0] = 40.0
    assert "next try in 21 s" in str(breaker.refusal())
    now[0] = 62.0
    assert breaker.refusal() is None
    breaker.success()
    assert not breaker.is_open and breaker.refusal() is None


def test_backoff_grows_is_jittered_and_capped() -> None:
    rng = random.Random(1)
    delays = [[backoff_delay(n, 0.25, 2.0, rng) for _s in range(200)] for n in (1, 2, 3, 6)]
    assert [round(max(d), 1) for d in delays] == [0.2, 0.5, 1.0, 2.0]
    assert all(min(d) >= 0 for d in delays) and len(set(delays[0])) == 200
    now = [0.0]
    slept: list[float] = []
    budget = Budget(5.0, clock=lambda: now[0], sleep=slept.append)
    now[0] = 4.0
    budget.pause(3.0)
    assert budget.left() == 1.0 and slept == [1.0]


def test_urls_are_shown_without_credentials() -> None:
    assert redact_url("https://bob:s3cret@api.example.com:8443/v1/chat/completions?key=abc"
                      ) == "https://***@api.example.com:8443/v1/chat/completions"
    endpoint = Endpoint("https://bob:s3cret@api.example.com/v1", "m", key="k-123")
    assert "k-123" not in repr(endpoint) and "s3cret" not in endpoint.where
    request = endpoint.request(b"{}")
    assert request.full_url == "https://api.example.com/v1"
    assert request.get_header("Authorization") == "Bearer k-123"


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    for name in ("LIVETIMBRE_LLM_URL", "LIVETIMBRE_LLM_MODEL", "LIVETIMBRE_LLM_API_KEY",
                 "LIVETIMBRE_LLM_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ValueError, match=r"not configured \(set LIVETIMBRE_LLM_URL"):
        LLMSettings.from_env(None)
    monkeypatch.setenv("LIVETIMBRE_LLM_URL", "ftp://host/v1")
    with pytest.raises(ValueError, match=r"is not an http\(s\) URL"):
        LLMSettings.from_env("m")
    monkeypatch.setenv("LIVETIMBRE_LLM_URL", "http://127.0.0.1:11434/v1/")
    with pytest.raises(ValueError, match="LIVETIMBRE_LLM_MODEL is not set"):
        LLMSettings.from_env(None)
    monkeypatch.setenv("LIVETIMBRE_LLM_MODEL", "qwen2.5:7b")
    monkeypatch.setenv("LIVETIMBRE_LLM_API_KEY", "sk-test")
    settings = LLMSettings.from_env(None)
    assert settings.endpoint == Endpoint("http://127.0.0.1:11434/v1/chat/completions",
                                         "qwen2.5:7b", "sk-test")
    assert settings.timeout == 10.0 and settings.model == "qwen2.5:7b"
    assert LLMSettings.from_env(str(tmp_path)).folder == tmp_path  # llm:PATH, a folder
    monkeypatch.setenv("LIVETIMBRE_LLM_TIMEOUT", "soon")
    with pytest.raises(ValueError, match="LIVETIMBRE_LLM_TIMEOUT 'soon'"):
        LLMSettings.from_env(None)


def test_an_unconfigured_llm_falls_back_saying_why(monkeypatch: pytest.MonkeyPatch,
                                                   genres: GenreRegistry) -> None:
    monkeypatch.delenv("LIVETIMBRE_LLM_URL", raising=False)
    director = llm_director("llm:nowhere", lambda reasons: LexiconDirector(reasons))
    spec = director.direct("sad jazz", DirectorContext(genres))
    assert spec.director == "lexicon"
    assert spec.fallbacks == ["llm:nowhere → embedding: not configured (set "
                              "LIVETIMBRE_LLM_URL, or name a model folder: llm:PATH)"]
