"""Audio outputs: a sounddevice (PortAudio) stream, or a real-time null output.

Both call the one `Engine.process`. The sounddevice callback obeys DESIGN §4: it only
consumes, takes no lock, does no I/O, never raises and always fills the buffer; it
counts underruns. The null output paces `Engine.process` by a monotonic clock, for
machines without a sound card.
"""

from __future__ import annotations

__all__ = ["NullOutput", "Output", "SoundDeviceOutput", "open_output"]

import threading
import time
from typing import Any, Protocol

import numpy as np

from livetimbre.engine.engine import Engine
from livetimbre.engine.recorder import Recorder
from livetimbre.errors import ConfigError
from livetimbre.system.realtime import realtime_thread


class CallbackTimer:
    """Durations of the last 2**20 callbacks, kept in a preallocated ring (no allocation
    on the audio thread), summarised on demand."""

    def __init__(self, size: int = 1 << 20) -> None:
        self._ring = np.zeros(size, np.float64)
        self.count = 0

    def add(self, seconds: float) -> None:
        self._ring[self.count % self._ring.shape[0]] = seconds
        self.count += 1

    def summary(self) -> dict[str, float]:
        """Milliseconds: p50, p99, p99.9 and max of the recorded callbacks."""
        n = min(self.count, self._ring.shape[0])
        if n == 0:
            return {}
        values = self._ring[:n] * 1e3
        p50, p99, p999 = np.percentile(values, [50, 99, 99.9])
        return {"callbacks": float(self.count), "p50_ms": float(p50), "p99_ms": float(p99),
                "p99_9_ms": float(p999), "max_ms": float(values.max())}


def _publish(shared: Any, frame: int, underruns: int, errors: int, epoch_ns: int) -> None:
    """Copy the counters to shared integers (set by the audio process), if any.
    `epoch_ns`: the monotonic time, in ns, at which frame 0 was (or would have been)
    heard; frame f is heard at epoch_ns + f / rate. Clock followers read it; a single
    integer, so it is read whole without a lock."""
    if shared is not None:
        shared[0] = frame
        shared[1] = underruns
        shared[2] = errors
        shared[3] = epoch_ns


class EpochFilter:
    """Smooths the epoch measured at each callback. A callback can start late, never
    early, so a measurement is the truth plus a lateness: the lowest of the last
    `window` measurements drops the lateness, and a slow average of that minimum
    (about `smoothing` blocks) irons out the steps of the host API's own estimate
    while following the drift between the audio and the monotonic clocks."""

    def __init__(self, window: int = 128, smoothing: int = 200) -> None:
        self._recent = np.zeros(window, np.int64)
        self._count = 0
        self._alpha = 1.0 / smoothing
        self._epoch = 0.0

    def update(self, measured_ns: int) -> int:
        window = self._recent.shape[0]
        self._recent[self._count % window] = measured_ns
        self._count += 1
        lowest = float(self._recent[:min(self._count, window)].min())
        if self._count == 1:
            self._epoch = lowest
        else:
            self._epoch += (lowest - self._epoch) * self._alpha
        return round(self._epoch)


def _epoch_ns(heard_at: float, frame: int, sample_rate: int) -> int:
    """The monotonic ns at which frame 0 is heard, given that `frame` is heard at
    `heard_at` (monotonic seconds)."""
    return round(heard_at * 1e9) - frame * 1_000_000_000 // sample_rate


class Output(Protocol):
    """Something that pulls audio from the engine in real time."""

    name: str
    underruns: int
    errors: int
    recorder: Recorder | None
    published: Any
    timer: CallbackTimer

    def start(self) -> None: ...

    def stop(self) -> None: ...


