"""The effects rack: each layer's filter and sends, the shared delay and reverb, and
the master's stutter and tape stop, wired into the mix.

A layer with its filter bypassed and nothing sent mixes straight into the master as
before (no cost); otherwise it mixes into its own buffer, is filtered, added to the
master and sent, post-fader, to the delay and reverb buses (send levels ramp per
sample). Runs on the audio thread; every buffer is allocated with the rack or the
layer (on the control thread).
"""

from __future__ import annotations

__all__ = ["SENDS", "EffectsRack", "LayerEffects", "effect_commands"]

import numpy as np

from livetimbre.engine.commands import SetEffect
from livetimbre.engine.filter import LayerFilter
from livetimbre.engine.master_fx import TAPESTOP_BEATS, MasterFx
from livetimbre.engine.mixer import LayerChannel
from livetimbre.engine.returns import DelayReturn, ReverbReturn
from livetimbre.engine.transport import Transport
from livetimbre.music.effects import FX, STUTTER_CHOICES
from livetimbre.session.model import Session

_GRID = {beats: name for name, beats in STUTTER_CHOICES.items() if name in ("1/4", "1/8",
                                                                           "1/16")}


SENDS = ("delay", "reverb")  # the order of the sends in the rack's bus


class LayerEffects:
    """One layer's filter and its delay and reverb sends."""

    def __init__(self, sample_rate: int, max_block: int) -> None:
        self.filter = LayerFilter(sample_rate, max_block)
        self.sends = [FX[name].default for name in SENDS]
        self._applied = np.array(self.sends, np.float32)[:, None, None]  # (sends, 1, 1)
        self._buf = np.zeros((max_block, 2), np.float32)
        self._ramp = np.zeros((len(SENDS), max_block, 1), np.float32)
        self._steps = np.arange(1, max_block + 1, dtype=np.float32)[None, :, None]

    @property
    def engaged(self) -> bool:
        """Whether the layer needs its own path (a filter working, or a send open)."""
        return any(self.sends) or bool(self._applied.any()) or not self.filter.bypassed

    def set(self, param: str, value: float) -> bool:
        """Set a layer effect (it glides there); False when it already had that value."""
        if self.value(param) == value:
            return False
        match param:
            case "cutoff":
                self.filter.cutoff = value
            case "resonance":
                self.filter.resonance = value
            case "filter":
                self.filter.mode = int(value)
            case _:
                self.sends[SENDS.index(param)] = value
        return True

    def value(self, param: str) -> float:
        """The value `param` is set to."""
        match param:
            case "cutoff":
                return self.filter.cutoff
            case "resonance":
                return self.filter.resonance
            case "filter":
                return float(self.filter.mode)
        return self.sends[SENDS.index(param)]

    def settle(self) -> None:
        """Jump to the values set, without gliding (nothing is sounding)."""
        self.filter.settle()
        self._applied[:, 0, 0] = self.sends

    def mix(self, channel: LayerChannel, out: np.ndarray, frame: int, audible: bool,
            bus: np.ndarray) -> int:
        """Mix `channel` through the filter into `out` and, post-fader, into `bus` (sends
        × frames × channels, its frames lined up with `out`); returns the sends it used
        (bit i for SENDS[i])."""
        n = out.shape[0]
        buf = self._buf[:n]
        buf[:] = 0.0
        channel.mix_into(buf, frame, audible)
        self.filter.process(buf)
        out += buf
        applied = self._applied
        targets = self.sends
        used = int(bool(targets[0] or applied[0, 0, 0])) | 2 * int(bool(
            targets[1] or applied[1, 0, 0]))
        if not used:
            return 0
        if applied[0, 0, 0] == targets[0] and applied[1, 0, 0] == targets[1]:
            bus += buf[None] * applied
            return used
        ramp = self._ramp[:, :n]  # linear from the levels applied to the targets
        step = (np.array(targets, np.float32)[:, None, None] - applied) / np.float32(n)
        np.multiply(self._steps[:, :n], step, out=ramp)
        ramp += applied
        bus += buf[None] * ramp
        applied[:, 0, 0] = targets
        return used


