"""The arithmetic of following Ableton Link's beat timeline, and a missing aalink.

Link itself is exercised by real peers in tests/e2e/test_link.py.
"""

from __future__ import annotations

import sys
from types import SimpleNamespace
from typing import cast

import pytest

from livetimbre.app import App
from livetimbre.controllers.link import LinkSample, LinkSync
from livetimbre.engine.transport import Transport
from livetimbre.errors import ConfigError


def test_a_sample_extrapolates_beats_and_times_at_its_tempo() -> None:
    sample = LinkSample(moment=100.0, beat=10.0, tempo=120.0)
    assert sample.beat_at(101.5) == 13.0
    assert sample.time_of(8.0) == 99.0
    assert sample.time_of(sample.beat_at(123.25)) == pytest.approx(123.25)


@pytest.mark.parametrize(("moment", "line"), [
    (99.9, 99.0),  # beat 9.8: 8 is nearer than 12
    (100.1, 101.0),  # beat 10.2: 12 is nearer
    (101.9, 101.0),  # beat 13.8: 12 is nearer than 16
    (102.1, 103.0),  # beat 14.2: 16 is nearer
])
def test_the_bar_line_near_a_moment_is_the_nearest_multiple_of_the_quantum(
    moment: float, line: float
) -> None:
    sample = LinkSample(moment=100.0, beat=10.0, tempo=120.0)  # bar lines at 99, 101, 103
    assert sample.bar_line_near(moment, 4) == pytest.approx(line)


def test_without_aalink_link_asks_for_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "aalink", None)  # import aalink → ImportError
    with pytest.raises(ConfigError, match=r"--link needs the aalink package: install aalink"):
        LinkSync(cast(App, None))


@pytest.mark.parametrize(("meter", "quantum"), [("4/4", 4.0), ("6/8", 3.0), ("7/8", 3.5),
                                                ("5/4", 5.0), ("3/4", 3.0)])
def test_links_quantum_is_one_bar_in_quarter_notes(meter: str, quantum: float) -> None:
    """Link counts quarter notes, as the session's tempo does: a 7/8 bar is 3.5 beats."""
    transport = Transport(48000, 100, meter)
    ctx = SimpleNamespace(clock=SimpleNamespace(transport=transport),
                          view=SimpleNamespace(session=SimpleNamespace(tempo=100.0)))
    link = LinkSync(cast(App, ctx))
    assert link._quantum == quantum
    # One bar of Link beats at the shared tempo lasts exactly one of livetimbre's bars.
    assert round(48000 * 60 * quantum / 100) == transport.frame_at(1)
