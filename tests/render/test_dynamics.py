"""Dynamic words survive loudness balancing: "soft" drums sit well below "hard" ones in
the master, and the master still reaches its loudness target."""

from __future__ import annotations

from livetimbre.genres import GenreRegistry
from livetimbre.mastering.meters import integrated_lufs
from livetimbre.patch import parse_patch
from livetimbre.render.offline import render_session
from livetimbre.synth.fluid import FluidSynthRenderer
from tests.render.conftest import RATE, procedural

PATCH = """
session: {{genre: synthwave, tempo: 104, key: A minor, seed: 7, bars: 2}}
layers:
  drums: {{}}
  bass: {{}}
  pad: {{}}
scenes:
  - name: a
    clips: {{drums: "{drums}", bass: "bassline", pad: "pad"}}
"""


def _drums_in_master(genres: GenreRegistry, fluid: FluidSynthRenderer, words: str
                     ) -> tuple[float, float]:
    """(loudness of the drums stem in the master, loudness of the master), in LUFS."""
    session = parse_patch(PATCH.format(drums=words), "dynamics.yaml", genres)
    render = render_session(session, procedural(genres, fluid), sample_rate=RATE, stems=True)
    return (integrated_lufs(render.stems["drums"], RATE),
            integrated_lufs(render.mastered.audio, RATE))


def test_soft_and_hard_drums_differ_by_at_least_4_lu_in_the_master(
    genres: GenreRegistry, fluid: FluidSynthRenderer
) -> None:
    soft, soft_master = _drums_in_master(genres, fluid, "soft quiet gentle beat")
    hard, hard_master = _drums_in_master(genres, fluid, "hard pounding aggressive beat")
    assert hard - soft >= 4.0, (soft, hard)
    target = genres.get("synthwave").production.target_lufs
    assert abs(soft_master - target) < 1.0 and abs(hard_master - target) < 1.0
