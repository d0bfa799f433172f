"""The file names /compose gives tracks: from the prompt, but never a path."""

from __future__ import annotations

import pytest

from livetimbre.track.requesting import track_name

WHEN = 1_700_000_000.0


@pytest.mark.parametrize(("prompt", "start"), [
    ("Dreamy synthwave with warm pads", "dreamy-synthwave-with-warm-pads-"),
    ("../../etc/passwd", "etc-passwd-"),
    ("/abs/path\\name\x00 ~user $HOME", "abs-path-name-user-home-"),
    ("日本の夜", "track-"),
    ("   ", "track-"),
    ("a" * 200, "a" * 40 + "-"),
])
def test_names_are_safe_and_short(prompt: str, start: str) -> None:
    name = track_name(prompt, WHEN)
    assert name.startswith(start)
    assert all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in name)
    assert len(name) <= 40 + 1 + 15
