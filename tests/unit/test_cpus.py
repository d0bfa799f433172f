"""The CPU plan: which CPU the audio process keeps, and the errors for bad choices."""

from __future__ import annotations

import os

import pytest

from livetimbre.errors import ConfigError
from livetimbre.system.cpus import CpuPlan, plan_cpus


@pytest.fixture
def four_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 2, 3, 5})


def test_auto_keeps_the_highest_allowed_cpu_for_audio(four_cpus: None) -> None:
    assert plan_cpus("auto") == CpuPlan(frozenset({5}), frozenset({0, 2, 3}))


def test_a_chosen_cpu_must_be_allowed(four_cpus: None) -> None:
    assert plan_cpus(" 2 ") == CpuPlan(frozenset({2}), frozenset({0, 3, 5}))
    with pytest.raises(ConfigError, match=r"--audio-cpu 4: livetimbre may use CPUs 0,2,3,5"):
        plan_cpus("4")


def test_bad_values_name_their_source(four_cpus: None) -> None:
    with pytest.raises(ConfigError, match=r"LIVETIMBRE_AUDIO_CPU 'last' is not a CPU"):
        plan_cpus("last", "LIVETIMBRE_AUDIO_CPU")


def test_one_cpu_means_no_plan_for_auto_and_an_error_for_a_number(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {3})
    assert plan_cpus("auto") is None
    with pytest.raises(ConfigError, match="at least one other must be left for renders"):
        plan_cpus("3")


def test_none_turns_it_off(four_cpus: None) -> None:
    assert plan_cpus("none") is None
    assert plan_cpus("NONE") is None


def test_describe() -> None:
    plan = CpuPlan(frozenset({1}), frozenset({0}))
    assert plan.describe() == "audio on CPU 1, renders on CPU 0"
