"""Standard MIDI file export of composed parts (mido)."""

from __future__ import annotations

__all__ = ["parts_to_midi", "write_midi"]

from collections.abc import Sequence
from pathlib import Path

import mido

from livetimbre.files.write import atomic_path
from livetimbre.music.notes import Part
from livetimbre.music.theory import Meter

TICKS_PER_BEAT = 480


def parts_to_midi(
    tracks: Sequence[tuple[str, float, Part]], tempo: float, meter: Meter,
    lyrics: Sequence[tuple[str, float, str]] = (),
) -> mido.MidiFile:
    """A type-1 MIDI file: tempo and meter first, then one track per layer (`name`)
    holding each of its (start beat, part) passes in order, its program at each, and
    the (layer, beat, text) `lyrics` as lyric meta-events (UTF-8) in their layer's track.

    `tempo` counts quarter notes per minute, as MIDI's does; start beats and note
    positions count the meter's beats (1/meter.unit notes). Ticks count quarter notes.
    """
    midi = mido.MidiFile(type=1, ticks_per_beat=TICKS_PER_BEAT, charset="utf-8")
    conductor = mido.MidiTrack()
    conductor.append(mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(tempo)))
    conductor.append(
        mido.MetaMessage("time_signature", numerator=meter.beats, denominator=meter.unit)
    )
    midi.tracks.append(conductor)
    tick = TICKS_PER_BEAT * 4 / meter.unit  # ticks per beat of the meter
    melodic = [c for c in range(16) if c != 9]
    by_layer: dict[str, list[tuple[int, int, mido.Message]]] = {}
    channels: dict[str, int] = {}
    for name, offset, part in tracks:
        if part.channel == 9:
            channel = 9
        else:
            channel = channels.setdefault(name, melodic[len(channels) % len(melodic)])
        timed = by_layer.setdefault(name, [])
        timed.append((round(offset * tick), 0, mido.Message("program_change", channel=channel,
                                                             program=part.program)))
        for note in part.notes:
            on = round((offset + note.start) * tick)
            off = max(on + 1, round((offset + note.start + note.duration) * tick))
            timed.append((on, 2, mido.Message("note_on", channel=channel, note=note.pitch,
                                              velocity=note.velocity)))
            timed.append((off, 1, mido.Message("note_off", channel=channel, note=note.pitch)))
    for name, at, text in lyrics:  # before the note it names, at the same tick
        by_layer.setdefault(name, []).append(
            (round(at * tick), 1, mido.MetaMessage("lyrics", text=text)))
    for name, timed in by_layer.items():
        track = mido.MidiTrack()
        track.append(mido.MetaMessage("track_name", name=name))
        timed.sort(key=lambda t: (t[0], t[1]))
        now = 0
        for at, _, message in timed:
            track.append(message.copy(time=at - now))
            now = at
        midi.tracks.append(track)
    return midi


def write_midi(
    path: Path, tracks: Sequence[tuple[str, float, Part]], tempo: float, meter: Meter,
    lyrics: Sequence[tuple[str, float, str]] = (),
) -> None:
    """Write the parts (and `lyrics`, see `parts_to_midi`) as a standard MIDI file at
    `path`, atomically."""
    midi = parts_to_midi(tracks, tempo, meter, lyrics)
    with atomic_path(path) as tmp:
        midi.save(str(tmp))
