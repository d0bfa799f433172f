"""What the stages of a compose run work with: the genres, the backends, the progress
shown and the artifact store the release keeps its files in.

`open_runtime` builds it the same way for every caller (`livetimbre compose`, `/compose`
in its background process): the backends from the request, the store opened beside
them; a store that cannot be opened is said (a warning) and the run goes on without.
"""

from __future__ import annotations

__all__ = ["Runtime", "open_runtime"]

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from livetimbre.genres import GenreRegistry
from livetimbre.render.backends import BackendContext, Backends
from livetimbre.track.progress import SectionProgress
from livetimbre.track.request import ComposeRequest
from livetimbre.track.sink import NO_STORE, ArtifactSink
from livetimbre.track.storing import open_sink


@dataclass
class Runtime:
    """The genres, backends, progress and artifact sink of one run."""

    genres: GenreRegistry
    backends: Backends
    progress: SectionProgress = field(default_factory=SectionProgress)
    sink: ArtifactSink = NO_STORE


@contextmanager
def open_runtime(request: ComposeRequest, genres: GenreRegistry, home: Path | None,
                 store: Path | None, progress: SectionProgress) -> Iterator[Runtime]:
    """The runtime for `request`: its backends (sample rate, synth, SoundFont), and the
    artifact store at `store` (None: none), closed when the block ends."""
    soundfont = Path(request.soundfont) if request.soundfont else None
    backends = Backends(BackendContext(request.sample_rate, genres, request.synth, soundfont,
                                       home))
    if store is None:
        yield Runtime(genres, backends, progress)
        return
    sink, problem = open_sink(store)
    if sink is None:
        progress.warn(problem)
        yield Runtime(genres, backends, progress)
        return
    try:
        yield Runtime(genres, backends, progress, sink)
    finally:
        sink.close()
