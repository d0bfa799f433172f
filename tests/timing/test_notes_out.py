"""MIDI notes out over real JACK MIDI (64-frame period): a layer's notes arrive in
order, on its channel, spaced as the clip spaces them at the session's tempo."""

from __future__ import annotations

import asyncio

from livetimbre.controllers.surfaces import SurfaceOptions, Surfaces
from livetimbre.session import commands as c
from livetimbre.session.model import SlotKey
from tests.e2e.midi_device import TimedReceiver
from tests.e2e.test_live_audio import _all_ready, _app, until

TEMPO = 123.0  # the e2e patch's
JACK_PERIOD_S = 64 / 48000


def test_notes_of_the_chosen_layer_arrive_in_time(jack_midi: str) -> None:
    async def scenario() -> tuple[TimedReceiver, dict[str, object], int]:
        sink = TimedReceiver("notes sink")
        app = _app(output="null")  # JACK carries the MIDI only
        await app.start()
        surfaces = Surfaces(app.surface_context(), SurfaceOptions(midi_out="notes sink",
                                                midi_out_layers=("bass",)))
        try:
            assert await surfaces.start() == [
                "MIDI notes out (bass): testreceiver:notes sink"]
            await until(lambda: _all_ready(app), "renders")
            assert app.pool is not None
            job = app.pool.job(SlotKey("bass", "a"))
            assert job is not None
            part = job.part
            assert part is not None
            app.execute(c.LaunchScene(1))
            await until(lambda: app.views.playing("bass") == SlotKey("bass", "a"), "bass playing")
            frame = app.engine.frame
            bars = 2  # the e2e patch's clips are 2 bars: play them twice, and a bit
            seconds = bars * 2 * 4 * 60 / TEMPO + 0.5
            while app.engine.frame - frame < seconds * app.engine.sample_rate:
                await asyncio.sleep(0.1)
            app.execute(c.StopAll())
            await until(lambda: app.views.playing("bass") is None, "stopped")
            await asyncio.sleep(0.3)
        finally:
            await surfaces.stop()
            await app.stop()
        stats = surfaces.midi_out.stats if surfaces.midi_out else None
        return sink, part, stats.late if stats else -1

    sink, part, late = asyncio.run(scenario())
    events = sink.events()
    sink.close()
    notes = sorted((n.start, n.duration, n.pitch, n.velocity) for n in part.notes)
    assert notes, "the bass clip has notes"
    ons = [(t, data) for t, data in events if data[0] & 0xF0 == 0x90 and data[2] > 0]
    channels = {data[0] & 0x0F for _, data in ons}
    assert channels == {1}  # bass, the second layer: channel 2; drums and keys not sent
    # Two passes of the clip: the pitches in order, twice.
    pitches = [data[1] for _, data in ons]
    one_pass = [n[2] for n in notes]
    assert pitches[:2 * len(one_pass)] == one_pass * 2
    # Spacing: each note-on after the first lands where the clip puts it, by the
    # receiver's clock, within two JACK periods (JACK MIDI delivers per period).
    beat = 60 / TEMPO
    first = ons[0][0]
    expected = [n[0] * beat for n in notes] + [(8 + n[0]) * beat for n in notes]
    errors = [abs((t - first) - (e - expected[0])) for (t, _), e in zip(ons, expected,
                                                                         strict=False)]
    print(f"{len(ons)} note-ons; worst spacing error {max(errors) * 1e3:.3f} ms; "
          f"events late at the sender: {late}")
    assert max(errors) < 2 * JACK_PERIOD_S + 0.001
    # Every note that started was ended, and the exit silenced the channel.
    offs = [data for _, data in events if data[0] & 0xF0 == 0x80]
    assert len(offs) >= len(ons) - len(one_pass)
    assert [0xB0, 123, 0] in [data for _, data in events]
