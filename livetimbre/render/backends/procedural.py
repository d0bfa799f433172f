"""The procedural backend: the AETHER composer writes notes, a synth plays them."""

from __future__ import annotations

__all__ = ["ProceduralBackend"]



from livetimbre import __version__
from livetimbre.compose.pipeline import compose_clip
from livetimbre.engine.transport import Transport
from livetimbre.genres import GenreRegistry
from livetimbre.planner.clip import ClipPlan
from livetimbre.render.backends.base import BackendContext, Progress, RenderedClip
from livetimbre.render.backends.texture import render_texture, requested_texture
from livetimbre.render.backends.vocals import render_vocals, singer_version
from livetimbre.render.info import ClipInfo
from livetimbre.render.mixing import balance, balance_tail
from livetimbre.synth import choose_synth
from livetimbre.synth.base import Synth, fold_loop, loop_tail
from livetimbre.synth.kit import KitSampler
from livetimbre.synth.noise import NOISE_SYNTH_VERSION


class ProceduralBackend:
    """Renders clip plans with the composer and `synth`."""

    name = "procedural"

    def __init__(self, synth: Synth, genres: GenreRegistry, note: str = "") -> None:
        self.synth = synth
        self.genres = genres
        self.note = note
        self._singer: str | None = None  # who sings vocals clips (found out once)

    @classmethod
    def from_context(cls, context: BackendContext) -> ProceduralBackend:
        """The synth the context asks for (auto: FluidSynth, else the basic synth)."""
        synth, note = choose_synth(context.synth, context.sample_rate, context.soundfont,
                                   context.home)
        return cls(synth, context.genres, note)

    def versions(self) -> dict[str, str]:
        if self._singer is None:
            self._singer = singer_version()
        return {"livetimbre": __version__, **self.synth.describe(),
                "noise_synth": NOISE_SYNTH_VERSION, "singer": self._singer}

    def render(self, plan: ClipPlan, progress: Progress | None = None) -> RenderedClip:
        """Compose, play and balance one clip; `progress` hears fractions of the work done."""
        report = progress or (lambda _fraction: None)
        genre = self.genres.get(plan.genre)
        transport = Transport(plan.sample_rate, plan.tempo, plan.meter)
        kind = requested_texture(plan)
        if kind is not None:  # a texture naming a sound: noise synth or a GM effect
            texture = render_texture(plan, kind, self.synth, transport.samples_per_meter_beat,
                                     genre.production.reverb)
            report(0.8)
            loop, measured, gain_db = balance(texture.audio, plan.role, plan.sample_rate,
                                              plan.theme.dynamics_db)
            report(1.0)
            return RenderedClip(
                plan=plan, audio=loop, part=texture.part,
                recipe_hash=plan.recipe_hash(plan.backend, self.versions()),
                info=texture.info.join(ClipInfo(raw_lufs=round(measured, 2),
                                                balance_gain_db=round(gain_db, 2))),
            )
        if plan.role == "vocals":
            sung = render_vocals(plan, genre, self.synth, transport.samples_per_meter_beat)
            part, raw, made = sung.part, sung.audio, sung.info
        else:
            composition = compose_clip(plan, genre)
            part, made = composition.part, ClipInfo().join(composition.info)
            report(0.1)
            synth: Synth = self.synth if plan.kit is None else KitSampler(plan.kit,
                                                                          plan.sample_rate)
            raw = synth.render(part, transport.samples_per_meter_beat, plan.frames)
        report(0.8)
        folded = fold_loop(raw, plan.frames)
        loop, measured, gain_db = balance(folded, plan.role, plan.sample_rate,
                                          plan.theme.dynamics_db)
        tail = balance_tail(folded, loop_tail(raw, plan.frames), plan.role, plan.sample_rate,
                            gain_db, plan.theme.dynamics_db)
        report(1.0)
        return RenderedClip(
            plan=plan,
            audio=loop,
            part=part,
            recipe_hash=plan.recipe_hash(plan.backend, self.versions()),
            info=ClipInfo(notes=len(part.notes), raw_lufs=round(measured, 2),
                          balance_gain_db=round(gain_db, 2),
                          tail_s=round(tail.shape[0] / plan.sample_rate, 3),
                          ).join(made),
            tail=tail,
        )
