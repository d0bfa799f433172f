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
from livetimbre.engine.commands import ClipId, StartClip, StartScene, StopChannel, SwapClip
from livetimbre.engine.events import EngineEvent, EventKind
from livetimbre.engine.mixer import LoopClip
from livetimbre.errors import ValueProblem
from livetimbre.music.tempo import bar_samples
from livetimbre.music.theory import parse_meter
from livetimbre.render.backends.musicgen.timing import bars_ahead
from livetimbre.render.info import ClipInfo
from livetimbre.render.jobs import JobState, RenderJob
from livetimbre.render.pool import RenderPool
from livetimbre.render.scenes import scene_launch
from livetimbre.session.model import Session, SlotKey

Say = Callable[[str], None]


def ready_note(job: RenderJob, session: Session) -> str:
    """What a finished render adds to '✓ SLOT ready': that it came from the store's
    render cache; for a model render, a fallback and its reason, or how long it took
    and how many bars ahead such a clip must be asked for."""
    info = job.info
    if job.stored:
        return " (from the store)"
    if info.server_fallback:
        return f" ({info.server_fallback})"
    if info.server:
        return f" (rendered on {info.server})"
    if info.fallback:
        return f" (procedural fallback: {info.fallback_reason or ''})"
    if info.vocal is not None and not info.vocal.sung:
        return f" (sung by {info.vocal.singer}: {info.vocal.note})"
    if info.loop is not None:
        return f" ({sample_note(info)})"
    if info.timing is None:
        return ""
    seconds = info.timing.render_seconds
    beats = parse_meter(session.meter).beats
    ahead = bars_ahead(seconds, session.tempo, beats)
    fit = info.fit
    fitted = "" if fit is None or fit.fit != "length" else f"; fitted by length: {fit.reason}"
    return (f" ({info.backend} {seconds:.1f} s: request such a clip {ahead} bars "
            f"ahead at {session.tempo:g} BPM{fitted})")


def sample_note(info: ClipInfo) -> str:
    """A user's loop in a few words: the file, its key (estimated or given) and shift,
    and how it was fitted."""
    sample, fit = info.loop, info.fit
    if sample is None:
        return ""
    key = (f"key {sample.key_estimated} (estimated)" if sample.key_estimated
           else "no key found")
    if sample.key_from is not None and sample.shift_semitones and sample.shifter == "none":
        key += f", not shifted from {sample.key_from}: Rubber Band's command is missing"
    elif sample.key_from is not None:
        key += (f", shifted {sample.shift_semitones:+d} semitones from {sample.key_from}"
                if sample.shift_semitones else f", already in key ({sample.key_from})")
    fitted = ""
    if fit is not None:
        fitted = (f"; fitted by beats from {fit.tempo_before or 0:.1f} BPM"
                  if fit.fit == "beats" else f"; fitted by length: {fit.reason}")
    return f"loop {sample.file}, {key}{fitted}"


