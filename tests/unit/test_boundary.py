"""The error boundary: user errors come back as messages, bugs as one line plus a
traceback in the log file; nothing escapes."""

from __future__ import annotations

from pathlib import Path

from livetimbre.errors import ValueProblem
from livetimbre.live.boundary import ErrorBoundary, Failure


def test_a_result_passes_through(tmp_path: Path) -> None:
    assert ErrorBoundary(tmp_path).run("x", lambda: 42) == 42
    assert not (tmp_path / "livetimbre.log").exists()


def test_a_user_error_is_its_own_message_and_not_logged(tmp_path: Path) -> None:
    def refuse() -> str:
        raise ValueProblem("Tempo 0.0 is out of range: use 20 to 400 BPM.")

    outcome = ErrorBoundary(tmp_path).run("REPL line '/tempo 0'", refuse)
    assert outcome == Failure("Tempo 0.0 is out of range: use 20 to 400 BPM.")
    assert not (tmp_path / "livetimbre.log").exists()


def test_a_bug_is_one_line_and_its_traceback_goes_to_the_log(tmp_path: Path) -> None:
    boundary = ErrorBoundary(tmp_path / "logs")

    def broken() -> str:
        missing: dict[str, str] = {}
        return missing["missing"]

    outcome = boundary.run("OSC /livetimbre/tempo", broken)
    assert isinstance(outcome, Failure) and outcome.bug
    assert "\n" not in outcome.message
    assert "internal error in OSC /livetimbre/tempo: KeyError" in outcome.message
    assert str(tmp_path / "logs" / "livetimbre.log") in outcome.message
    assert "still playing" in outcome.message
    boundary.close()
    log = (tmp_path / "logs" / "livetimbre.log").read_text()
    assert "OSC /livetimbre/tempo failed" in log
    assert "Traceback" in log and "KeyError: 'missing'" in log
    assert boundary.bugs == 1


def test_an_unwritable_log_still_gives_a_message(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    outcome = ErrorBoundary(blocker / "logs").run("x", lambda: 1 / 0)
    assert isinstance(outcome, Failure) and "ZeroDivisionError" in outcome.message
    assert "no log" in outcome.message
