"""`serve --ray`'s settings file: the shipped default, a user's file checked as hostile
input (a regular file, bounded, problems named by line and field, its values not
echoed unless the file is shaped as the config), and the Serve options each deployment gets."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from livetimbre.errors import ConfigError
from livetimbre.server.ray_config import load_ray_config


def test_the_shipped_default_scales_musicgen_to_zero() -> None:
    config = load_ray_config(None)
    assert config.musicgen.options() == {
        "ray_actor_options": {"num_cpus": 1.0, "num_gpus": 1.0}, "max_ongoing_requests": 1,
        "autoscaling_config": {"min_replicas": 0, "max_replicas": 2,
                               "target_ongoing_requests": 1.0, "upscale_delay_s": 5.0,
                               "downscale_delay_s": 300.0}}
    assert config.musicgen.max_models_per_replica == 2
    assert config.procedural.options()["autoscaling_config"]["min_replicas"] == 1


def test_a_fixed_replica_count(tmp_path: Path) -> None:
    path = tmp_path / "ray.yaml"
    path.write_text("procedural: {num_replicas: 2, num_cpus: 0.5}\nretries: 0\n")
    config = load_ray_config(path)
    assert config.retries == 0
    assert config.procedural.options() == {
        "ray_actor_options": {"num_cpus": 0.5, "num_gpus": 0.0}, "max_ongoing_requests": 1,
        "num_replicas": 2}


@pytest.mark.parametrize(("text", "problem"), [
    ("procedural: {num_replicas: 2, autoscaling: {max_replicas: 3}}\n",
     r"ray.yaml:1:\d+: .*give num_replicas or autoscaling, not both"),
    ("musicgen:\n  autoscaling: {min_replicas: 5, max_replicas: 2}\n",
     r"ray.yaml:2:\d+: Ray config field 'musicgen.autoscaling': min_replicas is above"),
    ("procedural: {num_gpus: 1x}\n", r"ray.yaml:1:\d+: Ray config field 'procedural.num_gpus'"),
    ("procedural: [secret-value\n", r"ray.yaml:2:1: invalid YAML"),
    ("- secret-value\n", r"ray.yaml:1:1: .*valid dictionary"),
])
def test_a_bad_file_is_named_by_line_and_field(tmp_path: Path, text: str,
                                               problem: str) -> None:
    path = tmp_path / "ray.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=problem) as caught:
        load_ray_config(path)
    assert "secret" not in str(caught.value)  # a file not shaped as the config: no values


def test_only_a_regular_bounded_file_is_read(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a regular file"):
        load_ray_config(tmp_path)
    big = tmp_path / "big.yaml"
    big.write_text("# " + "x" * 70_000 + "\n")
    with pytest.raises(ConfigError, match="the limit is 65,536"):
        load_ray_config(big)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(ConfigError, match="not a regular file"):
        load_ray_config(fifo)
