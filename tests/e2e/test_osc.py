"""OSC over real UDP on loopback, with the engine on the JACK clock."""

from __future__ import annotations

import asyncio
import json
import random
import struct
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from livetimbre.app import App
from livetimbre.controllers.surfaces import SurfaceOptions, Surfaces
from livetimbre.session import commands as c
from livetimbre.session.model import Session, SlotKey
from tests.e2e.osc_client import OscClient, osc_datagram, reply
from tests.e2e.test_live_audio import _all_ready, _app, until

P = "/livetimbre"


@asynccontextmanager
async def osc_app(allow: frozenset[str] | None = None) -> AsyncIterator[tuple[App, Surfaces]]:
    app = _app()
    await app.start()
    options = SurfaceOptions(osc_port=_free_port(), osc_allow=allow)
    surfaces = Surfaces(app.surface_context(), options)
    try:
        await surfaces.start()
        await until(lambda: _all_ready(app), "first renders")
        yield app, surfaces
    finally:
        await surfaces.stop()
        await app.stop()


def _free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_udp_client_launches_sets_tempo_and_hears_beats_and_clip_states(
    jack_server: str,
) -> None:
    async def scenario() -> None:
        async with osc_app() as (app, surfaces):
            assert surfaces.osc is not None
            client = OscClient(surfaces.osc.port)
            client.send(f"{P}/listen/clips")
            client.send(f"{P}/listen/beat", 1)
            # The whole grid first: 3 layers × 2 scenes.
            first = [await reply(client, f"{P}/clip/state") for _ in range(6)]
            assert ["drums", 1, "ready"] in first and ["keys", 1, "empty"] in first

            client.send(f"{P}/scene/launch", 1)
            await until(lambda: any(e.kind == "scene" for e in app.engine.events), "launch")
            scene = next(e for e in app.engine.events if e.kind == "scene")
            assert scene.scene == "a" and scene.bar == int(scene.bar)  # on a bar line
            drums = [await reply(client, f"{P}/clip/state")]
            while drums[-1] != ["drums", 1, "playing"]:
                drums.append(await reply(client, f"{P}/clip/state"))
            # Queued (until the bar) comes before playing, never after.
            assert ["drums", 1, "queued"] not in drums[drums.index(["drums", 1, "playing"]):]
            beats = [await reply(client, f"{P}/beat", timeout=2) for _ in range(3)]
            assert all(len(b) == 2 and 1 <= b[1] <= 4 for b in beats)
            positions = [(bar - 1) * 4 + beat for bar, beat in beats]
            assert positions == list(range(positions[0], positions[0] + 3))

            client.send(f"{P}/clip/launch", "keys", 2)
            await until(lambda: app.views.playing("keys") == SlotKey("keys", "b"), "keys@b playing")
            launch = next(e for e in app.engine.events if e.layer == "keys")
            assert launch.bar == int(launch.bar)

            client.send(f"{P}/tempo", 110.0)
            client.send(f"{P}/layer/gain", "bass", -6.0)
            client.send(f"{P}/layer/mute", "keys", 1)
            client.send(f"{P}/command", "/key D minor")
            assert "D minor" in (await reply(client, f"{P}/command/reply"))[0]
            await until(lambda: app.session.tempo == 110.0, "tempo 110")
            assert app.session.layer("bass").gain_db == -6.0
            assert app.session.layer("keys").muted
            await until(lambda: app.engine.transport.tempo == 110.0, "the engine's tempo")

            client.send(f"{P}/get/state")
            state = json.loads((await reply(client, f"{P}/state"))[0])
            assert state["session"]["session"]["tempo"] == 110.0
            assert state["session"]["session"]["key"] == "D minor"
            assert state["playing"]["keys"] == "keys@b"
            assert {"layer": "keys", "scene": 2, "state": "playing"} in state["slots"]

            client.send(f"{P}/stop_all")
            await until(lambda: app.views.playing("drums") is None, "everything stopped")
            client.send(f"{P}/listen/beat", 0)
            await asyncio.sleep(0.6)  # > one beat at 110 BPM
            client.drain()
            client.received.clear()
            await asyncio.sleep(0.6)
            assert not [m for m in client.drain() if m[0] == f"{P}/beat"]
            # Underruns are asserted where it matters most, under the 10,000-datagram
            # flood below; on this test's 256-frame JACK clock the platform alone misses
            # a deadline every few minutes (docs/benchmarks.md), so here they are shown.
            assert app.output is not None
            print(f"underruns: {app.output.underruns}")
            client.close()

    asyncio.run(scenario())


