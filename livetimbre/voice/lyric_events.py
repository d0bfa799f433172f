"""The sung syllables as MIDI lyric meta-events: one per syllable, at its first note.

A syllable that does not end its word carries a trailing '-' (the karaoke convention:
"hel-" "lo"); the notes of a melisma after its first carry no event.
"""

from __future__ import annotations

__all__ = ["LyricEvent", "lyric_events"]

from livetimbre.voice.score import SungNote, VocalLine

LyricEvent = tuple[float, str]  # (beat from the start of the line's pass, text)


def _continues(note: SungNote, after: SungNote | None) -> bool:
    """Whether the next syllable sung is the same word's next one."""
    return (after is not None and after.word == note.word
            and after.syllable_index == note.syllable_index + 1)


def lyric_events(line: VocalLine, offset: float = 0.0) -> list[LyricEvent]:
    """(beat, text) of each syllable of `line`, its notes shifted by `offset` beats."""
    sung = [n for n in line.notes if not n.melisma]
    events: list[LyricEvent] = []
    for index, note in enumerate(sung):
        after = sung[index + 1] if index + 1 < len(sung) else None
        text = note.syllable + ("-" if _continues(note, after) else "")
        if text.strip():
            events.append((offset + note.start, text))
    return events
