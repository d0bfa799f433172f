"""The voice's outputs: `.lrc` stamps from line start beats at the tempo (meter-aware),
lyric meta-events in the MIDI export, a `.lrc` file beside its audio."""

from __future__ import annotations

from pathlib import Path

import mido
import pytest

from livetimbre.compose.midi import TICKS_PER_BEAT, parts_to_midi, write_midi
from livetimbre.errors import FileProblem
from livetimbre.music.notes import NoteEvent, Part
from livetimbre.music.theory import parse_meter
from livetimbre.outputs import companion_entries, write_lrc
from livetimbre.voice.info import line_at, vocal_info
from livetimbre.voice.lrc import beat_seconds, lrc_stamp, lrc_text
from livetimbre.voice.lyric_events import lyric_events
from livetimbre.voice.score import LyricLine, SungNote, VocalLine

pytestmark = pytest.mark.timeout(30)


def _line() -> VocalLine:
    notes = (
        SungNote(0.0, 1.0, 64, 90, "hel", "hello", 0, ("HH", "AH0"), False),
        SungNote(1.0, 1.0, 67, 90, "lo", "hello", 1, ("L", "OW1"), True),
        SungNote(2.0, 0.5, 69, 90, "lo", "hello", 1, ("OW1",), True, melisma=True),
        SungNote(2.5, 1.5, 67, 90, "night", "night", 0, ("N", "AY1", "T"), True,
                 breath_after=True),
        SungNote(4.0, 2.0, 64, 90, "ré", "rêve", 0, (), True),
    )
    lines = (LyricLine(0.0, "hello night", "verse"), LyricLine(4.0, "rêve", "verse"))
    return VocalLine("alto", 8.0, notes, lines)


@pytest.mark.parametrize(("meter", "tempo", "beat"), [("4/4", 120, 0.5), ("7/8", 120, 0.25),
                                                       ("6/8", 90, 1 / 3), ("3/4", 60, 1.0)])
def test_a_beat_lasts_as_the_meter_says(meter: str, tempo: float, beat: float) -> None:
    assert beat_seconds(tempo, parse_meter(meter)) == pytest.approx(beat)


@pytest.mark.parametrize(("seconds", "stamp"), [(0, "[00:00.00]"), (1.234, "[00:01.23]"),
                                                (59.996, "[01:00.00]"), (125.5, "[02:05.50]"),
                                                (6000.0, "[100:00.00]")])
def test_stamps(seconds: float, stamp: str) -> None:
    assert lrc_stamp(seconds) == stamp


@pytest.mark.parametrize("meter", ["4/4", "7/8"])
def test_lrc_stamps_are_the_line_starts_at_the_tempo(meter: str) -> None:
    lines = [LyricLine(28.0, "third", "chorus"), LyricLine(0.0, "first", "verse"),
             LyricLine(7.0, "second\nhalf", "verse")]
    text = lrc_text(lines, 100.0, parse_meter(meter), title="  Night  Drive ")
    beat = 60 / 100 * 4 / parse_meter(meter).unit
    body = text.splitlines()
    assert body[0] == "[ti:Night Drive]"
    stamped = [line for line in body if line[1:3].isdigit()]
    assert stamped == [f"{lrc_stamp(0)}first", f"{lrc_stamp(7 * beat)}second half",
                       f"{lrc_stamp(28 * beat)}third"]
    if meter == "7/8":  # 7 eighths at 100 quarters a minute: 2.1 s
        assert stamped[1].startswith("[00:02.10]")


def test_lyric_events_one_a_syllable_melismas_silent() -> None:
    events = lyric_events(_line(), offset=8.0)
    assert events == [(8.0, "hel-"), (9.0, "lo"), (10.5, "night"), (12.0, "ré")]


def test_midi_export_carries_the_lyrics_at_their_notes(tmp_path: Path) -> None:
    line = _line()
    part = Part("vocals", 0, 53, 8.0, tuple(NoteEvent(n.start, n.duration, n.pitch, n.velocity)
                                            for n in line.notes))
    lyrics = [("vocals", beat, text) for beat, text in lyric_events(line)]
    path = tmp_path / "song.mid"
    write_midi(path, [("vocals", 0.0, part)], 100.0, parse_meter("7/8"), lyrics)
    midi = mido.MidiFile(str(path), charset="utf-8")
    now, found, onsets = 0, [], []
    for message in midi.tracks[1]:
        now += message.time
        if message.type == "lyrics":
            found.append((now, message.text))
        elif message.type == "note_on":
            onsets.append(now)
    tick = TICKS_PER_BEAT * 4 / 8  # a beat of 7/8 is an eighth
    assert found == [(round(b * tick), t) for b, t in lyric_events(line)]
    assert {at for at, _ in found} <= set(onsets)
    changed = parts_to_midi([("vocals", 0.0, part)], 100.0, parse_meter("7/8"),
                            [("vocals", 0.0, "bye")])
    assert [m.text for m in changed.tracks[1] if m.type == "lyrics"] == ["bye"]


def test_the_lrc_file_sits_beside_its_audio(tmp_path: Path) -> None:
    audio = tmp_path / "song.flac"
    path, kind = write_lrc(audio, "[00:00.00]la\n")
    assert path == tmp_path / "song.lrc" and kind == "lrc"
    assert path.read_text(encoding="utf-8") == "[00:00.00]la\n"
    assert companion_entries([(path, kind)]) == {"lrc": str(path)}
    (tmp_path / "away.lrc").symlink_to("/tmp/elsewhere.lrc")
    with pytest.raises(FileProblem, match="leads out"):
        write_lrc(tmp_path / "away.wav", "x")


def test_the_line_being_sung() -> None:
    info = vocal_info(_line(), singer="test", sung=True)
    assert (info.syllables, info.melismas, info.lowest, info.highest) == (4, 1, 64, 69)
    assert [line_at(info.lines, beat) for beat in (0.0, 3.99, 4.0, 7.9)] == [
        "hello night", "hello night", "rêve", "rêve"]
    assert line_at([], 1.0) == ""
