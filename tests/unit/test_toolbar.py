"""The REPL toolbar: the most important facts first, within the terminal's width."""

from __future__ import annotations

from typing import Any, cast

from livetimbre.live.slots import Status
from livetimbre.repl.view import toolbar_fragments


class _View:
    def __init__(self, status: Status) -> None:
        self._status = status

    def status(self) -> Status:
        return self._status


def _text(compose: str = "", width: int = 80, **changes: Any) -> str:
    fields: dict[str, Any] = dict(bar=3, beat=2, tempo=120.0, key="A minor", quantize="1M",
                                  underruns=0, renders=0, recording="", compose=compose)
    fields.update(changes)
    status = Status(**fields)
    return "".join(text for _style, text in toolbar_fragments(cast(Any, _View(status)), width))


def test_the_toolbar_shows_a_running_compose_and_nothing_otherwise() -> None:
    assert "compose" not in _text("")
    assert " compose 2/4 sound design 40% " in _text("2/4 sound design 40%", width=200)


def test_a_quiet_toolbar_fits_80_columns_with_everything() -> None:
    text = _text()
    assert len(text) <= 80, text
    for fact in (" 3.2 ", "120 BPM  A minor", "underruns 0", "renders 0", "q 1M", "/help"):
        assert fact in text, (fact, text)


BUSY: dict[str, Any] = dict(bar=1024, beat=3, tempo=127.5, key="F# harmonic minor",
                            quantize="1/16", underruns=12, renders=14, eta=128.0,
                            recording="/tmp/take.wav")


def test_a_busy_toolbar_keeps_the_important_facts_within_80_columns() -> None:
    text = _text("3/8 arrangement and sound design 40%", **BUSY)
    assert len(text) <= 80, text
    assert text == (" 1024.3  127.5 BPM  F# harmonic minor  underruns 12  ● REC "
                    " renders 14 ETA 128s ")


def test_a_compose_progress_is_shortened_before_it_is_left_out() -> None:
    text = _text("3/8 arrangement and sound design 40%", width=110, **BUSY)
    assert len(text) == 110 and " q 1/16 " in text, text
    assert " compose 3/8 arrang" in text and text.endswith("… "), text
    assert "^D" not in text  # the hints go first


def test_underruns_come_first_only_when_there_are_some() -> None:
    assert _text(underruns=3).index("underruns 3") < _text(underruns=3).index("renders")
    quiet = _text(renders=2, eta=5.0)
    assert quiet.index("renders 2 ETA 5s") < quiet.index("underruns 0")


def test_a_narrow_terminal_keeps_clock_tempo_and_key() -> None:
    text = _text("2/4 mixing 10%", width=30, renders=3)
    assert text.startswith(" 3.2  120 BPM  A minor ") and len(text) <= 30, text