class Launcher:
    """Pending launches and what the engine is told to start, swap and stop."""

    def __init__(self, engine: AudioClient, session: Callable[[], Session],
                 pool: Callable[[], RenderPool | None], say: Say) -> None:
        self._engine = engine
        self._session = session
        self._pool = pool
        self._say = say
        self._pending: dict[str, str] = {}  # layer → scene whose clip waits to launch
        self._stored: dict[SlotKey, tuple[RenderJob, ClipId]] = {}  # the render sent last
        self._panic_listeners: list[Callable[[], None]] = []
        self._said_choir = ""  # why a wordless choir sings vocals clips, once said

    def pending(self, layer: str) -> str | None:
        """The scene whose clip `layer` waits to launch, if any."""
        return self._pending.get(layer)

    def _job(self, slot: SlotKey) -> RenderJob | None:
        pool = self._pool()
        return pool.job(slot) if pool else None

    def _store(self, job: RenderJob) -> ClipId:
        """Send a ready render to the audio process (once) and name it by id."""
        stored = self._stored.get(job.key)
        if stored is not None and stored[0] is job:
            return stored[1]
        assert job.audio is not None
        plan = job.plan
        per_bar = bar_samples(plan.sample_rate, plan.tempo, parse_meter(plan.meter))
        clip_id = self._engine.store(LoopClip(job.audio, plan.bars, job.key, per_bar))
        self._stored[job.key] = (job, clip_id)
        return clip_id

    def _ready_clip(self, layer: str, scene: str) -> ClipId | None:
        job = self._job(SlotKey(layer, scene))
        if job is None or job.state is not JobState.READY or job.audio is None:
            return None
        return self._store(job)

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
        self._engine.submit(StartScene(launch.clips, launch.scene, session.quantize))
        note = f"; {', '.join(launch.waiting)} when rendered" if launch.waiting else ""
        return f"scene {launch.scene} launches at the next {session.quantize}{note}"

    def launch(self, layer: str, index: int) -> str:
        session = self._session()
        session.layer(layer)
        scene = session.scenes[index]
        if layer not in scene.clips:
            raise ValueProblem(f"Slot {layer} × {scene.name} is empty: give it a prompt with "
                               f"/clip {layer} {index + 1} \"...\".")
        slot = SlotKey(layer, scene.name)
        self._pending[layer] = scene.name
        clip = self._ready_clip(layer, scene.name)
        if clip is not None:
            self._engine.submit(StartClip(layer, clip, session.quantize))
            return f"{slot} launches at the next {session.quantize}"
        pool = self._pool()
        job = self._job(slot)
        if job is not None and job.state is JobState.FAILED and pool is not None:
            pool.submit(job.key, job.plan)  # try again: the failure may have been a crash
            return f"{slot} failed before ({job.error}); rendering again"
        if job is not None and job.state is JobState.CANCELLED and pool is not None:
            pool.submit(job.key, job.plan)  # /stop cancelled it; wanted again now
            return f"{slot} launches when its render is ready (rendering again)"
        return f"{slot} launches when its render is ready"

    def stop(self, layer: str) -> str:
        session = self._session()
        session.layer(layer)
        waiting = self._pending.pop(layer, None)
        pool = self._pool()
        if waiting is not None and pool is not None:
            job = pool.job(SlotKey(layer, waiting))
            if job is not None and not job.finished:
                pool.cancel(job.key)  # a model render stops between two steps
        self._engine.submit(StopChannel(layer, session.quantize))
        return f"{layer} stops at the next {session.quantize}"

    def stop_all(self) -> str:
        for layer in self._session().layers:
            self.stop(layer.name)
        return "all layers stop"

    def on_panic(self, listener: Callable[[], None]) -> None:
        """`listener` runs on /panic (MIDI outputs silence their notes)."""
        self._panic_listeners.append(listener)

    def panic(self) -> str:
        """Stop every layer now, without waiting for a boundary or a release: a panic
        is for a sound that must end at once (a 3 ms fade keeps it from clicking)."""
        self._pending.clear()
        for layer in self._session().layers:
            self._engine.submit(StopChannel(layer.name, "none", panic=True))
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
        layer, scene = job.key.layer, job.key.scene
        if job.state is JobState.FAILED:
            self._say(f"✗ {job.key} failed: {job.error}")
            return
        if job.state is not JobState.READY or job.audio is None:
            return
        pending = self._pending.get(layer)
        if self._engine.playing_slot(layer) == job.key and pending != scene:
            self._engine.submit(SwapClip(layer, self._store(job), replaces=job.key))
        elif pending == scene:
            self._engine.submit(StartClip(layer, self._store(job), self._session().quantize))
        if not job.cached:
            note = ready_note(job, self._session())
            if note and note == self._said_choir:  # why no singer sings: said once
                note = " (a wordless choir)"
            elif job.info.vocal is not None and not job.info.vocal.sung:
                self._said_choir = note
            self._say(f"✓ {job.key} ready{note}")

    def engine_events(self, events: list[EngineEvent]) -> None:
        """The engine launched: those launches are no longer pending."""
        for event in events:
            if event.kind is EventKind.LAUNCH:
                pending = self._pending.get(event.layer)
                if pending is not None and event.slot == SlotKey(event.layer, pending):
                    del self._pending[event.layer]
