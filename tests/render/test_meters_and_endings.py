"""Offline renders in odd meters (tempo in quarter notes, the MIDI export agreeing) and
their endings: the last notes' release after the last bar, then silence, never a cut."""

from __future__ import annotations

import math

import mido
import numpy as np
import pytest

from livetimbre.compose.midi import TICKS_PER_BEAT, parts_to_midi
from livetimbre.engine.transport import Transport
from livetimbre.genres import GenreRegistry
from livetimbre.mastering.qa import ending_report
from livetimbre.music.theory import parse_meter
from livetimbre.patch import parse_patch
from livetimbre.render.offline import OfflineRender, render_session
from livetimbre.synth.fluid import FluidSynthRenderer
from tests.render.conftest import RATE, procedural

MINUS_60_DBFS = 10 ** (-60 / 20)

SEVEN_EIGHT = """
session: {genre: jazz, tempo: 100, meter: 7/8, key: D dorian, seed: 4, bars: 2}
layers:
  bass: {}
  pads: {release: 300}
scenes:
  - name: a
    clips:
      bass: {prompt: "walking bass", bars: 1}
      pads: {prompt: "warm sustained pad", bars: 1}
"""


@pytest.fixture(scope="module")
def seven_eight(genres: GenreRegistry, fluid: FluidSynthRenderer) -> OfflineRender:
    session = parse_patch(SEVEN_EIGHT, "seven.yaml", genres)
    return render_session(session, procedural(genres, fluid), sample_rate=RATE)


def test_a_seven_eight_bar_at_100_bpm_lasts_seven_times_0_3_s(seven_eight: OfflineRender
                                                               ) -> None:
    stops = [e for e in seven_eight.events if e.kind == "stop"]
    assert seven_eight.end_frame == 2 * 100800 == round(2 * 7 * 0.3 * RATE)
    assert {e.frame for e in stops} == {201600} and {e.bar for e in stops} == {2}
    assert all(c.audio.shape[0] == 100800 for c in seven_eight.clips.values())


def test_the_midi_export_counts_quarter_notes_at_the_session_tempo(
    seven_eight: OfflineRender
) -> None:
    midi = parts_to_midi(seven_eight.midi_tracks(), seven_eight.session.tempo,
                         parse_meter("7/8"))
    meta = {m.type: m for m in midi.tracks[0]}
    assert meta["set_tempo"].tempo == mido.bpm2tempo(100) == 600_000  # µs per quarter
    assert (meta["time_signature"].numerator, meta["time_signature"].denominator) == (7, 8)
    # A note's time in the file (ticks of quarter notes at 100 BPM) is its time in the
    # audio: a 7/8 bar is 3.5 quarters, 2.1 s, 100800 frames.
    transport = Transport(RATE, 100, "7/8")
    bass = next(t for t in midi.tracks if t.name == "bass")
    ticks, starts = 0, []
    for message in bass:
        ticks += message.time
        if message.type == "note_on" and message.velocity:
            starts.append(ticks)
    part = seven_eight.clips[("bass", 0)].part
    assert part is not None and len(starts) == 2 * len(part.notes)
    for tick, note in zip(starts, sorted(part.notes, key=lambda n: n.start), strict=False):
        seconds = mido.tick2second(tick, TICKS_PER_BEAT, meta["set_tempo"].tempo)
        frame = note.start * transport.samples_per_meter_beat
        assert seconds * RATE == pytest.approx(float(frame), abs=RATE * 0.002)
    second_pass = starts[len(part.notes)]
    assert mido.tick2second(second_pass - starts[0], TICKS_PER_BEAT, 600_000) == \
        pytest.approx(2.1)


def test_a_render_ends_with_the_last_notes_release_then_silence(
    seven_eight: OfflineRender
) -> None:
    audio = seven_eight.mastered.audio
    end = seven_eight.end_frame
    tails = [c.tail for c in seven_eight.clips.values()]
    assert all(t is not None and t.shape[0] for t in tails)
    longest = max(t.shape[0] for t in tails if t is not None)
    assert audio.shape[0] - end >= longest  # the tails play out after the last bar
    # the notes ring on: the first 50 ms after the last bar are far from silent, and the
    # sound lasts at least the pads' release (300 ms) above −60 dBFS
    ring = audio[end:end + RATE // 20]
    assert 20 * math.log10(float(np.sqrt(np.mean(ring ** 2)))) > -40
    report = ending_report(audio, RATE, end)
    assert report["rings_s"] >= 0.3, report
    # then silence: the last 10 ms under −60 dBFS, no step there, the last sample zero
    last = audio[-RATE // 100:]
    assert np.abs(last).max() < MINUS_60_DBFS
    assert np.abs(np.diff(audio[-RATE // 10:], axis=0)).max() < MINUS_60_DBFS
    assert not audio[-1].any()
    assert report["last_10ms_peak_dbfs"] < -60 and report["last_10ms_step_dbfs"] < -60


def test_mastering_covers_the_ending(seven_eight: OfflineRender) -> None:
    mix, mastered = seven_eight.mix, seven_eight.mastered
    assert mastered.audio.shape == mix.shape
    gain = 10 ** (mastered.gain_db / 20)
    end = seven_eight.end_frame
    window = slice(end + RATE // 2, end + RATE // 2 + 4800)  # half a second into the tail
    np.testing.assert_allclose(mastered.audio[window], mix[window] * gain, rtol=1e-3,
                               atol=1e-6)


def test_a_render_stopped_mid_pass_fades_out_without_a_cut(
    genres: GenreRegistry, fluid: FluidSynthRenderer
) -> None:
    """A 2-bar clip in a 3-bar scene stops mid-pass: it fades over its tail's length
    (at least 1 s) instead of ringing on with a tail that would not follow."""
    text = SEVEN_EIGHT.replace("bars: 2}", "bars: 3}").replace("bars: 1}", "bars: 2}")
    session = parse_patch(text, "mid.yaml", genres)
    render = render_session(session, procedural(genres, fluid), sample_rate=RATE)
    end = render.end_frame
    assert end == 3 * 100800
    assert render.frames - end >= RATE
    audio = render.mastered.audio
    assert np.abs(audio[-RATE // 100:]).max() < MINUS_60_DBFS
    assert not audio[-1].any()
