"""Render backends by name: 'procedural' (composer + synth); plug-ins add more."""

from livetimbre.render.backends.base import (
    Backend,
    BackendContext,
    Progress,
    RenderCancelled,
    RenderedClip,
)
from livetimbre.render.backends.registry import (
    Backends,
    check_backend_known,
    check_session_backends,
    known_backends,
    split_spec,
)

__all__ = ["Backend", "BackendContext", "Backends", "Progress", "RenderCancelled", "RenderedClip",
           "check_backend_known", "check_session_backends", "known_backends",
           "split_spec"]
