"""The REPL toolbar: a running compose shows its progress there."""

from __future__ import annotations

from typing import Any, cast

from livetimbre.live.slots import Status
from livetimbre.repl.view import toolbar_fragments


class _View:
    def __init__(self, status: Status) -> None:
        self._status = status

    def status(self) -> Status:
        return self._status


def _text(compose: str) -> str:
    status = Status(bar=3, beat=2, tempo=120.0, key="A minor", quantize="1M", underruns=0,
                    renders=0, recording="", compose=compose)
    return "".join(text for _style, text in toolbar_fragments(cast(Any, _View(status))))


def test_the_toolbar_shows_a_running_compose_and_nothing_otherwise() -> None:
    assert "compose" not in _text("")
    assert " compose 2/4 sound design 40% " in _text("2/4 sound design 40%")
