"""The OSC address space: what each message means, and the error for each bad one."""

from __future__ import annotations

import math
import struct

import pytest
from pythonosc.osc_bundle_builder import IMMEDIATELY, OscBundleBuilder
from pythonosc.osc_message_builder import OscMessageBuilder
from pythonosc.osc_packet import OscPacket

from livetimbre.controllers.osc.routes import (
    MAX_STRING,
    ROUTES,
    GetState,
    Listen,
    RunLine,
    check_datagram,
    parse_message,
)
from livetimbre.errors import ValueProblem
from livetimbre.session import commands as c

P = "/livetimbre"


@pytest.mark.parametrize(("address", "args", "expected"), [
    (f"{P}/scene/launch", [2], c.LaunchScene(2)),
    (f"{P}/scene/launch", ["drive"], c.LaunchScene("drive")),
    (f"{P}/scene/launch", [3.0], c.LaunchScene(3)),  # TouchOSC sends floats
    (f"{P}/clip/launch", ["drums", 1], c.LaunchClip("drums", 1)),
    (f"{P}/clip/stop", ["bass"], c.StopLayer("bass")),
    (f"{P}/clip/set/prompt", ["bass", 2, "rolling bass"], c.SetClipPrompt("bass", 2,
                                                                         "rolling bass")),
    (f"{P}/clip/set/prompt", ["bass", 2, ""], c.SetClipPrompt("bass", 2, None)),
    (f"{P}/clip/set/sample", ["loop", "a", "/loops/b.wav"],
     c.SetClipSample("loop", "a", "/loops/b.wav")),
    (f"{P}/tempo", [120.5], c.SetTempo(120.5)),
    (f"{P}/tempo", [120], c.SetTempo(120.0)),
    (f"{P}/stop_all", [], c.StopAll()),
    (f"{P}/duration", [150], c.SetDuration(150.0)),
    (f"{P}/command", ['/compose "pads"'], RunLine('/compose "pads"')),
    (f"{P}/layer/mute", ["pads", 1], c.SetMute("pads", True)),
    (f"{P}/layer/mute", ["pads", False], c.SetMute("pads", False)),
    (f"{P}/layer/solo", ["pads", 0.0], c.SetSolo("pads", False)),
    (f"{P}/layer/gain", ["bass", -3.5], c.SetGain("bass", -3.5)),
    (f"{P}/layer/fx", ["drums", "cutoff", 800], c.SetFx("drums", "cutoff", 800.0)),
    (f"{P}/layer/fx", ["drums", "filter", "hp"], c.SetFx("drums", "filter", 2.0)),
    (f"{P}/layer/fx", ["drums", "gain", -6], c.SetGain("drums", -6.0)),
    (f"{P}/layer/fx/unit", ["drums", "cutoff", 1.0], c.SetFx("drums", "cutoff", 20000.0)),
    (f"{P}/layer/fx/unit", ["drums", "delay", 0.5], c.SetFx("drums", "delay", 0.5)),
    (f"{P}/master/fx", ["stutter", "1/16"], c.SetFx(None, "stutter", 0.25)),
    (f"{P}/master/fx", ["feedback", 0.7], c.SetFx(None, "feedback", 0.7)),
    (f"{P}/master/fx/unit", ["tapestop", 1.0], c.SetFx(None, "tapestop", 1.0)),
    (f"{P}/command", ["/tempo 100"], RunLine("/tempo 100")),
    (f"{P}/get/state", [], GetState()),
    (f"{P}/listen/beat", [], Listen("beat", True)),
    (f"{P}/listen/beat", [0], Listen("beat", False)),
    (f"{P}/listen/clips", [1], Listen("clips", True)),
])
def test_messages_become_requests(address: str, args: list[object], expected: object) -> None:
    assert parse_message(address, args) == expected


