"""Lyrics from the Director's LLM (a fake OpenAI-compatible endpoint here): a fitting
answer is used; a wrong count, a false rhyme, a bad answer or a failing server falls back
to the grammar and says why."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from livetimbre.director.providers import DirectorContext, LexiconDirector
from livetimbre.genres import GenreRegistry
from livetimbre.voice.lyrics import LyricSlot, write_lyrics
from livetimbre.voice.lyrics_words import syllables

pytestmark = pytest.mark.timeout(60)

FORM = [LyricSlot("chorus", (6, 6, 6, 6), "AABB"), LyricSlot("verse", (5, 5), "AB")]
GOOD = [["we walk along the night", "and hold the morning light",
         "the river runs away", "we wander on today"],
        ["the road is long", "and we are here"]]


class FakeChat:
    """An endpoint that answers every chat with `reply` (sections of lines) or `status`."""

    def __init__(self) -> None:
        self.reply: Any = {"sections": [{"lines": s} for s in GOOD]}
        self.status = 200
        self.asked: list[dict[str, Any]] = []
        chat = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                chat.asked.append(json.loads(body))
                content = (chat.reply if isinstance(chat.reply, str)
                           else json.dumps(chat.reply))
                data = json.dumps({"choices": [{"message": {"content": content}}]}).encode()
                self.send_response(chat.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def chat(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeChat]:
    server = FakeChat()
    monkeypatch.setenv("LIVETIMBRE_LLM_URL", server.url)
    monkeypatch.setenv("LIVETIMBRE_LLM_MODEL", "fake")
    monkeypatch.setenv("LIVETIMBRE_LLM_TIMEOUT", "2")
    yield server
    server.server.shutdown()
    server.server.server_close()


def test_the_llm_writes_when_it_read_the_prompt(chat: FakeChat, genres: GenreRegistry
                                                ) -> None:
    song = LexiconDirector().direct("a sad song", DirectorContext(genres))
    chat.reply = {"sections": [{"lines": GOOD[0]},
                               {"lines": ["the road is long and", "we are here again"]}]}
    assert write_lyrics(song, FORM, seed=1).source == "grammar"  # the lexicon read it
    assert not chat.asked
    read_by_llm = song.model_copy(update={"director": "llm:fake"})
    assert write_lyrics(read_by_llm, FORM, seed=1).source == "llm"


def test_a_fitting_answer_is_sung(chat: FakeChat) -> None:
    chat.reply = {"sections": [{"lines": GOOD[0]},
                               {"lines": ["the road is long and", "we are here again"]}]}
    lyric = write_lyrics(None, FORM, seed=1, provider="llm")
    assert lyric.source == "llm"
    assert lyric.sections[0].lines == GOOD[0]
    asked = chat.asked[0]
    assert asked["response_format"]["json_schema"]["schema"]["properties"]["sections"][
        "minItems"] == 2
    user = asked["messages"][1]["content"]
    assert "6, 6, 6, 6 syllables, rhymed AABB" in user


@pytest.mark.parametrize(("reply", "status", "why"), [
    ({"sections": [{"lines": GOOD[0]}, {"lines": ["too short", "we are here again"]}]}, 200,
     "line 1 has 2 syllables, not 5"),
    ({"sections": [{"lines": [*GOOD[0][:3], "we wander in the sea"]},
                   {"lines": ["the road is long and", "we are here again"]}]}, 200,
     "lines 3 and 4 do not rhyme"),
    ("this is not json", 200, "not the lyric JSON"),
    ({"sections": [{"lines": GOOD[0]}]}, 200, "1 sections where 2"),
    ({"sections": []}, 500, "HTTP 500"),
])
def test_a_bad_answer_falls_back_to_the_grammar(chat: FakeChat, reply: Any, status: int,
                                                why: str) -> None:
    chat.reply, chat.status = reply, status
    lyric = write_lyrics(None, FORM, seed=1, provider="llm")
    assert lyric.source == "grammar"
    assert len(lyric.notes) == 1 and lyric.notes[0].startswith("llm → grammar:")
    assert why in lyric.notes[0]
    assert [[syllables(x) for x in s.lines] for s in lyric.sections] == [[6, 6, 6, 6], [5, 5]]


def test_not_configured_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LIVETIMBRE_LLM_URL", raising=False)
    lyric = write_lyrics(None, FORM, seed=1, provider="llm")
    assert lyric.source == "grammar" and "not configured" in lyric.notes[0]


def test_a_server_that_keeps_failing_is_left_alone_for_a_while(chat: FakeChat) -> None:
    chat.status = 503
    for _ in range(3):
        assert write_lyrics(None, FORM, seed=1, provider="llm").source == "grammar"
    asked = len(chat.asked)
    lyric = write_lyrics(None, FORM, seed=1, provider="llm")
    assert lyric.source == "grammar" and "circuit open" in lyric.notes[0]
    assert len(chat.asked) == asked
