"""One clip rendered on a render server: its plan sent as it is, its audio fetched,
checked (SHA-256, sample rate, length, the plan the server says it rendered) and
decoded into the clip a local worker would have made."""

from __future__ import annotations

__all__ = ["ServerStatus", "decode_served_clip", "render_on_server"]

import io
from collections.abc import Callable
from typing import Any

import numpy as np
import soundfile
from pydantic import ValidationError

from livetimbre.music.notes import part_from_data
from livetimbre.planner.clip import ClipPlan
from livetimbre.remote.client import RemoteProblem
from livetimbre.remote.models import ClipRequest, GenerationStatus
from livetimbre.remote.service import RenderServer
from livetimbre.render.backends.base import RenderedClip
from livetimbre.render.info import ClipInfo

ServerStatus = Callable[[GenerationStatus], None]


def _clip_request(plan: ClipPlan) -> ClipRequest:
    return ClipRequest(kind="clip", prompt=plan.prompt.strip() or f"{plan.layer}@{plan.scene}",
                       layer=plan.layer, plan=plan)


def decode_served_clip(plan: ClipPlan, data: bytes, sidecar: dict[str, Any], url: str
                       ) -> tuple[RenderedClip, dict[str, str]]:
    """The clip (loop, tail, notes, info naming the server at `url`) in a served WAV and
    its sidecar, and the versions of the backend that rendered it; RemoteProblem if it
    is not `plan`'s."""
    try:
        if sidecar.get("plan") != plan.model_dump(mode="json"):
            raise ValueError("the server rendered another plan")
        audio, rate = soundfile.read(io.BytesIO(data), dtype="float32", always_2d=True)
        frames, tail = int(sidecar["frames"]), int(sidecar["tail_frames"])
        if rate != plan.sample_rate or audio.shape != (frames + tail, 2) or frames != plan.frames:
            raise ValueError(f"{audio.shape[0]} frames × {audio.shape[1]} channels at "
                             f"{rate} Hz, not {plan.frames} frames and a tail at "
                             f"{plan.sample_rate} Hz")
        if not np.isfinite(audio).all():
            raise ValueError("audio with NaN or infinite samples")
        versions = {str(k): str(v) for k, v in dict(sidecar["backend"]["versions"]).items()}
        part = sidecar.get("part")
        info = ClipInfo.model_validate(sidecar.get("info") or {}).join(ClipInfo(server=url))
        clip = RenderedClip(plan=plan, audio=audio[:frames],
                            recipe_hash=plan.recipe_hash(plan.backend, versions),
                            part=None if part is None else part_from_data(part), info=info,
                            tail=audio[frames:] if tail else None)
    except (ValueError, KeyError, TypeError, AttributeError, RuntimeError,
            ValidationError) as exc:
        raise RemoteProblem(f"the server's clip is refused: {str(exc)[:200]}") from None
    return clip, versions


def render_on_server(server: RenderServer, plan: ClipPlan, on_status: ServerStatus,
                     cancelled: Callable[[], bool] = lambda: False
                     ) -> tuple[RenderedClip, dict[str, str]]:
    """Render `plan` on `server` (blocking: never on the audio or control thread); the
    clip, its info naming the server, and its versions. RemoteProblem (counted by the
    server's breaker when the server is to blame) when it cannot."""
    client = server.client
    try:
        status = client.submit(_clip_request(plan))
        on_status(status)
        status = client.follow(status, on_status, cancelled)
        data = client.audio(status.job_id)
        clip, versions = decode_served_clip(plan, data, client.artifact(status.job_id).sidecar,
                                            server.url)
    except RemoteProblem as problem:
        if problem.reason != "cancelled":
            server.failed(problem)
        raise
    server.succeeded()
    return clip, versions
