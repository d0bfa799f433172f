"""Render backends by name: 'procedural' ships with livetimbre; packages add more through
the `livetimbre.backends` entry-point group (a factory `(model, context) -> Backend`).

A layer names its backend in the patch (`backend: NAME[:MODEL]`), the session's default
comes from `/model`; unknown names are refused with the list of known ones.
"""

from __future__ import annotations

__all__ = ["ENTRY_POINT_GROUP", "BackendFactory", "Backends", "check_backend_known",
           "check_session_backends", "known_backends", "split_spec"]

from collections.abc import Callable
from importlib.metadata import EntryPoint, entry_points

from livetimbre.errors import ValueProblem
from livetimbre.render.backends.base import Backend, BackendContext
from livetimbre.session.model import Session

ENTRY_POINT_GROUP = "livetimbre.backends"
BackendFactory = Callable[[str | None, BackendContext], Backend]


def _procedural(model: str | None, context: BackendContext) -> Backend:
    from livetimbre.render.backends.procedural import ProceduralBackend

    if model is not None:
        raise ValueProblem(f"The procedural backend takes no model (got 'procedural:{model}').")
    return ProceduralBackend.from_context(context)


def _musicgen(model: str | None, context: BackendContext) -> Backend:
    # Builds without torch: the model loads in the worker on the first render.
    from livetimbre.render.backends.musicgen.backend import MusicGenBackend
    from livetimbre.render.backends.musicgen.timing import DEFAULT_MODEL

    return MusicGenBackend(model or DEFAULT_MODEL, context)


def _sample(model: str | None, context: BackendContext) -> Backend:
    from livetimbre.render.backends.sample import SampleBackend

    if model is not None:
        raise ValueProblem(f"The sample backend takes no model (got 'sample:{model}').")
    return SampleBackend(context)


_BUILTIN: dict[str, BackendFactory] = {"procedural": _procedural, "musicgen": _musicgen,
                                       "sample": _sample}


def split_spec(spec: str) -> tuple[str, str | None]:
    """'musicgen:facebook/musicgen-small' → ('musicgen', 'facebook/musicgen-small')."""
    name, _, model = spec.partition(":")
    return name, model or None


def _plugins() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def known_backends() -> list[str]:
    """The names of every backend a layer can name ('sample' is not one: it plays the
    `{sample: FILE}` clips)."""
    return sorted({*_BUILTIN, *_plugins()} - {"sample"})


def _factory(name: str) -> BackendFactory:
    if name in _BUILTIN:
        return _BUILTIN[name]
    plugin = _plugins().get(name)
    if plugin is None:
        raise ValueProblem(f"Unknown backend '{name[:40]}' (known: {', '.join(known_backends())}).")
    factory: BackendFactory = plugin.load()
    if not callable(factory):
        raise ValueProblem(f"Backend '{name}' does not name a factory ({plugin.value}).")
    return factory


def check_backend_known(spec: str) -> str:
    """`spec` if its name is a known backend; ValueProblem listing the known ones."""
    name, _model = split_spec(spec)
    if name == "sample":
        raise ValueProblem("The sample backend is not named: a clip written "
                           "{sample: FILE} (or /sample) plays a loop.")
    if name not in _BUILTIN and name not in _plugins():
        raise ValueProblem(f"Unknown backend '{name[:40]}' (known: {', '.join(known_backends())}).")
    return spec


def check_session_backends(session: Session) -> None:
    """Every backend the session names is known; ValueProblem naming the layer if not."""
    for layer in session.layers:
        spec = session.backend_for(layer.name)
        try:
            check_backend_known(spec)
        except ValueProblem as exc:
            raise ValueProblem(f"Layer {layer.name}: {exc}") from None


class Backends:
    """The backends of one process, built on first use and kept by spec."""

    def __init__(self, context: BackendContext,
                 built: dict[str, Backend] | None = None) -> None:
        self.context = context
        self._built: dict[str, Backend] = dict(built or {})

    def get(self, spec: str) -> Backend:
        """The backend for 'NAME[:MODEL]'; ValueProblem for an unknown name."""
        backend = self._built.get(spec)
        if backend is None:
            name, model = split_spec(spec)
            backend = _factory(name)(model, self.context)
            self._built[spec] = backend
        return backend
