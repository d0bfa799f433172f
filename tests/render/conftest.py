"""Real FluidSynth renders, made once per test session and shared."""

from __future__ import annotations

from pathlib import Path

import pytest

from livetimbre.genres import GenreRegistry
from livetimbre.patch import load_patch
from livetimbre.render.backends import BackendContext, Backends
from livetimbre.render.backends.procedural import ProceduralBackend
from livetimbre.render.offline import OfflineRender, render_session
from livetimbre.synth import choose_synth
from livetimbre.synth.fluid import FluidSynthRenderer
from tests.conftest import PATCHES

RATE = 48000


@pytest.fixture(scope="session")
def fluid() -> FluidSynthRenderer:
    synth, note = choose_synth("fluidsynth", RATE)
    assert note == ""
    assert isinstance(synth, FluidSynthRenderer)
    return synth


def procedural(genres: GenreRegistry, synth: FluidSynthRenderer) -> Backends:
    """Backends whose 'procedural' plays through `synth` (one SoundFont load per run)."""
    return Backends(BackendContext(RATE, genres),
                    {"procedural": ProceduralBackend(synth, genres)})


@pytest.fixture(scope="session")
def example_renders(
    genres: GenreRegistry, fluid: FluidSynthRenderer
) -> dict[str, OfflineRender]:
    """Every example patch in patches/, rendered with FluidSynth and a real SoundFont."""
    backends = procedural(genres, fluid)
    return {
        path.stem: render_session(load_patch(path, genres), backends, sample_rate=RATE)
        for path in PATCHES
    }


def patch_ids() -> list[str]:
    return [Path(p).stem for p in PATCHES]
