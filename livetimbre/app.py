"""The live application: builds the parts, wires them together, owns start/stop order.

Control flow (all on the asyncio loop of the main thread): a command from any surface
→ `App.execute` → the session history (validated, undoable) → a session listener that
plans every clip and submits renders → job updates (marshalled in from the pool's
dispatcher thread) → launches, swaps and slot states. The engine only ever hears
frozen engine commands through its queue.
"""

from __future__ import annotations

__all__ = ["App", "AppOptions", "GenerationConfig", "SlotView", "Status"]

import asyncio
import contextlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from livetimbre.config import Settings
from livetimbre.engine.client import AudioClient
from livetimbre.engine.engine import (
    ChangeQuantize,
    ChangeTempo,
    ClipId,
    RemoveChannel,
    SetChannel,
    StartClip,
    StartScene,
    StopChannel,
    SwapClip,
)
from livetimbre.engine.events import EngineEvent, EventKind
from livetimbre.engine.mixer import LoopClip
from livetimbre.engine.server import AudioConfig
from livetimbre.errors import LivetimbreError, ValueProblem
from livetimbre.files.write import atomic_path, check_output_path, write_json
from livetimbre.genres import GenreRegistry
from livetimbre.patch.dump import session_to_patch
from livetimbre.patch.watch import watch_patch
from livetimbre.planner.clip import build_clip_plan
from livetimbre.render.jobs import JobState, RenderJob
from livetimbre.render.pool import RenderPool
from livetimbre.render.worker import WorkerConfig
from livetimbre.session import commands as c
from livetimbre.session.model import Session, SlotKey, SlotState
from livetimbre.session.state import SessionHistory
from livetimbre.system.cpus import pin_process, place_threads, plan_cpus
from livetimbre.system.realtime import keep_memory

AUTOSAVE_SECONDS = 30.0


@dataclass(frozen=True)
class AppOptions:
    output: str = "auto"
    device: str | None = None
    blocksize: int = 256
    workers: int = 2
    record: Path | None = None
    synth: str = "auto"
    audio_cpu: str = "auto"  # a CPU kept for audio: auto, none or a number (see cpus.py)


@dataclass(frozen=True)
class SlotView:
    """What the Session View shows for one layer × scene cell."""

    state: SlotState
    progress: float = 0.0
    error: str = ""


@dataclass(frozen=True)
class GenerationConfig:
    """Timbre's generation settings: `compose` duration, backend model, CFG coefficient."""

    duration: float = 120.0
    model: str = "procedural"
    cfg: float = 3.0

    def __str__(self) -> str:
        return f"duration {self.duration:g} s, model {self.model}, cfg {self.cfg:g}"


MODELS = ("procedural",)


@dataclass(frozen=True)
class Status:
    """What the toolbar and /status show."""

    bar: int
    beat: int
    tempo: float
    key: str
    quantize: str
    underruns: int
    renders: int
    recording: str


