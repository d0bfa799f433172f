"""Singing synthesis without downloaded weights: espeak-ng speaks each syllable, the
WORLD vocoder (pyworld) re-sings it at the note's pitch and length.

Both are optional: `singer_status()` says what is missing, and callers then fall back
to the wordless choir. Nothing here imports pyworld until a line is sung.
"""

from __future__ import annotations

__all__ = ["TAIL_SECONDS", "sing", "singer_status", "sung_frames"]

from livetimbre.voice.singing.singer import TAIL_SECONDS, sing, sung_frames
from livetimbre.voice.singing.status import singer_status
