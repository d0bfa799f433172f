"""The MusicGen backend: text (and a motif's audio) → a loop fitted to the bar grid.

Built by the registry as `musicgen[:MODEL]` (a hub id such as facebook/musicgen-small,
or a local folder). Importing this package loads nothing heavy: torch, transformers,
librosa and beat_this load inside the render worker on the first MusicGen render.

Modules, one job each: `device` (cuda → mps → cpu), `hub` (models on disk: resolve,
list, pull, rm), `loading` (model + processor, kept per model id), `prompt` (Timbre §5
prompts), `generate` (sampling with progress and cancellation), `melody` (MusicGen-
Melody's chroma input, computed here), `beatnet` (beat_this on a mel input of our own),
`timing` (bars ahead), `backend` (the Backend, with the procedural fallback and the
motifs it continues).
"""

from livetimbre.render.backends.musicgen.errors import ModelUnavailable
from livetimbre.render.backends.musicgen.timing import DEFAULT_MODEL, bars_ahead, render_seconds

__all__ = ["DEFAULT_MODEL", "ModelUnavailable", "bars_ahead", "render_seconds"]