@pytest.mark.parametrize(("address", "args", "message"), [
    ("/livetimbre/nope", [], r"Unknown OSC address '/livetimbre/nope'"),
    ("/other/thing", [], r"addresses start with /livetimbre/"),
    (f"{P}/tempo", [], r"/livetimbre/tempo takes 1 argument \(/livetimbre/tempo f\), got 0"),
    (f"{P}/clip/launch", ["drums"], r"takes 2 arguments .* got 1"),
    (f"{P}/listen/beat", [1, 2], r"takes 0 to 1 argument"),
    (f"{P}/tempo", ["fast"], r"argument 1 of /livetimbre/tempo must be a number, got 'fast'"),
    (f"{P}/tempo", [math.nan], r"argument 1 of /livetimbre/tempo is nan: only finite"),
    (f"{P}/tempo", [math.inf], r"is inf: only finite"),
    (f"{P}/tempo", [1000.0], r"Tempo 1000.0 is out of range"),
    (f"{P}/layer/gain", ["bass", 40], r"Gain 40.0 is out of range"),
    (f"{P}/layer/fx", ["drums", "cutoff", 5], r"cutoff '5.0' is out of range"),
    (f"{P}/layer/fx", ["drums", "wobble", 1], r"Unknown parameter 'wobble'"),
    (f"{P}/layer/fx", ["drums", "stutter", 0.25], r"master parameter"),
    (f"{P}/layer/fx", ["drums", "cutoff", math.nan], r"nan: only finite"),
    (f"{P}/layer/fx/unit", ["drums", "cutoff", 2.0], r"travel is 0 to 1, got 2"),
    (f"{P}/master/fx", ["cutoff", 800], r"name the layer"),
    (f"{P}/clip/launch", ["drums", 1.5], r"argument 2 .* must be a scene number or name"),
    (f"{P}/clip/launch", ["drums", 0], r"Scene number 0 must be 1 or more"),
    (f"{P}/clip/launch", [7, 1], r"argument 1 of /livetimbre/clip/launch must be a string"),
    (f"{P}/layer/mute", ["pads", 2], r"must be 1 or 0 \(on or off\), got 2"),
    (f"{P}/clip/set/prompt", ["bass", 1, "x" * (MAX_STRING + 1)], r"1001 characters long"),
    (f"{P}/clip/stop", [b"\x00\x01"], r"must be a string, got b'\\x00\\x01'"),
])
def test_bad_messages_name_the_problem(address: str, args: list[object], message: str) -> None:
    with pytest.raises(ValueProblem, match=message):
        parse_message(address, args)


def test_every_route_documents_itself() -> None:
    for route in ROUTES.values():
        assert route.summary, route.address
        assert route.usage.startswith(route.address)


def _bundle(*elements: bytes) -> bytes:
    return b"#bundle\x00" + bytes(8) + b"".join(struct.pack(">i", len(e)) + e
                                               for e in elements)


def _message(address: str, *args: object) -> bytes:
    builder = OscMessageBuilder(address)
    for arg in args:
        builder.add_arg(arg)
    return builder.build().dgram


def test_well_formed_bundles_pass_the_check_and_python_osc_reads_them() -> None:
    inner = OscBundleBuilder(IMMEDIATELY)
    inner.add_content(OscMessageBuilder(f"{P}/tempo").build())
    outer = OscBundleBuilder(IMMEDIATELY)
    outer.add_content(inner.build())
    outer.add_content(OscMessageBuilder(f"{P}/stop_all").build())
    data = outer.build().dgram
    check_datagram(data)
    assert [m.message.address for m in OscPacket(data).messages] == [f"{P}/tempo",
                                                                     f"{P}/stop_all"]
    check_datagram(_message(f"{P}/tempo", 120.0))  # a plain message is python-osc's job
    check_datagram(_bundle())  # an empty bundle is valid OSC


@pytest.mark.parametrize(("data", "expected"), [
    (b"#bundle\x00\x00\x00", "without its time tag"),
    (_bundle() + struct.pack(">i", -16) + bytes(16), "element of -16 bytes at byte 16"),
    (_bundle() + struct.pack(">i", 0), "element of 0 bytes"),
    (_bundle() + struct.pack(">i", 6) + bytes(8), "element of 6 bytes"),
    (_bundle() + struct.pack(">i", 64) + bytes(8), "element of 64 bytes"),
    (_bundle() + b"\x00\x00", "cut short at byte 16"),
    (_bundle(b"abcd"), "neither a message nor a bundle"),
    (_bundle(_bundle(_bundle(_bundle(_bundle(_bundle(_bundle(_bundle(_bundle())))))))),
     "nested deeper than 8"),
])
def test_malformed_bundles_are_refused_before_parsing(data: bytes, expected: str) -> None:
    with pytest.raises(ValueProblem, match=expected):
        check_datagram(data)
