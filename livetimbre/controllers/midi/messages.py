"""What the control loop and the MIDI sender process say to each other (see
`controllers.midi.sender_process`).

Frozen, picklable dataclasses over the sender's `ChildProcess` pipe. The sender
answers its start with `Ready(None)` or `StartFailed` (a port that cannot be opened).
"""

from __future__ import annotations

__all__ = ["Finish", "MidiEvent", "Schedule", "SendNow", "SenderStats", "Stopped", "ToSender"]

from dataclasses import dataclass, field

MidiEvent = tuple[int, int, int, bytes]  # frame, priority (lower first), port, bytes


# --- control loop → sender ------------------------------------------------------------
@dataclass(frozen=True)
class Schedule:
    """Drop `stream`'s queued events at or after `from_frame`, then queue `events`."""

    stream: str
    from_frame: int
    events: list[MidiEvent]


@dataclass(frozen=True)
class SendNow:
    """Send `messages` on `port` at once."""

    port: int
    messages: list[bytes]


@dataclass(frozen=True)
class Finish:
    """Send `last` (port, bytes) at once, reply `Stopped` and end."""

    last: list[tuple[int, bytes]]


ToSender = Schedule | SendNow | Finish


# --- sender → control loop ------------------------------------------------------------
@dataclass
class SenderStats:
    """What the sender measured: for each clock tick, when it was due and when sent
    (monotonic ns), and how many events went out after their moment by > 1 ms."""

    tick_due_ns: list[int] = field(default_factory=list)
    tick_sent_ns: list[int] = field(default_factory=list)
    sent: int = 0
    late: int = 0


@dataclass(frozen=True)
class Stopped:
    """The sender's last message: its figures."""

    stats: SenderStats