def test_every_kind_of_bad_message_is_answered_and_changes_nothing(jack_server: str) -> None:
    async def scenario() -> None:
        async with osc_app() as (app, surfaces):
            assert surfaces.osc is not None
            client = OscClient(surfaces.osc.port)
            before = app.session
            cases = [
                (osc_datagram(f"{P}/bogus"), "Unknown OSC address '/livetimbre/bogus'"),
                (osc_datagram(f"{P}/tempo"), "takes 1 argument"),
                (osc_datagram(f"{P}/tempo", "fast"), "must be a number, got 'fast'"),
                (osc_datagram(f"{P}/tempo", float("nan")), "only finite numbers"),
                (osc_datagram(f"{P}/tempo", 5000.0), "out of range"),
                (osc_datagram(f"{P}/clip/launch", "nobody", 1), "Unknown layer 'nobody'"),
                (osc_datagram(f"{P}/scene/launch", 9), "Scene 9 does not exist"),
                (osc_datagram(f"{P}/clip/set/prompt", "bass", 1, "x" * 5000),
                 "5000 characters long"),
                (osc_datagram(f"{P}/command", "/tempo abc"), "is not a number"),
                (osc_datagram(f"{P}/command", "/quit"), "works in the REPL only"),
                (b"\x00garbage\xff", "Malformed OSC datagram"),
                (b"#bundle\x00" + b"\x01" * 3, "Malformed OSC datagram"),
            ]
            for data, expected in cases:
                client.send_raw(data)
                text = (await reply(client, f"{P}/error"))[0]
                assert expected in text, (data[:40], text)
            assert app.session == before
            client.close()

    asyncio.run(scenario())


def _random_datagram(rng: random.Random) -> bytes:
    """Garbage, truncated or type-confused OSC, and random well-formed messages to real
    addresses with wrong arguments."""
    kind = rng.randrange(5)
    if kind == 0:
        return rng.randbytes(rng.randrange(1, 200))
    if kind == 1:
        good = osc_datagram(f"{P}/clip/launch", "drums", 1)
        return good[:rng.randrange(1, len(good))]
    if kind == 2:  # a real address with a type tag that lies about the payload
        tags = "".join(rng.choice("ifsbdhTFN[]rmtx") for _ in range(rng.randrange(1, 6)))
        head = osc_datagram(rng.choice(list(_ADDRESSES)))
        pad = (-(len(tags) + 2)) % 4
        return head + b"," + tags.encode() + b"\x00" * (pad + 1) + rng.randbytes(8)
    if kind == 3:  # wrong arguments to real addresses (no valid command gets through)
        address = rng.choice(list(_ADDRESSES))
        args = [rng.choice([float("nan"), float("-inf"), -1, 10_000, "", "x" * 2000,
                            b"blob"]) for _ in range(rng.randrange(0, 4))]
        return osc_datagram(address, *args)
    return b"#bundle\x00" + struct.pack(">q", 1) + struct.pack(">i", rng.randrange(-5, 500))


_ADDRESSES = (f"{P}/scene/launch", f"{P}/clip/launch", f"{P}/clip/stop",
              f"{P}/clip/set/prompt", f"{P}/tempo", f"{P}/layer/mute", f"{P}/layer/gain",
              f"{P}/command")


# Zero underruns: the VM itself misses a deadline now and then; a failure reruns once.
@pytest.mark.flaky(reruns=1)
def test_ten_thousand_malformed_datagrams_during_playback(jack_server: str) -> None:
    async def scenario() -> None:
        async with osc_app() as (app, surfaces):
            osc = surfaces.osc
            assert osc is not None and app.output is not None
            client = OscClient(osc.port)
            app.execute(c.LaunchScene("b"))
            await until(lambda: app.views.playing("drums") == SlotKey("drums", "b"),
                        "scene b playing")
            before: Session = app.session
            underruns = app.output.underruns
            frame = app.engine.frame
            rng = random.Random(1234)
            for index in range(10_000):
                client.send_raw(_random_datagram(rng))
                if index % 50 == 49:  # in bursts the socket's buffer can hold
                    await until(lambda n=index + 1: osc.received >= n,
                                f"datagram {index + 1} handled", 10)
                    client.drain()
            client.drain()
            errors = [m for m in client.received if m[0] == f"{P}/error"]
            assert app.session == before, "a malformed datagram changed the session"
            assert app.views.playing("drums") == SlotKey("drums", "b")
            assert app.output.underruns == underruns
            assert app.engine.frame > frame
            # Errors are answered, but a flood is rate-limited, not echoed back 1:1.
            assert 0 < len(errors) < 5_000, len(errors)
            assert osc.errors >= 9_000
            # The server still works.
            await asyncio.sleep(1.1)  # the error budget refills
            client.send(f"{P}/tempo", 125.0)
            await until(lambda: app.session.tempo == 125.0, "a good message after the flood")
            client.close()

    asyncio.run(scenario())


