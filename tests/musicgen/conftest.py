"""The MusicGen tests: a tiny random-weight MusicGen and beat_this, built once per run.

They need the `musicgen` extra (torch, transformers, librosa, beat_this, soxr,
pyrubberband) and Debian's rubberband-cli; `make test` installs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.musicgen.tiny import (
    build_tiny_beat_this,
    build_tiny_musicgen,
    build_tiny_musicgen_melody,
)


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_musicgen(tmp_path_factory.mktemp("musicgen") / "tiny-musicgen")


@pytest.fixture(scope="session")
def tiny_beat_this(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_beat_this(tmp_path_factory.mktemp("beat_this") / "tiny.ckpt")


@pytest.fixture(scope="session")
def tiny_melody_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_musicgen_melody(tmp_path_factory.mktemp("melody") / "tiny-melody")
