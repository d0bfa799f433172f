"""One 120 s procedural compose (with stems, MIDI and a picture) shared by the compose and
release tests of the session: it is the slowest thing they do."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from livetimbre.cli import main

PROMPT = "dreamy synthwave with warm pads, rhodes and rain"
ARGS = ["--seed", "7", "-q"]


@pytest.fixture(scope="session")
def composed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The track; its store is in `track.parent / "home" / "store"`."""
    folder = tmp_path_factory.mktemp("compose")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LIVETIMBRE_HOME", str(folder / "home"))
        mp.delenv("LIVETIMBRE_SOUNDFONT", raising=False)
        for name in ("SAMPLE_RATE", "BIT_DEPTH", "FORMAT"):
            mp.delenv(f"LIVETIMBRE_EXPORT_{name}", raising=False)
        code = main(["compose", PROMPT, "-o", str(folder / "track.wav"), "--stems",
                     str(folder / "stems"), "--midi", str(folder / "track.mid"), "--png",
                     str(folder / "track.png"), *ARGS])
    assert code == 0
    yield folder / "track.wav"
