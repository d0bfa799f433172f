"""Ableton Link with real peers: livetimbre (`--link`, null output) and aalink peers in a
private network namespace with only loopback (`unshare --net`, as root), so nothing
leaves the machine. One run of `tests/e2e/link_session.py` (about 20 s) is checked here
part by part.

Phase agreement is asserted within PHASE_MS: twice livetimbre's realign tolerance (1 ms),
and under 1/100 beat at these tempos (3.75 ms at 160 BPM).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from typing import Any

import pytest

from tests.e2e.link_session import REPO, netns_command

PHASE_MS = 2.0


def _run_session(tmp_path_factory: pytest.TempPathFactory, *args: str) -> dict[str, Any]:
    missing = [tool for tool in ("unshare", "ip") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"{' and '.join(missing)} not found: the Link test needs util-linux "
                    "(unshare) and iproute2 (ip)")
    out = tmp_path_factory.mktemp("link") / "report.json"
    command = netns_command([sys.executable, "-m", "tests.e2e.link_session", str(out), *args])
    run = subprocess.run(command, cwd=REPO, env=dict(os.environ), capture_output=True,
                         text=True, timeout=90)
    if run.returncode != 0 or not out.exists():
        pytest.fail(f"the Link session failed ({run.returncode}); it needs root for "
                    f"`unshare --net`:\n{run.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _run_session(tmp_path_factory)


@pytest.fixture(scope="module")
def seven_eight(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _run_session(tmp_path_factory, "7/8")


def test_a_newcomer_follows_livetimbre_as_the_first_peer(report: dict[str, Any]) -> None:
    assert report["lines"] == ["Ableton Link: 0 peers, 100 BPM"]
    first = report["first"]
    assert first["peer_bpm"] == pytest.approx(100, abs=0.01)  # not its own 140
    assert first["tempo_changes"] == 0 and first["realigns"] == 0  # livetimbre's bars stay
    assert first["phase_ms"]["max"] <= PHASE_MS, first


def test_a_peers_tempo_change_is_followed_within_one_bar(report: dict[str, Any]) -> None:
    follow = report["follow"]
    assert follow["bpm"] == 160
    # Changed mid-bar, played from livetimbre's next bar line: under one bar later.
    assert follow["engine_bar"] == math.ceil(follow["heard_bar"]), follow
    assert follow["engine_bar"] - follow["heard_bar"] < 1
    assert follow["phase_ms"]["max"] <= PHASE_MS, follow


def test_a_local_tempo_change_reaches_the_peer_on_its_bar_line(report: dict[str, Any]) -> None:
    local = report["local"]
    assert local["engine_bpm"] == 150
    assert local["peer_bpm"] == pytest.approx(150, abs=0.01)
    assert local["to_peer_s"] < local["bar_s"], local  # asked mid-bar, sent on the next line
    # Link sends a peer's state at most every 50 ms, so the peer may hear of it that late,
    # but the change is dated: livetimbre's bars never had to move to stay in phase.
    assert 0 <= local["peer_vs_bar_line_ms"] <= 60, local
    assert local["realigns"] == 0, local
    assert local["phase_ms"]["max"] <= PHASE_MS, local


def test_joining_a_session_takes_its_tempo_and_bar_phase(report: dict[str, Any]) -> None:
    join = report["join"]
    assert join["line"] == "Ableton Link: 1 peer, 120 BPM"
    assert join["bpm"] == 120
    assert abs(join["apart_before_ms"]) > 5 and join["realigns"] >= 1, join
    assert join["phase_ms"]["max"] <= PHASE_MS, join
    assert report["engine_errors"] == 0


def test_in_seven_eight_link_shares_the_quarter_note_tempo_and_a_bar_of_3_5_beats(
    seven_eight: dict[str, Any]
) -> None:
    """A peer counting quarter notes with quantum 3.5 (Ableton Live in 7/8) agrees with
    livetimbre on tempo and bar lines, and follows it and is followed as in 4/4."""
    assert seven_eight["quantum"] == 3.5
    first = seven_eight["first"]
    assert first["peer_bpm"] == pytest.approx(100, abs=0.01)
    assert first["tempo_changes"] == 0 and first["realigns"] == 0
    assert first["phase_ms"]["max"] <= PHASE_MS, first
    follow = seven_eight["follow"]
    assert follow["bpm"] == 160 and follow["engine_bar"] == math.ceil(follow["heard_bar"])
    assert follow["phase_ms"]["max"] <= PHASE_MS, follow
    assert seven_eight["engine_errors"] == 0
