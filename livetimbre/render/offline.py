"""Offline rendering of a patch: plan and render every clip, replay the scenes through
`Engine.process`, master the mix, and collect everything the sidecar records.

A render ends as a performer stopping every layer on the last bar line would: a clip
whose loop pass ends there rings on with its tail (the release of its last notes, faded
to silence where it dies away); a clip stopped mid-pass, or one without a tail, fades
out over as long as its tail would ring, and at least ENDING_FADE_SECONDS (or its
layer's release, if longer). The render lasts until the last of them is silent.
"""

from __future__ import annotations

__all__ = ["OfflineRender", "render_session"]

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from livetimbre import __version__
from livetimbre.engine.commands import (
    ClipId,
    SetChannel,
    SetRelease,
    StartScene,
    StopChannel,
    StoreClip,
)
from livetimbre.engine.effects import effect_commands
from livetimbre.engine.engine import Engine
from livetimbre.engine.events import EngineEvent
from livetimbre.engine.mixer import LoopClip
from livetimbre.mastering import MasterResult, master
from livetimbre.mastering.qa import clip_report, ending_report, track_report
from livetimbre.music.notes import Part
from livetimbre.music.values import MAX_RELEASE_MS, check_bars
from livetimbre.patch.dump import session_to_patch
from livetimbre.planner.clip import ClipPlan, build_clip_plan
from livetimbre.remote.client import RemoteProblem
from livetimbre.remote.service import RenderServer
from livetimbre.render.backends import Backends, RenderedClip
from livetimbre.render.cache import ClipCache
from livetimbre.render.info import ClipInfo
from livetimbre.render.remote import render_on_server
from livetimbre.render.scenes import scene_launch
from livetimbre.session.model import Session, SlotKey

Progress = Callable[[str], None]
ENDING_FADE_SECONDS = 1.0
FX_TAIL_SECONDS = 8.0  # the longest an ending waits for the delay and reverb to die away


@dataclass
class OfflineRender:
    """The result of rendering a session offline."""

    session: Session
    sample_rate: int
    scene_order: list[int]
    scene_bars: list[int]
    clips: dict[tuple[str, int], RenderedClip]
    mix: np.ndarray
    mastered: MasterResult
    events: list[EngineEvent]
    end_frame: int  # where the last bar ends and the ending (tails, releases) begins
    backends: dict[str, dict[str, str]]  # the versions of each backend spec used
    notes: list[str] = field(default_factory=list)  # how backends were set up (fallbacks)
    stems: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def frames(self) -> int:
        return int(self.mix.shape[0])

    def passes(self) -> list[tuple[str, float, float, RenderedClip]]:
        """(layer, start beat, beats it plays, clip) for every clip pass, looped to fill
        its scene (the last pass cut at the scene's end)."""
        beats_per_bar = int(self.session.meter.split("/")[0])
        out = []
        start_bar = 0
        for index, bars in zip(self.scene_order, self.scene_bars, strict=True):
            for (layer, scene), clip in self.clips.items():
                for offset in range(0, bars if scene == index else 0, clip.plan.bars):
                    out.append((layer, float((start_bar + offset) * beats_per_bar),
                                float(min(clip.plan.bars, bars - offset) * beats_per_bar),
                                clip))
            start_bar += bars
        return out

    def midi_tracks(self) -> list[tuple[str, float, Part]]:
        """(layer, start beat, part) for every clip pass, looped to fill its scene."""
        tracks = []
        for layer, start, beats, clip in self.passes():
            part = clip.part
            if part is None:
                continue
            if beats < part.beats:
                part = replace(part, notes=tuple(n for n in part.notes if n.start < beats))
            tracks.append((layer, start, part))
        return tracks

    def sidecar(self) -> dict[str, Any]:
        """Everything needed to understand and regenerate this render."""
        qa_clips = {
            str(SlotKey(layer, self.session.scenes[scene].name)): clip_report(clip.audio)
            for (layer, scene), clip in self.clips.items()
        }
        return {
            "livetimbre": __version__,
            "kind": "render",
            "sample_rate": self.sample_rate,
            "frames": self.frames,
            "recipe": {
                "patch": session_to_patch(self.session),
                "scenes": [i + 1 for i in self.scene_order],
                "scene_bars": self.scene_bars,
                "sample_rate": self.sample_rate,
            },
            "backends": self.backends,
            **({"notes": self.notes} if self.notes else {}),
            "plans": [
                {**clip.plan.model_dump(mode="json"), "recipe_hash": clip.recipe_hash,
                 **clip.info.sidecar()}
                for clip in self.clips.values()
            ],
            "events": [e.as_dict() for e in self.events],
            "mastering": {
                "input_lufs": round(self.mastered.input_lufs, 2),
                "gain_db": round(self.mastered.gain_db, 2),
                "max_limiter_reduction_db": round(self.mastered.max_reduction_db, 2),
            },
            "qa": {
                **track_report(self.mastered.audio, self.sample_rate),
                "ending": ending_report(self.mastered.audio, self.sample_rate, self.end_frame),
                "silent_clips": sorted(k for k, v in qa_clips.items() if v["silent"]),
                "seam_failures": sorted(k for k, v in qa_clips.items() if not v["seam_ok"]),
                "clips": qa_clips,
            },
        }