class App:
    """One live performance: session, engine, output, render pool, autosave."""

    def __init__(self, settings: Settings, genres: GenreRegistry, session: Session,
                 options: AppOptions, patch_path: Path | None = None) -> None:
        self.settings = settings
        self.genres = genres
        self.options = options
        self.patch_path = patch_path
        self.history = SessionHistory(session)
        self.cpus = plan_cpus(options.audio_cpu)
        self.engine = AudioClient(AudioConfig(
            settings.sample_rate, session.tempo, session.meter,
            tuple(layer.name for layer in session.layers), session.quantize,
            options.blocksize, options.output, options.device,
            self.cpus))
        self._cpus_before: frozenset[int] | None = None
        self._audio_started = False
        self.pool: RenderPool | None = None
        self.recording: Path | None = None
        self._messages: list[Callable[[str], None]] = []
        self._pending: dict[str, str] = {}  # layer → scene whose clip waits to launch
        self._panic_listeners: list[Callable[[], None]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._unsubscribe: Callable[[], None] | None = None
        self._dirty = True  # the first autosave tick saves what was loaded
        self.generation = GenerationConfig()
        self._watch_task: asyncio.Task[None] | None = None
        self.history.listen(self._session_changed)

    # --- lifecycle ------------------------------------------------------------------
    @property
    def session(self) -> Session:
        return self.history.current

    @property
    def output(self) -> AudioClient | None:
        """The audio process, once its output is running."""
        return self.engine if self._audio_started else None

    def on_message(self, listener: Callable[[str], None]) -> None:
        """Background messages (renders done, launches, errors) go to `listener`."""
        self._messages.append(listener)

    def say(self, message: str) -> None:
        for listener in self._messages:
            listener(message)

    def place_threads(self) -> None:
        """Keep this process's real-time threads (JACK MIDI ports) on the audio CPU and the
        rest off it; call after opening anything that starts threads of its own."""
        if self.cpus is not None:
            place_threads(self.cpus)

    async def start(self) -> str:
        """Start workers, audio and background tasks; returns a line about the output."""
        self._loop = asyncio.get_running_loop()
        keep_memory()
        if self.cpus is not None:  # this process's threads, and those it starts, too
            self._cpus_before = frozenset(os.sched_getaffinity(0))
            self.place_threads()
        self._apply_layer_settings(self.session)
        self.pool = RenderPool(
            WorkerConfig(self.settings.sample_rate, self.options.synth, self.settings.soundfont,
                         self.settings.home, cpus=self.cpus.others if self.cpus else None),
            workers=self.options.workers, on_update=self._job_update_from_thread,
        )
        self.pool.start()
        self._plan_all(self.session)
        try:
            self.engine.start()
        except LivetimbreError:
            self.pool.stop()
            raise
        self._audio_started = True
        self._unsubscribe = self.engine.subscribe(self._engine_events)
        note = self.engine.note
        record = self.options.record
        if record is None and note:
            record = self._default_recording()
        if record is not None:
            self.start_recording(record)
        self._tasks = [asyncio.create_task(self._autosave_every())]
        self._watch_current_patch()
        line = (f"audio: {self.engine.name} at {self.engine.sample_rate} Hz, "
                f"block {self.options.blocksize}")
        if self.cpus is not None:
            line += f" ({self.cpus.describe()})"
        if note:
            line = f"{note}: playing on a real-time null output. {line}"
        if self.recording is not None:
            line += f"; recording to {self.recording}"
        return line

    def _watch_current_patch(self) -> None:
        if self._watch_task is not None:
            self._watch_task.cancel()
        self._watch_task = None
        if self.patch_path is not None and self._loop is not None:
            self._watch_task = asyncio.create_task(
                watch_patch(self.patch_path, self.load_patch, self.say))

    async def stop(self) -> None:
        """Stop in reverse order: tasks, recording, audio, workers; autosave last."""
        if self._watch_task is not None:
            self._tasks.append(self._watch_task)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.stop_recording()
        if self.output is not None:
            self.output.stop()
        if self.pool is not None:
            self.pool.stop()
        if self._cpus_before is not None:
            pin_process(self._cpus_before)
            self._cpus_before = None
        self.autosave()

    def _default_recording(self) -> Path:
        folder = self.settings.home / "recordings"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / time.strftime("livetimbre-%Y%m%d-%H%M%S.wav")

    # --- commands ---------------------------------------------------------------------
    def execute(self, command: c.Command) -> str:
        """Perform one command from any surface; returns a short confirmation."""
        session = self.session
        match command:
            case c.LaunchClip(layer, scene):
                index = session.scene_index(scene)
                return self._launch(layer, index)
            case c.LaunchScene(scene):
                return self._launch_scene(session.scene_index(scene))
            case c.StopLayer(layer):
                session.layer(layer)
                self._stop(layer)
                return f"{layer} stops at the next {session.quantize}"
            case c.StopAll():
                for strip in session.layers:
                    self._stop(strip.name)
                return "all layers stop"
            case _:
                if isinstance(command, c.SetGenre):
                    self.genres.get(command.genre)
                new = self.history.apply(command)
                return self._describe_change(command, new)

    def _describe_change(self, command: c.Command, new: Session) -> str:
        match command:
            case c.SetTempo():
                return f"tempo {new.tempo:g} BPM from the next bar"
            case c.SetKey():
                return f"key {new.key}: re-rendering"
            case c.SetClipPrompt(layer, scene, prompt):
                slot = SlotKey(layer, new.scenes[new.scene_index(scene)].name)
                return f"{slot}: rendering '{prompt}'" if prompt else f"{slot} cleared"
        return "ok"

    def load(self, session: Session, path: Path | None = None) -> None:
        """Replace the whole session (a loaded or hot-reloaded patch)."""
        if path is not None:
            self.patch_path = path
        self.history.replace(session)

    def undo(self) -> bool:
        return self.history.undo()

    def load_patch(self, path: Path) -> str:
        """Load a patch file; an invalid one raises and the current session keeps playing."""
        from livetimbre.patch import load_patch

        session = load_patch(path, self.genres)
        watched = self.patch_path
        self.load(session, path)
        if watched is None or watched.resolve() != path.resolve():
            self._watch_current_patch()
        return f"loaded {path}"

    def on_panic(self, listener: Callable[[], None]) -> None:
        """`listener` runs on /panic (MIDI outputs silence their notes)."""
        self._panic_listeners.append(listener)

    def panic(self) -> str:
        """Stop every layer now, without waiting for a boundary."""
        self._pending.clear()
        for layer in self.session.layers:
            self.engine.submit(StopChannel(layer.name, "none"))
        for listener in self._panic_listeners:
            listener()
        return "panic: all layers stopped"

    def set_generation(self, name: str, value: str) -> str:
        """/duration, /model, /cfg."""
        from dataclasses import replace

        try:
            number = float(value)
        except ValueError:
            number = float("nan")
        if name == "duration":
            if not 5 <= number <= 3600:
                raise ValueProblem(f"Duration {value!r} must be 5 to 3600 seconds.")
            self.generation = replace(self.generation, duration=number)
        elif name == "cfg":
            if not 0 <= number <= 20:
                raise ValueProblem(f"CFG {value!r} must be a number from 0 to 20.")
            self.generation = replace(self.generation, cfg=number)
        else:
            if value not in MODELS:
                raise ValueProblem(f"Model {value!r} is not available; this build renders with: "
                                   f"{', '.join(MODELS)}.")
            self.generation = replace(self.generation, model=value)
        return f"generation: {self.generation}"

    def _launch_scene(self, index: int) -> str:
        """All of a scene's ready clips start on one boundary (one engine command);
        clips still rendering follow when ready; layers without a clip stop."""
        scene = self.session.scenes[index]
        clips: dict[str, ClipId | None] = {}
        waiting = []
        for strip in self.session.layers:
            key = SlotKey(strip.name, scene.name)
            job = self.pool.job(key) if self.pool else None
            self._pending.pop(strip.name, None)
            if strip.name not in scene.clips:
                clips[strip.name] = None
            elif job is not None and job.state is JobState.READY and job.audio is not None:
                clips[strip.name] = self.engine.store(self._clip(key, job))
                self._pending[strip.name] = scene.name
            else:
                self._pending[strip.name] = scene.name
                waiting.append(strip.name)
        self.engine.submit(StartScene(clips, scene.name, self.session.quantize))
        note = f"; {', '.join(waiting)} when rendered" if waiting else ""
        return f"scene {scene.name} launches at the next {self.session.quantize}{note}"

    def _launch(self, layer: str, index: int) -> str:
        session = self.session
        session.layer(layer)
        scene = session.scenes[index]
        if layer not in scene.clips:
            raise ValueProblem(f"Slot {layer} × {scene.name} is empty: give it a prompt with "
                               f"/clip {layer} {index + 1} \"...\".")
        key = SlotKey(layer, scene.name)
        job = self.pool.job(key) if self.pool else None
        if job is not None and job.state is JobState.READY and job.audio is not None:
            self._pending.pop(layer, None)
            clip = self.engine.store(self._clip(key, job))
            self.engine.submit(StartClip(layer, clip, session.quantize))
            self._pending[layer] = scene.name
            return f"{key} launches at the next {session.quantize}"
        self._pending[layer] = scene.name
        if job is not None and job.state is JobState.FAILED and self.pool is not None:
            self.pool.submit(key, job.plan)  # try again: the failure may have been a crash
            return f"{key} failed before ({job.error}); rendering again"
        return f"{key} launches when its render is ready"

    def _stop(self, layer: str) -> None:
        self._pending.pop(layer, None)
        self.engine.submit(StopChannel(layer, self.session.quantize))

    def _clip(self, key: SlotKey, job: RenderJob) -> LoopClip:
        from livetimbre.engine.transport import Transport

        assert job.audio is not None
        plan = job.plan
        per_bar = Transport(plan.sample_rate, plan.tempo, plan.meter).samples_per_bar
        return LoopClip(job.audio, plan.bars, key, per_bar)

    # --- session changes ------------------------------------------------------------
    def _session_changed(self, old: Session, new: Session) -> None:
        if new.tempo != old.tempo:
            self.engine.submit(ChangeTempo(new.tempo))
        if new.quantize != old.quantize:
            self.engine.submit(ChangeQuantize(new.quantize))
        old_names = {layer.name for layer in old.layers}
        new_names = {layer.name for layer in new.layers}
        for name in new_names - old_names:
            self.engine.add_channel(name)
        for name in old_names - new_names:
            self.engine.submit(RemoveChannel(name))
        self._apply_layer_settings(new)
        self._dirty = True
        if self.pool is not None:
            self._plan_all(new)

    def _apply_layer_settings(self, session: Session) -> None:
        for layer in session.layers:
            self.engine.submit(SetChannel(layer.name, layer.gain_db, layer.muted, layer.soloed))

    def _plan_all(self, session: Session) -> None:
        """Plan every slot; only slots whose plan changed are (re-)rendered."""
        assert self.pool is not None
        genre = self.genres.get(session.genre)
        wanted: set[SlotKey] = set()
        for index, scene in enumerate(session.scenes):
            for layer in scene.clips:
                key = SlotKey(layer, scene.name)
                wanted.add(key)
                try:
                    plan = build_clip_plan(session, layer, index, genre, self.settings.sample_rate)
                except LivetimbreError as exc:
                    self.say(f"{key}: {exc}")
                    continue
                job = self.pool.job(key)
                retry = (JobState.CANCELLED, JobState.FAILED)
                if job is not None and job.plan == plan and job.state not in retry:
                    continue
                self.pool.submit(key, plan)
        for key in self.pool.slots():
            if key not in wanted:
                self.pool.cancel(key)

    # --- render results ---------------------------------------------------------------
    def _job_update_from_thread(self, job: RenderJob) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._job_update, job)

    def _job_update(self, job: RenderJob) -> None:
        if self.pool is None or self.pool.job(job.key) is not job:
            return  # superseded
        layer, scene = job.key.layer, job.key.scene
        if job.state is JobState.FAILED:
            self.say(f"✗ {job.key} failed: {job.error}")
            return
        if job.state is not JobState.READY or job.audio is None:
            return
        pending = self._pending.get(layer)
        if self.playing_slot(layer) == job.key and pending != scene:
            clip = self.engine.store(self._clip(job.key, job))
            self.engine.submit(SwapClip(layer, clip, replaces=job.key))
        elif pending == scene:
            clip = self.engine.store(self._clip(job.key, job))
            self.engine.submit(StartClip(layer, clip, self.session.quantize))
        if not job.cached:
            self.say(f"✓ {job.key} ready")

    # --- state for views ------------------------------------------------------------
    def playing_slot(self, layer: str) -> SlotKey | None:
        """The slot whose clip `layer` plays, None if it is stopped."""
        return self.engine.playing_slot(layer)

    def slot_view(self, layer: str, scene_index: int) -> SlotView:
        session = self.session
        scene = session.scenes[scene_index]
        key = SlotKey(layer, scene.name)
        if layer not in scene.clips:
            return SlotView(SlotState.EMPTY)
        job = self.pool.job(key) if self.pool else None
        if self.playing_slot(layer) == key:
            progress = job.progress if job and job.state is JobState.RENDERING else 0.0
            return SlotView(SlotState.PLAYING, progress)
        if job is None or job.state in (JobState.PENDING, JobState.CANCELLED):
            return SlotView(SlotState.QUEUED)
        if job.state is JobState.RENDERING:
            return SlotView(SlotState.RENDERING, job.progress)
        if job.state is JobState.FAILED:
            return SlotView(SlotState.FAILED, 0.0, job.error)
        if self._pending.get(layer) == scene.name:
            return SlotView(SlotState.QUEUED)  # ready, waiting for its boundary
        return SlotView(SlotState.READY)

    def status(self) -> Status:
        bar, beat = self.engine.transport.bar_beat(self.engine.frame)
        return Status(
            bar=bar, beat=beat, tempo=self.engine.transport.tempo, key=self.session.key,
            quantize=self.session.quantize,
            underruns=self.output.underruns if self.output else 0,
            renders=self.pool.in_flight() if self.pool else 0,
            recording=str(self.recording) if self.recording else "",
        )

    # --- engine events ----------------------------------------------------------------
    def _engine_events(self, events: list[EngineEvent]) -> None:
        """A launch of the clip a layer waited for ends the wait."""
        for event in events:
            if event.kind is EventKind.LAUNCH:
                pending = self._pending.get(event.layer)
                if pending is not None and event.slot == SlotKey(event.layer, pending):
                    del self._pending[event.layer]

    # --- recording and persistence -----------------------------------------------------
    def start_recording(self, path: Path) -> str:
        if self.recording is not None:
            raise ValueProblem(f"Already recording to {self.recording}; /record stop first.")
        check_output_path(path)
        self.engine.start_recording(path)
        self.recording = path
        return f"recording to {path}"

    def stop_recording(self) -> str:
        path = self.recording
        if path is None:
            return "not recording"
        self.recording = None
        frames, start, dropped = self.engine.stop_recording()
        write_json(path.with_name(path.name + ".json"), {
            "kind": "recording", "sample_rate": self.engine.sample_rate, "frames": frames,
            "start_frame": start, "dropped_frames": dropped,
            "underruns": self.engine.underruns,
            "patch": session_to_patch(self.session),
            "events": [e.as_dict() for e in list(self.engine.events) if e.frame >= start],
        })
        return f"recorded {frames / self.engine.sample_rate:.1f} s to {path}"

    @property
    def autosave_path(self) -> Path:
        return self.settings.home / "autosave.yaml"

    def autosave(self) -> None:
        """Write the session as a patch under $LIVETIMBRE_HOME, atomically."""
        self.save(self.autosave_path)
        self._dirty = False

    def save(self, path: Path) -> Path:
        import yaml

        path.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump(session_to_patch(self.session), sort_keys=False,
                              allow_unicode=True)
        with atomic_path(path) as tmp:
            tmp.write_text(text, encoding="utf-8")
        return path

    async def _autosave_every(self) -> None:
        last = time.monotonic()
        while True:
            await asyncio.sleep(0.5)
            now = time.monotonic()
            if self._dirty or now - last >= AUTOSAVE_SECONDS:
                try:
                    self.autosave()
                except OSError as exc:
                    self.say(f"autosave failed: {exc}")
                last = now
