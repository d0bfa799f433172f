"""Launching: clips and scenes start on the next boundary, or as soon as their render is
ready; re-renders of a playing clip swap in at its next loop start.

A launch the engine cannot play yet (its clip is rendering) is remembered as pending
for its layer; the engine's launch event clears it, and a ready render of a pending
slot is launched then.
"""

from __future__ import annotations

__all__ = ["Launcher"]

from collections.abc import Callable

from livetimbre.engine.client import AudioClient
from livetimbre.engine.engine import EngineEvent, Launch, LaunchScene, Replace, Stop
from livetimbre.engine.mixer import LoopClip
from livetimbre.engine.transport import Transport
from livetimbre.errors import ValueProblem
from livetimbre.render.jobs import JobState, RenderJob
from livetimbre.render.pool import RenderPool
from livetimbre.render.scenes import scene_launch
from livetimbre.session.model import Session

Say = Callable[[str], None]


def _label(layer: str, scene: str) -> str:
    return f"{layer}@{scene}"


class Launcher:
    """Pending launches and what the engine is told to start, swap and stop."""

    def __init__(self, engine: AudioClient, session: Callable[[], Session],
                 pool: Callable[[], RenderPool | None], say: Say) -> None:
        self._engine = engine
        self._session = session
        self._pool = pool
        self._say = say
        self._pending: dict[str, str] = {}  # layer → scene whose clip waits to launch
        self._panic_listeners: list[Callable[[], None]] = []

    def pending(self, layer: str) -> str | None:
        """The scene whose clip `layer` waits to launch, if any."""
        return self._pending.get(layer)

    def _ready_job(self, layer: str, scene: str) -> RenderJob | None:
        pool = self._pool()
        job = pool.job((layer, scene)) if pool else None
        if job is not None and job.state is JobState.READY and job.audio is not None:
            return job
        return None

    def _clip(self, job: RenderJob) -> LoopClip:
        assert job.audio is not None
        plan = job.plan
        per_bar = Transport(plan.sample_rate, plan.tempo, plan.meter).samples_per_bar
        return LoopClip(job.audio, plan.bars, _label(*job.key), per_bar)

    def _ready_clip(self, layer: str, scene: str) -> LoopClip | None:
        job = self._ready_job(layer, scene)
        return None if job is None else self._clip(job)

    # --- commands -----------------------------------------------------------------------
    def launch_scene(self, index: int) -> str:
        """All of a scene's ready clips start on one boundary (one engine command);
        clips still rendering follow when ready; layers without a clip stop."""
        session = self._session()
        launch = scene_launch(session, index, self._ready_clip)
        for layer in session.layers:
            self._pending.pop(layer.name, None)
            if layer.name in session.scenes[index].clips:
                self._pending[layer.name] = launch.scene
        self._engine.submit(LaunchScene(launch.clips, launch.scene, session.quantize))
        note = f"; {', '.join(launch.waiting)} when rendered" if launch.waiting else ""
        return f"scene {launch.scene} launches at the next {session.quantize}{note}"

    def launch(self, layer: str, index: int) -> str:
        session = self._session()
        session.layer(layer)
        scene = session.scenes[index]
        if layer not in scene.clips:
            raise ValueProblem(f"Slot {layer} × {scene.name} is empty: give it a prompt with "
                               f"/clip {layer} {index + 1} \"...\".")
        label = _label(layer, scene.name)
        self._pending[layer] = scene.name
        clip = self._ready_clip(layer, scene.name)
        if clip is not None:
            self._engine.submit(Launch(layer, clip, session.quantize))
            return f"{label} launches at the next {session.quantize}"
        pool = self._pool()
        job = pool.job((layer, scene.name)) if pool else None
        if job is not None and job.state is JobState.FAILED and pool is not None:
            pool.submit(job.key, job.plan)  # try again: the failure may have been a crash
            return f"{label} failed before ({job.error}); rendering again"
        return f"{label} launches when its render is ready"

    def stop(self, layer: str) -> str:
        session = self._session()
        session.layer(layer)
        self._pending.pop(layer, None)
        self._engine.submit(Stop(layer, session.quantize))
        return f"{layer} stops at the next {session.quantize}"

    def stop_all(self) -> str:
        for layer in self._session().layers:
            self.stop(layer.name)
        return "all layers stop"

    def on_panic(self, listener: Callable[[], None]) -> None:
        """`listener` runs on /panic (MIDI outputs silence their notes)."""
        self._panic_listeners.append(listener)

    def panic(self) -> str:
        """Stop every layer now, without waiting for a boundary."""
        self._pending.clear()
        for layer in self._session().layers:
            self._engine.submit(Stop(layer.name, "none"))
        for listener in self._panic_listeners:
            listener()
        return "panic: all layers stopped"

    # --- what the renders and the engine report -----------------------------------------
    def job_updated(self, job: RenderJob) -> None:
        """A render finished: launch it if its slot is pending, swap it in if its slot
        plays (a re-render), say it failed otherwise."""
        pool = self._pool()
        if pool is None or pool.job(job.key) is not job:
            return  # superseded
        layer, scene = job.key
        if job.state is JobState.FAILED:
            self._say(f"✗ {_label(layer, scene)} failed: {job.error}")
            return
        if job.state is not JobState.READY or job.audio is None:
            return
        clip = self._clip(job)
        pending = self._pending.get(layer)
        if self._engine.playing_label(layer) == clip.label and pending != scene:
            self._engine.submit(Replace(layer, clip, replaces=clip.label))
        elif pending == scene:
            self._engine.submit(Launch(layer, clip, self._session().quantize))
        if not job.cached:
            self._say(f"✓ {_label(layer, scene)} ready")

    def engine_events(self, events: list[EngineEvent]) -> None:
        """The engine launched: those launches are no longer pending."""
        for event in events:
            if event.kind == "launch":
                pending = self._pending.get(event.layer)
                if pending is not None and event.label == _label(event.layer, pending):
                    del self._pending[event.layer]
