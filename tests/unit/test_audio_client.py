"""The audio client with a real audio process (null output): clips stored once by id,
typed events mirrored, and subscribers called on the control loop, in order."""

from __future__ import annotations

import asyncio
import os
import threading
import time

import numpy as np
import pytest

from livetimbre.engine.client import AudioClient
from livetimbre.engine.commands import StartClip, StopChannel
from livetimbre.engine.events import EngineEvent, EventKind
from livetimbre.engine.mixer import LoopClip
from livetimbre.engine.server import MESSAGES_PRIORITY, AudioConfig
from livetimbre.session.model import SlotKey
from livetimbre.system.realtime import realtime_thread

pytestmark = pytest.mark.timeout(60)

SLOT = SlotKey("a", "x")


def _client() -> AudioClient:
    return AudioClient(AudioConfig(48000, 120.0, "4/4", ("a",), "1M", 256, "null", None))


def _clip(value: float = 0.25) -> LoopClip:
    return LoopClip(np.full((96000, 2), value, np.float32), 1, SLOT)


def test_subscribers_get_each_batch_on_the_loop_in_order() -> None:
    async def scenario() -> None:
        client = _client()
        batches: list[list[EngineEvent]] = []
        threads: set[int] = set()

        def listener(events: list[EngineEvent]) -> None:
            batches.append(events)
            threads.add(threading.get_ident())

        unsubscribe = client.subscribe(listener)
        client.start()
        try:
            clip = _clip()
            clip_id = client.store(clip)
            assert client.store(clip) == clip_id  # shipped once
            client.submit(StartClip("a", clip_id, quantize="none"))
            client.submit(StopChannel("a", quantize="1/16"))
            deadline = time.monotonic() + 20
            while sum(map(len, batches)) < 2 and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
            events = [e for batch in batches for e in batch]
            assert [(e.kind, e.layer, e.slot) for e in events] == [
                (EventKind.LAUNCH, "a", SLOT), (EventKind.STOP, "a", None)]
            assert threads == {threading.get_ident()}  # the loop's thread, not the receiver's
            assert list(client.events) == events
            assert client.playing_slot("a") is None
            # A newer clip of the slot gets a new id (the old one is forgotten there).
            assert client.store(_clip(0.5)) != clip_id
            unsubscribe()
            client.submit(StartClip("a", clip_id + 1, quantize="none"))
            deadline = time.monotonic() + 20
            while client.playing_slot("a") is None and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.05)
            assert client.playing_slot("a") == SLOT
            assert sum(map(len, batches)) == 2  # unsubscribed: nothing more delivered
        finally:
            client.stop()
        assert client.callback_stats["callbacks"] > 0

    asyncio.run(scenario())


def test_without_a_loop_subscribers_are_called_by_the_receiving_thread() -> None:
    client = _client()
    got: list[tuple[EventKind, int]] = []
    client.subscribe(lambda events: got.extend((e.kind, threading.get_ident()) for e in events))
    client.start()
    try:
        client.submit(StartClip("a", client.store(_clip()), quantize="none"))
        deadline = time.monotonic() + 20
        while not got and time.monotonic() < deadline:
            time.sleep(0.01)
        assert [kind for kind, _ in got] == [EventKind.LAUNCH]
        assert got[0][1] != threading.get_ident()
    finally:
        client.stop()


def _realtime_allowed() -> bool:
    """Whether this system lets a thread of ours take SCHED_FIFO (tried on a thread
    that ends right after)."""
    allowed: list[bool] = []
    thread = threading.Thread(target=lambda: allowed.append(realtime_thread(1)))
    thread.start()
    thread.join()
    return allowed[0]


def test_the_audio_process_message_thread_is_real_time_where_allowed() -> None:
    """The thread that takes clips and commands holds the GIL for moments; preempted by
    an ordinary process there, it would keep the callback waiting (see server.py)."""
    client = _client()
    client.start()
    try:
        assert client.pid is not None
        policy = os.sched_getscheduler(client.pid)  # the process's main thread
        if _realtime_allowed():
            assert policy == os.SCHED_FIFO
            assert os.sched_getparam(client.pid).sched_priority == MESSAGES_PRIORITY
        else:
            assert policy == os.SCHED_OTHER
    finally:
        client.stop()