@pytest.mark.parametrize("allowed", ["127.0.0.2"])
def test_the_allow_list_ignores_other_clients(jack_server: str, allowed: str) -> None:
    async def scenario() -> None:
        async with osc_app(allow=frozenset({allowed})) as (app, surfaces):
            assert surfaces.osc is not None
            stranger = OscClient(surfaces.osc.port, host="127.0.0.1")
            friend = OscClient(surfaces.osc.port, host=allowed)
            stranger.send(f"{P}/tempo", 99.0)
            stranger.send(f"{P}/bogus")
            friend.send(f"{P}/tempo", 101.0)
            await until(lambda: app.session.tempo == 101.0, "the friend's tempo")
            await asyncio.sleep(0.2)
            assert stranger.drain() == []
            assert surfaces.osc.refused == 2
            stranger.close()
            friend.close()

    asyncio.run(scenario())


def test_effects_over_udp_reach_the_engine_and_bad_ones_are_answered(
    jack_server: str,
) -> None:
    async def scenario() -> None:
        async with osc_app() as (app, surfaces):
            assert surfaces.osc is not None
            client = OscClient(surfaces.osc.port)
            client.send(f"{P}/layer/fx/unit", "drums", "cutoff", 0.5)  # a knob at noon
            client.send(f"{P}/layer/fx", "bass", "filter", "highpass")
            client.send(f"{P}/master/fx", "stutter", "1/16")

            def fx() -> list[tuple[str, str, float | None]]:
                return [(e.layer, e.param, e.value) for e in list(app.engine.events)
                        if e.kind == "fx"]

            await until(lambda: len(fx()) == 3, "three fx events")
            assert fx()[0][:2] == ("drums", "cutoff") and 632 < (fx()[0][2] or 0) < 633
            assert fx()[1:] == [("bass", "filter", 2.0), ("", "stutter", 0.25)]
            assert app.session.fx == {"stutter": 0.25}
            client.send(f"{P}/layer/fx", "drums", "cutoff", 5.0)
            error = (await reply(client, f"{P}/error"))[0]
            assert "cutoff '5.0' is out of range" in error
            assert len(fx()) == 3
            client.close()

    asyncio.run(scenario())


def test_a_pattern_over_udp_sets_a_clip_and_bad_ones_are_answered_with_the_column(
    jack_server: str,
) -> None:
    async def scenario() -> None:
        async with osc_app() as (app, surfaces):
            assert surfaces.osc is not None and app.output is not None
            client = OscClient(surfaces.osc.port)
            client.send(f"{P}/scene/launch", 1)
            await until(lambda: app.views.playing("drums") == SlotKey("drums", "a"),
                        "drums playing")
            client.send(f"{P}/clip/set/pattern", "drums", 1, "bd*2 [~ sd] <hh oh>")

            def drums_pattern() -> str | None:
                ref = app.session.scenes[0].clips["drums"].pattern
                return None if ref is None else ref.text

            await until(lambda: drums_pattern() == "bd*2 [~ sd] <hh oh>", "pattern set")
            before, errors = app.session, app.output.errors
            cases = [
                ("bd [sd", "column 4"),
                ("bd*", "column 4"),
                ("bd [~ zz]", "column 7"),
                ("[" * 400 + "bd" + "]" * 400, "column 49: brackets nested deeper"),
                # About the most a datagram holds: refused by size before it is parsed.
                ("bd " * 20_000, "is 60000 characters long (at most 1000)"),
            ]
            for text, words in cases:
                client.send(f"{P}/clip/set/pattern", "drums", 1, text)
                error = (await reply(client, f"{P}/error"))[0]
                assert words in error, (text[:20], error)
            assert app.session == before  # the good pattern stays
            frame = app.engine.frame
            await until(lambda: app.engine.frame > frame + 48_000, "a second more played")
            assert app.views.playing("drums") == SlotKey("drums", "a")
            assert app.output.errors == errors
            client.close()

    asyncio.run(scenario())