def _replay(
    session: Session,
    sample_rate: int,
    block_size: int,
    order: Sequence[int],
    bars: Sequence[int],
    clips: dict[tuple[str, int], RenderedClip],
    only_layer: str | None = None,
    frames: int | None = None,
) -> tuple[np.ndarray, list[EngineEvent], int]:
    """Store the clips, launch each scene on its bar line (as a performer would, through
    the one scene-launch path), stop every layer on the last bar line and run
    `Engine.process` block by block until the ending is silent (or for `frames`); with
    `only_layer`, every other layer is muted (a stem). Returns the audio, the engine's
    events and the frame where the last bar ends."""
    engine = Engine(sample_rate, session.tempo, session.meter,
                    [layer.name for layer in session.layers], block_size=block_size)
    for layer in session.layers:
        muted = layer.muted or (only_layer is not None and layer.name != only_layer)
        engine.submit(SetChannel(layer.name, layer.gain_db, muted, layer.soloed))
        engine.submit(SetRelease(layer.name, layer.release_ms))
    for command in effect_commands(session):
        engine.submit(command)
    ids: dict[tuple[str, int], ClipId] = {}
    for number, (key, clip) in enumerate(clips.items(), start=1):
        slot = SlotKey(key[0], session.scenes[key[1]].name)
        engine.submit(StoreClip(number, LoopClip(clip.audio, clip.plan.bars, slot,
                                                 tail=clip.tail)))
        ids[key] = number
    at_bar = 0
    for index, scene_bars in zip(order, bars, strict=True):
        def stored(layer: str, _scene: str, index: int = index) -> ClipId | None:
            return ids.get((layer, index))

        launch = scene_launch(session, index, stored)
        engine.submit(StartScene(launch.clips, scene=launch.scene, at_bar=at_bar))
        at_bar += scene_bars
    last_bar = engine.transport.frame_at(at_bar)
    chunks = [_run(engine, last_bar, block_size)]
    _stop_everything(engine, session, clips, order[-1], at_bar)
    if frames is None:
        while any(channel.active for channel in engine.channels.values()):
            chunks.append(_run(engine, block_size, block_size))
        rings = 0  # the delay's repeats and the reverb's tail, for FX_TAIL_SECONDS at most
        while engine.effects.ringing and rings < FX_TAIL_SECONDS * sample_rate:
            chunks.append(_run(engine, block_size, block_size))
            rings += block_size
    else:
        chunks.append(_run(engine, frames - last_bar, block_size))
    return np.concatenate(chunks), list(engine.events), last_bar


def _run(engine: Engine, frames: int, block_size: int) -> np.ndarray:
    out = np.zeros((frames, 2), np.float32)
    position = 0
    while position < frames:
        count = min(block_size, frames - position)
        engine.process(count, out[position:position + count])
        engine.drop_retired()
        position += count
    return out


def _stop_everything(engine: Engine, session: Session,
                     clips: dict[tuple[str, int], RenderedClip], last_scene: int,
                     at_bar: int) -> None:
    """Every layer stops on bar `at_bar`: with its clip's tail if its pass ends there,
    else fading out over as long as the tail rings, ENDING_FADE_SECONDS at least."""
    for layer in session.layers:
        clip = clips.get((layer.name, last_scene))
        tail = clip.tail if clip is not None else None
        rings_ms = 1000 * (tail.shape[0] if tail is not None else 0) / engine.sample_rate
        fade_ms = max(layer.release_ms, 1000 * ENDING_FADE_SECONDS, rings_ms)
        engine.submit(SetRelease(layer.name, min(MAX_RELEASE_MS, fade_ms)))
        engine.submit(StopChannel(layer.name, at_bar=at_bar))


