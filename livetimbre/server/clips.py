"""Clip requests: a one-layer, one-scene session (as a patch with those values would
load), its v4 clip plan, and the rendered loop as a float32 WAV with its sidecar."""

from __future__ import annotations

__all__ = ["SCENE", "clip_plan", "clip_session", "encode_clip_wav", "render_clip"]

import io
from typing import Any

import numpy as np
import soundfile

from livetimbre import __version__
from livetimbre.errors import ValueProblem
from livetimbre.genres import GenreRegistry
from livetimbre.mastering.qa import clip_report
from livetimbre.music.notes import part_data
from livetimbre.music.tempo import clip_frames
from livetimbre.music.theory import parse_meter
from livetimbre.music.values import check_bars
from livetimbre.planner.clip import ClipPlan, build_clip_plan
from livetimbre.planner.direction import direct_prompt
from livetimbre.remote.models import ClipRequest
from livetimbre.render.backends import Backends, Progress, RenderedClip, check_backend_known
from livetimbre.render.worker import check_rendered
from livetimbre.session.model import ClipSlot, Layer, Scene, Session

SCENE = "clip"  # the one scene of a clip request's session


def clip_session(request: ClipRequest, genres: GenreRegistry) -> Session:
    """The session a patch with the request's values loads as: the genre (asked for,
    else the director's reading of the prompt) fills in tempo, key and meter."""
    genre = genres.get(request.genre or direct_prompt(request.prompt, genres).genre.id)
    meter = request.meter or genre.rhythm.time_signatures[0]
    tempo = request.tempo if request.tempo is not None else genre.rhythm.tempo
    bars = request.bars
    if request.duration is not None:  # whole bars, at least one
        seconds_per_bar = parse_meter(meter).beats * 60.0 / tempo
        bars = check_bars(max(1, round(request.duration / seconds_per_bar)), "duration")
    slot = ClipSlot(request.prompt)
    return Session(tempo=tempo, key=request.key or genre.harmony.common_keys[0], meter=meter,
                   genre=genre.id, seed=request.seed, bars=bars or 4,
                   layers=(Layer(request.layer, request.instrument,
                                 backend=check_backend_known(request.backend_spec),
                                 sampling=dict(request.sampling)),),
                   scenes=(Scene(SCENE, {request.layer: slot}),))


def clip_plan(request: ClipRequest, genres: GenreRegistry, sample_rate: int) -> ClipPlan:
    """The v4 plan a clip request renders (the one it carries, else one built from its
    values); ValueProblem (and kin) for a bad value."""
    if request.plan is not None:
        return _checked_plan(request.plan, genres, sample_rate)
    session = clip_session(request, genres)
    return build_clip_plan(session, request.layer, 0, genres.get(session.genre), sample_rate,
                           genres=genres)


def _checked_plan(plan: ClipPlan, genres: GenreRegistry, sample_rate: int) -> ClipPlan:
    """A client's plan, if this server can render it as the client would."""
    if plan.sample_rate != sample_rate:
        raise ValueProblem(f"plan.sample_rate {plan.sample_rate} Hz: this server renders at "
                           f"{sample_rate} Hz")
    genres.get(plan.genre)  # an unknown genre names itself
    if plan.sample is not None or plan.kit is not None:
        raise ValueProblem("plan.sample and plan.kit name files of the client's machine: "
                           "a render server plays none (they render where the files are)")
    check_backend_known(plan.backend)
    expected = clip_frames(plan.bars, sample_rate, plan.tempo, parse_meter(plan.meter))
    if plan.frames != expected:
        raise ValueProblem(f"plan.frames {plan.frames}: {plan.bars} bars of {plan.meter} at "
                           f"{plan.tempo:g} BPM are {expected} frames")
    return plan


def encode_clip_wav(clip: RenderedClip) -> bytes:
    """The loop, then its tail, as a float32 stereo WAV: exactly the rendered samples."""
    parts = [clip.audio] if clip.tail is None else [clip.audio, clip.tail]
    audio = np.ascontiguousarray(np.concatenate(parts), dtype=np.float32)
    out = io.BytesIO()
    soundfile.write(out, audio, clip.plan.sample_rate, format="WAV", subtype="FLOAT")
    return _untimed(out.getvalue())


def _untimed(wav: bytes) -> bytes:
    """`wav` with the time libsndfile stamps in its PEAK chunk set to 0, so the same clip
    is the same bytes (and ETag) whenever and wherever it is rendered."""
    data = bytearray(wav)
    offset = 12  # past 'RIFF', its size and 'WAVE'
    while offset + 8 <= len(data):
        size = int.from_bytes(data[offset + 4:offset + 8], "little")
        if data[offset:offset + 4] == b"PEAK" and size >= 8:
            data[offset + 12:offset + 16] = bytes(4)  # after the chunk's version
            break
        offset += 8 + size + (size & 1)
    return bytes(data)


def render_clip(plan: ClipPlan, backends: Backends, progress: Progress | None
                ) -> tuple[bytes, dict[str, Any]]:
    """Render `plan`; its WAV and sidecar (the plan embedded, the notes when the backend
    wrote notes, the QA figures of the loop)."""
    backend = backends.get(plan.backend)
    clip = check_rendered(backend.render(plan, progress), backend)
    versions = backend.versions()
    sidecar = {
        "livetimbre": __version__, "kind": "clip", "sample_rate": plan.sample_rate,
        "frames": plan.frames, "tail_frames": 0 if clip.tail is None else len(clip.tail),
        "seconds": round(plan.frames / plan.sample_rate, 6), "plan": plan.model_dump(mode="json"),
        "recipe_hash": plan.recipe_hash(plan.backend, versions),
        "backend": {"spec": plan.backend, "versions": versions,
                    **({"note": backend.note} if backend.note else {})},
        "info": clip.info.sidecar(),
        "part": None if clip.part is None else part_data(clip.part),
        "qa": clip_report(clip.audio)}
    return encode_clip_wav(clip), sidecar
