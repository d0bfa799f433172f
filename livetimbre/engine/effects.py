"""The effects rack: each layer's filter and sends, the shared delay and reverb, and
the master's stutter and tape stop, wired into the mix.

A layer with its filter bypassed and nothing sent mixes straight into the master as
before (no cost); otherwise it mixes into its own buffer, is filtered, added to the
master and sent, post-fader, to the delay and reverb buses (send levels ramp per
sample). Runs on the audio thread; every buffer is allocated with the rack or the
layer (on the control thread).
"""

from __future__ import annotations

__all__ = ["EffectsRack", "LayerEffects", "effect_commands"]

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


class LayerEffects:
    """One layer's filter and its delay and reverb sends."""

    def __init__(self, sample_rate: int, max_block: int) -> None:
        self.filter = LayerFilter(sample_rate, max_block)
        self.sends = {"delay": FX["delay"].default, "reverb": FX["reverb"].default}
        self._applied = dict(self.sends)
        self._buf = np.zeros((max_block, 2), np.float32)
        self._ramp = np.zeros((max_block, 1), np.float32)
        self._steps = np.arange(max_block, dtype=np.float32)[:, None]

    @property
    def engaged(self) -> bool:
        """Whether the layer needs its own path (a filter working, or a send open)."""
        return not self.filter.bypassed or any(self.sends.values()) or any(
            self._applied.values())

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
                self.sends[param] = value
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
        return self.sends[param]

    def settle(self) -> None:
        """Jump to the values set, without gliding (nothing is sounding)."""
        self.filter.settle()
        self._applied = dict(self.sends)

    def mix(self, channel: LayerChannel, out: np.ndarray, frame: int, audible: bool,
            buses: dict[str, np.ndarray]) -> list[str]:
        """Mix `channel` through the filter into `out` and, post-fader, into `buses`
        (slices lined up with `out`); returns the buses it sent to."""
        sent = []
        n = out.shape[0]
        buf = self._buf[:n]
        buf[:] = 0.0
        channel.mix_into(buf, frame, audible)
        self.filter.process(buf)
        out += buf
        for name, bus in buses.items():
            start, target = self._applied[name], self.sends[name]
            if start == target == 0.0:
                continue
            if start == target:
                bus += buf * np.float32(target)
            else:
                ramp = self._ramp[:n]
                np.multiply(self._steps[:n], np.float32((target - start) / max(1, n - 1)),
                            out=ramp)
                ramp += np.float32(start)
                bus += buf * ramp
            self._applied[name] = target
            sent.append(name)
        return sent


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
        self._sent = {"delay": False, "reverb": False}

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
        n = out.shape[0]
        buses = {"delay": self.delay.bus[offset:offset + n],
                 "reverb": self.reverb.bus[offset:offset + n]}
        for name in effects.mix(channel, out, frame, audible, buses):
            self._sent[name] = True

    def finish(self, out: np.ndarray, frame: int) -> None:
        """Add the returns to the block `out` (from `frame`) and run the master effects."""
        beat = float(self.transport.samples_per_quarter)
        self.delay.process(out, self._sent["delay"], beat)
        self.reverb.process(out, self._sent["reverb"])
        self._sent["delay"] = self._sent["reverb"] = False
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
