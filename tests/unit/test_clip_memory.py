"""The render pool's in-memory clips: spare ones within the budget, in-use ones kept."""

from __future__ import annotations

import numpy as np
import pytest

from livetimbre.config import DEFAULT_CLIP_MEMORY_MB, Settings
from livetimbre.errors import ConfigError
from livetimbre.render.info import ClipInfo
from livetimbre.render.memory import ClipMemory

MB = 1 << 20


def _clip(megabytes: int) -> np.ndarray:
    return np.zeros((megabytes * MB // 8, 2), np.float32)


def test_spare_clips_are_dropped_oldest_first_beyond_the_budget() -> None:
    memory = ClipMemory(3 * MB, lambda: ())
    for name in "abcd":
        memory.put(name, _clip(1), ClipInfo(), None)
    assert memory.get("a") is None  # the oldest went
    assert [memory.get(n) is not None for n in "bcd"] == [True, True, True]
    memory.get("b")  # now the most recently used
    memory.put("e", _clip(1), ClipInfo(), None)
    assert memory.get("c") is None and memory.get("b") is not None
    assert memory.spare_bytes == memory.bytes == 3 * MB


def test_clips_in_use_are_never_dropped_and_do_not_count() -> None:
    in_use = {"playing", "next"}
    memory = ClipMemory(1 * MB, lambda: in_use)
    memory.put("playing", _clip(4), ClipInfo(), None)
    memory.put("next", _clip(4), ClipInfo(), None)
    for name in "xyz":
        memory.put(name, _clip(1), ClipInfo(), None)
    assert memory.get("playing") is not None and memory.get("next") is not None
    assert [memory.get(n) is None for n in "xyz"] == [True, True, False]
    assert memory.spare_bytes == 1 * MB and memory.bytes == 9 * MB
    in_use.discard("playing")  # replaced by a new render: now spare, dropped at the next trim
    memory.trim()
    assert memory.get("playing") is None and memory.spare_bytes <= 1 * MB


def test_a_budget_of_zero_keeps_only_what_is_in_use() -> None:
    memory = ClipMemory(0, lambda: {"a"})
    memory.put("a", _clip(1), ClipInfo(), None)
    memory.put("b", _clip(1), ClipInfo(), None)
    assert memory.get("a") is not None and memory.get("b") is None and len(memory) == 1


def test_the_budget_comes_from_livetimbre_clip_memory_mb(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    assert Settings.from_env().clip_memory_bytes == DEFAULT_CLIP_MEMORY_MB * MB
    monkeypatch.setenv("LIVETIMBRE_CLIP_MEMORY_MB", "100")
    assert Settings.from_env().clip_memory_bytes == 100 * MB
    monkeypatch.setenv("LIVETIMBRE_CLIP_MEMORY_MB", "lots")
    with pytest.raises(ConfigError, match="LIVETIMBRE_CLIP_MEMORY_MB='lots'"):
        Settings.from_env()