class EffectsRack:
    """The shared returns and master effects, and the routing of layers through them."""

    def __init__(self, sample_rate: int, max_block: int, transport: Transport) -> None:
        self.sample_rate = sample_rate
        self.max_block = max_block
        self.transport = transport
        self.delay = DelayReturn(sample_rate, max_block)
        self.reverb = ReverbReturn(sample_rate, max_block)
        self.master = MasterFx(sample_rate, max_block)
        self.values = {name: spec.default for name, spec in FX.items()
                       if spec.scope == "master"}
        self.bus = np.zeros((len(SENDS), max_block, 2), np.float32)  # what layers send
        self._sent = 0  # the sends used this block (bits, as LayerEffects.mix returns)

    @property
    def ringing(self) -> bool:
        """Whether the delay or reverb may still sound."""
        return self.delay.ringing or self.reverb.ringing

    def new_layer(self) -> LayerEffects:
        """A layer's effects, sized for this rack (built off the audio thread)."""
        return LayerEffects(self.sample_rate, self.max_block)

    def set_master(self, param: str, value: float, frame: int) -> bool:
        """Set a master effect at `frame`; False when it already had that value."""
        if self.values.get(param) == value:
            return False
        self.values[param] = value
        match param:
            case "delay_time":
                self.delay.delay_beats = value
            case "feedback":
                self.delay.feedback = value
            case "room":
                self.reverb.room = value
            case "stutter":
                self._stutter(frame, value)
            case "tapestop":
                if value:
                    self.values["stutter"] = 0.0
                beat = float(self.transport.samples_per_quarter)
                self.master.tapestop(frame, round(TAPESTOP_BEATS * beat) if value else 0)
        return True

    def _stutter(self, frame: int, beats: float) -> None:
        """Engage on the next grid point of the slice's length (1/16 for 1/32)."""
        if not beats:
            self.master.stutter_at(frame, 0)
            return
        self.values["tapestop"] = 0.0
        start, _ = self.transport.next_boundary(frame, _GRID.get(beats, "1/16"))
        slice_frames = round(beats * float(self.transport.samples_per_quarter))
        self.master.stutter_at(start, slice_frames)

    def mix(self, channel: LayerChannel, out: np.ndarray, frame: int, offset: int,
            audible: bool) -> None:
        """Mix one layer into `out` (which starts `offset` frames into the block)."""
        effects = channel.effects
        if not isinstance(effects, LayerEffects) or not effects.engaged:
            channel.mix_into(out, frame, audible)
            return
        bus = self.bus[:, offset:offset + out.shape[0]]
        self._sent |= effects.mix(channel, out, frame, audible, bus)

    def finish(self, out: np.ndarray, frame: int) -> None:
        """Add the returns to the block `out` (from `frame`) and run the master effects."""
        n = out.shape[0]
        beat = float(self.transport.samples_per_quarter)
        sent = self._sent
        self.delay.process(out, self.bus[0, :n], bool(sent & 1), beat)
        self.reverb.process(out, self.bus[1, :n], bool(sent & 2))
        if sent:
            self.bus[:, :n] = 0.0
            self._sent = 0
        self.master.process(out, frame)


def effect_commands(session: Session, old: Session | None = None) -> list[SetEffect]:
    """The effect changes from `old` to `session` (from the defaults, when `old` is None),
    layers first, then the master (a layer `old` did not have starts at the defaults)."""
    commands = []
    before = {layer.name: layer.fx for layer in old.layers} if old else {}
    for layer in session.layers:
        was = before.get(layer.name, {})
        for name in dict.fromkeys([*was, *layer.fx]):
            value = layer.fx.get(name, FX[name].default)
            if was.get(name, FX[name].default) != value:
                commands.append(SetEffect(layer.name, name, value))
    was_master = old.fx if old else {}
    for name in dict.fromkeys([*was_master, *session.fx]):
        value = session.fx.get(name, FX[name].default)
        if was_master.get(name, FX[name].default) != value:
            commands.append(SetEffect(None, name, value))
    return commands
