"""The control surfaces of a live run, started after the App and stopped before it."""

from __future__ import annotations

__all__ = ["SurfaceOptions", "Surfaces", "check_allow_list", "choose_profile"]

import ipaddress
from dataclasses import dataclass
from pathlib import Path

from livetimbre.controllers.feedback import Feedback
from livetimbre.controllers.link import LinkSync
from livetimbre.controllers.mapped import ControlMapper
from livetimbre.controllers.midi.clock import ClockIn
from livetimbre.controllers.midi.controls import ControlInputs
from livetimbre.controllers.midi.grid import GridController
from livetimbre.controllers.midi.outputs import MidiOutputs
from livetimbre.controllers.midi.profile import ControllerProfile, load_profile, profile_ids
from livetimbre.controllers.osc.server import OscServer
from livetimbre.errors import ConfigError
from livetimbre.live.surface import SurfaceContext
from livetimbre.system.midi_ports import find_port, list_ports, resolve_input


@dataclass(frozen=True)
class SurfaceOptions:
    osc_port: int = 0  # 0 = no OSC
    osc_host: str = "127.0.0.1"
    osc_allow: frozenset[str] | None = None
    osc_files: str = "patches"  # which files /load, /save, /record may name over OSC
    midi_in: str | None = None  # words of the grid controller's port name
    controller: str = "auto"  # a profile id or file; auto: the patch's, else one plugged in
    clock_out: str | None = None  # words of a MIDI output port for 24 PPQN clock
    clock_in: str | None = None  # words of a MIDI input port whose clock livetimbre follows
    midi_out: str | None = None  # words of a MIDI output port for layers' notes
    midi_out_layers: tuple[str, ...] = ()  # the layers whose notes go out (empty: all)
    link: bool = False  # join an Ableton Link session
    control_in: tuple[str, ...] = ()  # words of MIDI inputs whose controls can be learned


def check_allow_list(text: str) -> frozenset[str]:
    """`--osc-allow 192.168.1.20,10.0.0.5` → the addresses; a bad one is named."""
    addresses = [part.strip() for part in text.split(",") if part.strip()]
    if not addresses:
        raise ConfigError(f"--osc-allow {text!r} names no address (e.g. 192.168.1.20).")
    for address in addresses:
        try:
            ipaddress.ip_address(address)
        except ValueError:
            raise ConfigError(
                f"--osc-allow: {address!r} is not an IP address (e.g. 192.168.1.20)."
            ) from None
    return frozenset(addresses)


def choose_profile(options: SurfaceOptions, session_controller: str | None,
                   user_dir: Path) -> ControllerProfile | None:
    """The grid controller profile to use: --controller, else the patch's `controller`,
    else (auto) one whose ports match --midi-in or a device plugged in now."""
    name = options.controller if options.controller != "auto" else session_controller
    if name:
        return load_profile(name, user_dir)
    candidates = [load_profile(i, user_dir) for i in profile_ids(user_dir) if i != "generic"]
    if options.midi_in is not None:
        words = options.midi_in.lower()
        named = [p for p in candidates if any(w.lower() in words for w in p.ports)]
        return named[0] if named else load_profile("generic", user_dir)
    inputs = list_ports().inputs
    plugged = [p for p in candidates if find_port(inputs, p.ports) is not None]
    return plugged[0] if plugged else None


class Surfaces:
    """OSC, a grid controller (and, as they are added, clock and Link) around one App."""

    def __init__(self, ctx: SurfaceContext, options: SurfaceOptions) -> None:
        self._ctx = ctx
        self.options = options
        self.feedback = Feedback(ctx.view, ctx.clock)
        self.mapper = ControlMapper(ctx)  # /learn and the map, for every input below
        self.osc: OscServer | None = None
        self.grid: GridController | None = None
        if options.osc_port:
            self.osc = OscServer(ctx, self.feedback, options.osc_host, options.osc_port,
                                 options.osc_allow, files=options.osc_files,
                                 mapper=self.mapper)
        profile = choose_profile(options, ctx.view.session.controller, ctx.home / "profiles")
        if profile is not None:
            self.grid = GridController(ctx, self.feedback, profile, options.midi_in,
                                       mapper=self.mapper)
        self.controls = (ControlInputs(ctx, self.mapper, list(options.control_in))
                         if options.control_in else None)
        self.midi_out: MidiOutputs | None = None
        if options.clock_out is not None or options.midi_out is not None:
            self.midi_out = MidiOutputs(ctx, options.clock_out, options.midi_out,
                                        options.midi_out_layers)
        self.clock_in: ClockIn | None = None
        if options.clock_in is not None:
            self.clock_in = ClockIn(ctx, resolve_input(options.clock_in, "--clock-in"))
        self.link = LinkSync(ctx) if options.link else None

    async def start(self) -> list[str]:
        """Start every surface; returns a line about each."""
        self.feedback.start()  # first: surfaces read the states it has seen
        lines = []
        if self.osc is not None:
            lines.append(await self.osc.start())
        if self.grid is not None:
            lines.append(await self.grid.start())
        if self.controls is not None:
            lines.append(await self.controls.start())
        if self.midi_out is not None:
            lines.extend(await self.midi_out.start())
        if self.clock_in is not None:
            self.clock_in.start()
            lines.append(f"MIDI clock in: {self.clock_in.port}")
        if self.link is not None:
            lines.append(await self.link.start())
        self._ctx.place_threads()  # MIDI ports (JACK clients) have threads of their own
        return lines

    async def stop(self) -> None:
        await self.feedback.stop()
        if self.link is not None:
            await self.link.stop()
        if self.clock_in is not None:
            self.clock_in.stop()
        if self.midi_out is not None:
            await self.midi_out.stop()
        if self.controls is not None:
            await self.controls.stop()
        if self.grid is not None:
            await self.grid.stop()
        if self.osc is not None:
            self.osc.close()
