"""Recording the master output: the audio thread copies blocks into a ring buffer; a
writer thread drains it to disk. Nothing on the audio thread waits, locks or writes."""

from __future__ import annotations

__all__ = ["Recorder"]

import threading
import time
from pathlib import Path

import numpy as np
import soundfile

from livetimbre.files.write import atomic_path


class Recorder:
    """Writes every block pushed to it into `path` (WAV/FLAC by suffix), atomically."""

    def __init__(self, path: Path, sample_rate: int, buffer_seconds: float = 20.0,
                 max_frames: int | None = None) -> None:
        self.path = path
        self.sample_rate = sample_rate
        self._ring = np.zeros((int(buffer_seconds * sample_rate), 2), np.float32)
        self._written = 0  # frames pushed; only the audio thread changes it
        self._read = 0  # frames drained; only the writer thread changes it
        self.dropped = 0
        self.max_frames = max_frames  # None: no limit
        self.start_frame: int | None = None
        self._stop = threading.Event()
        self._atomic = atomic_path(path)  # the same rules as every other file written
        self._tmp = self._atomic.__enter__()
        suffix = path.suffix.lower()
        self._format = {".flac": "FLAC", ".ogg": "OGG"}.get(suffix, "WAV")
        subtype = {"FLAC": "PCM_24", "OGG": "VORBIS"}.get(self._format, "FLOAT")
        try:
            self._file = soundfile.SoundFile(str(self._tmp), "w", sample_rate, 2, subtype,
                                             format=self._format)
        except BaseException as exc:
            self._atomic.__exit__(type(exc), exc, exc.__traceback__)  # drops the temp file
            raise
        self._thread = threading.Thread(target=self._drain, name="livetimbre-recorder",
                                        daemon=True)
        self._thread.start()

    @property
    def frames(self) -> int:
        """Frames written to the file so far."""
        return self._read

    def push(self, block: np.ndarray, engine_frame: int) -> None:
        """Audio thread: copy `block` (which started at `engine_frame`) into the ring."""
        if self.start_frame is None:
            self.start_frame = engine_frame
        n = block.shape[0]
        if self.max_frames is not None and self._written + n > self.max_frames:
            return  # the recording is as long as it may be
        capacity = self._ring.shape[0]
        if n > capacity - (self._written - self._read):
            self.dropped += n
            return
        start = self._written % capacity
        first = min(n, capacity - start)
        self._ring[start:start + first] = block[:first]
        if first < n:
            self._ring[: n - first] = block[first:]
        self._written += n

    def _drain(self) -> None:
        capacity = self._ring.shape[0]
        while True:
            available = self._written - self._read
            if available == 0:
                if self._stop.is_set():
                    return
                time.sleep(0.02)
                continue
            start = self._read % capacity
            n = min(available, capacity - start)
            self._file.write(self._ring[start:start + n])
            self._read += n

    def stop(self) -> int:
        """Finish writing, move the file into place, and return the frames recorded."""
        self._stop.set()
        self._thread.join()
        self._file.close()
        self._atomic.__exit__(None, None, None)  # flushed and renamed into place
        return self._read