class SoundDeviceOutput:
    """A PortAudio output stream whose callback renders straight into the device buffer."""

    def __init__(self, engine: Engine, device: str | int | None, blocksize: int) -> None:
        import sounddevice

        self._engine = engine
        self.underruns = 0
        self.errors = 0
        self.recorder: Recorder | None = None
        self.published: Any = None  # shared ints: frame, underruns, errors
        self.timer = CallbackTimer()
        try:
            self._stream = sounddevice.OutputStream(
                samplerate=engine.sample_rate, blocksize=blocksize, device=device,
                channels=2, dtype="float32", callback=self._callback, latency="low",
            )
        except (sounddevice.PortAudioError, ValueError) as exc:
            raise ConfigError(
                f"Cannot open audio device {device if device is not None else '(default)'} "
                f"at {engine.sample_rate} Hz, block {blocksize}: {exc}. "
                "List devices with 'livetimbre devices', or use --output null."
            ) from None
        self._latency = float(self._stream.latency)
        self._epoch = EpochFilter()
        info = sounddevice.query_devices(self._stream.device)
        api = sounddevice.query_hostapis(info["hostapi"])["name"]
        self.name = f"{info['name']} ({api})"

    def _callback(self, outdata: np.ndarray, frames: int, times: Any, status: Any) -> None:
        started = time.perf_counter()
        now = time.monotonic()
        if status.output_underflow:
            self.underruns += 1
        frame = self._engine.frame
        # PortAudio says when this block reaches the DAC, on its own clock; `now` maps
        # that onto the monotonic clock the clock followers use.
        ahead = times.outputBufferDacTime - times.currentTime
        if not 0.0 <= ahead < 1.0 or times.currentTime <= 0.0:
            ahead = self._latency  # a host API that does not report it
        epoch = self._epoch.update(_epoch_ns(now + ahead, frame, self._engine.sample_rate))
        try:
            self._engine.process(frames, outdata)
            recorder = self.recorder
            if recorder is not None:
                recorder.push(outdata, frame)
        except Exception:  # the callback must never raise: play silence, count it
            outdata.fill(0.0)
            self.errors += 1
        _publish(self.published, self._engine.frame, self.underruns, self.errors, epoch)
        self.timer.add(time.perf_counter() - started)

    def start(self) -> None:
        self._stream.start()

    def stop(self) -> None:
        self._stream.stop()
        self._stream.close()


class NullOutput:
    """No sound card: a thread renders block after block on the wall clock's schedule.

    It behaves like a device with a buffer of `buffer_blocks` blocks: a block may be
    rendered up to that far ahead of the moment it would be heard, and one finished
    after that moment counts as an underrun (a device would have played silence). The
    schedule is kept, so the frame count stays locked to the clock.
    """

    name = "null output (real time, no sound card)"

    def __init__(self, engine: Engine, blocksize: int, buffer_blocks: int = 4) -> None:
        self._engine = engine
        self._blocksize = blocksize
        self._lead = buffer_blocks - 1
        self._buffer = np.zeros((blocksize, 2), np.float32)
        self.underruns = 0
        self.errors = 0
        self.recorder: Recorder | None = None
        self.published: Any = None
        self.timer = CallbackTimer()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="livetimbre-null-output",
                                        daemon=True)

    def _run(self) -> None:
        realtime_thread(10)  # as JACK gives its callback threads
        period = self._blocksize / self._engine.sample_rate
        heard_at = time.monotonic() + self._lead * period  # when the next block plays
        while not self._stop.is_set():
            now = time.monotonic()
            earliest = heard_at - self._lead * period
            if now < earliest:
                time.sleep(min(earliest - now, period))
                continue
            started = time.perf_counter()
            try:
                frame = self._engine.frame
                self._engine.process(self._blocksize, self._buffer)
                recorder = self.recorder
                if recorder is not None:
                    recorder.push(self._buffer, frame)
            except Exception:
                self.errors += 1
            self.timer.add(time.perf_counter() - started)
            if time.monotonic() > heard_at:
                self.underruns += 1
            _publish(self.published, self._engine.frame, self.underruns, self.errors,
                     _epoch_ns(heard_at, frame, self._engine.sample_rate))
            heard_at += period

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)


def _find_device(device: str | None) -> str | int | None:
    """The device to open for 'auto': the default output, else any output; None if none."""
    import sounddevice

    if device is not None:
        return device
    try:
        sounddevice.query_devices(kind="output")
        return None  # PortAudio's default output works
    except (sounddevice.PortAudioError, ValueError):
        pass
    for index, info in enumerate(sounddevice.query_devices()):
        if info["max_output_channels"] >= 2:
            return index
    raise LookupError("no output device")


def open_output(
    kind: str, engine: Engine, device: str | None, blocksize: int
) -> tuple[Output, str]:
    """(output, note): 'auto' falls back to the null output and the note says why."""
    if kind == "null":
        return NullOutput(engine, blocksize), ""
    if kind not in ("auto", "device"):
        raise ConfigError(f"Unknown output '{kind}' (choose auto, device or null).")
    try:
        import sounddevice  # noqa: F401  (PortAudio is loaded here)
    except OSError as exc:
        if kind == "device":
            raise ConfigError(
                f"PortAudio is not available ({exc}); install libportaudio2."
            ) from None
        return NullOutput(engine, blocksize), f"PortAudio is not available ({exc})"
    try:
        chosen = _find_device(device)
    except LookupError:
        if kind == "device":
            raise ConfigError("No audio output device found; use --output null.") from None
        return NullOutput(engine, blocksize), "no sound card found"
    return SoundDeviceOutput(engine, chosen, blocksize), ""