def _what(plan: ClipPlan) -> str:
    """A clip in a progress line: its prompt, or its loop's file name."""
    return plan.prompt if plan.sample is None else f"loop {Path(plan.sample.path).name}"


def _render_clip(plan: ClipPlan, backends: Backends, versions: dict[str, str],
                 server: RenderServer | None, say: Progress) -> tuple[RenderedClip, dict[str, str]]:
    """`plan` rendered on `server` when it answers, else here; and the versions used."""
    fallback = ""
    if plan.sample is not None or plan.kit is not None:  # files of this machine
        server = None
    if server is not None and (server.usable() or server.probe()):
        try:
            return render_on_server(server, plan, lambda _status: None)
        except RemoteProblem as problem:
            fallback = f"rendered locally: {problem.reason}"
    elif server is not None:
        fallback = server.refusal_note()
    if fallback:
        say(f"  {fallback}")
    backend = backends.get(plan.backend)
    note = backend.note
    clip = backend.render(plan)
    if backend.note and backend.note != note:  # found out while rendering
        say(backend.note)
    if fallback:
        clip = replace(clip, info=clip.info.join(ClipInfo(server_fallback=fallback)))
    return clip, versions


def render_session(
    session: Session,
    backends: Backends,
    *,
    sample_rate: int = 48000,
    block_size: int = 256,
    scenes: Sequence[int] | None = None,
    bars: int | None = None,
    stems: bool = False,
    progress: Progress | None = None,
    cache: ClipCache | None = None,
    server: RenderServer | None = None,
) -> OfflineRender:
    """Render `session`'s scenes (0-based `scenes`, default all in order) and master them;
    with `cache`, a clip whose recipe the store holds is taken from it, not rendered, and
    each clip rendered is kept there; with `server`, clips render there while it
    answers (here when it does not, said so in the clip's info)."""
    say = progress or (lambda _message: None)
    order = list(scenes) if scenes is not None else list(range(len(session.scenes)))
    if bars is not None:
        bars = check_bars(bars, "--bars")
    scene_bars = [bars or session.scene_bars(i) for i in order]
    genre = backends.context.genres.get(session.genre)
    plans: dict[tuple[str, int], ClipPlan] = {}
    for index in dict.fromkeys(order):
        for layer in session.scenes[index].clips:
            plans[(layer, index)] = build_clip_plan(session, layer, index, genre, sample_rate,
                                                    genres=backends.context.genres)
    rendered: dict[tuple[str, int], RenderedClip] = {}
    by_recipe: dict[str, RenderedClip] = {}
    used: dict[str, dict[str, str]] = {}
    for number, (key, plan) in enumerate(plans.items(), start=1):
        backend = backends.get(plan.backend)
        if plan.backend not in used and backend.note:
            say(backend.note)
        used[plan.backend] = backend.versions()
        say(f"rendering clip {number}/{len(plans)}: {key[0]} × {session.scenes[key[1]].name} "
            f"({plan.bars} bars, '{_what(plan)}', {plan.backend})")
        recipe = plan.recipe_hash(plan.backend, used[plan.backend])
        if recipe not in by_recipe:
            stored = cache.find(plan, recipe) if cache is not None else None
            if stored is not None:
                say("  found in the store's render cache")
                by_recipe[recipe] = stored
            else:
                clip, versions = _render_clip(plan, backends, used[plan.backend], server, say)
                by_recipe[recipe] = clip
                if cache is not None:
                    cache.put(clip, versions)
        rendered[key] = by_recipe[recipe]
    say(f"mixing {len(order)} scene(s), {sum(scene_bars)} bars")
    mix, events, end_frame = _replay(session, sample_rate, block_size, order, scene_bars,
                                     rendered)
    say("mastering")
    mastered = master(mix, sample_rate, genre.production.target_lufs)
    notes = [backends.get(spec).note for spec in used if backends.get(spec).note]
    result = OfflineRender(session, sample_rate, order, scene_bars, rendered, mix, mastered,
                           events, end_frame, used, notes)
    if stems:
        gain = np.float32(10 ** (mastered.gain_db / 20))
        for stem_layer in session.layers:
            say(f"rendering stem {stem_layer.name}")
            stem, _, _ = _replay(session, sample_rate, block_size, order, scene_bars,
                                 rendered, only_layer=stem_layer.name, frames=mix.shape[0])
            result.stems[stem_layer.name] = stem * gain
    return result
