"""`/pattern LAYER SCENE "..."` on an app that is not started: the session changes for a
good pattern; a bad one is refused with its column and the session stays as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.live._support import make_app, write_patch

PATCH = """\
session: {genre: house, tempo: 120, key: C minor, seed: 5, quantize: 1M, bars: 1}
layers:
  drums: {}
  bass: {}
scenes:
  - name: a
    clips: {drums: "four on the floor"}
"""


@pytest.mark.timeout(120)
def test_pattern_command_sets_and_refuses_with_the_column(tmp_path: Path) -> None:
    app = make_app(write_patch(tmp_path, PATCH))
    outcome = app.control.run_line('/pattern drums a "bd*2 [~ sd] <hh oh>"', "test")
    assert not outcome.error, outcome.text
    slot = app.performer.session.scenes[0].clips["drums"]
    assert slot.pattern is not None and slot.pattern.text == "bd*2 [~ sd] <hh oh>"
    assert slot.prompt == "four on the floor"  # the prompt still chooses the sound
    for line, words in (('/pattern drums a "bd*2 [~ zz]"', "column 9"),
                        ('/pattern drums a "bd [sd"', "column 4"),
                        ('/pattern bass a "bd sd"', "column 1: 'bd' is not a scale degree")):
        outcome = app.control.run_line(line, "test")
        assert outcome.error and words in outcome.text, outcome.text
    assert app.performer.session.scenes[0].clips["drums"] == slot
    assert "bass" not in app.performer.session.scenes[0].clips
    outcome = app.control.run_line('/pattern bass a "0 2 4 <5 7>"', "test")
    assert not outcome.error, outcome.text
    outcome = app.control.run_line("/pattern drums a", "test")
    assert not outcome.error
    assert app.performer.session.scenes[0].clips["drums"].pattern is None
