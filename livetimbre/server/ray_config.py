"""The settings of `livetimbre serve --ray`: the deployments, their resources and their
autoscaling, from a YAML file (`--ray-config FILE`) or the default shipped beside this
module (`ray.yaml`). A user's file is hostile: a regular file, bounded, never echoed."""

from __future__ import annotations

__all__ = ["DEFAULT_CONFIG", "Autoscaling", "RayConfig", "Renderer", "load_ray_config"]

from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from livetimbre.errors import ConfigError
from livetimbre.files.read import read_user_text
from livetimbre.files.yamlsource import load_yaml, validate_located

DEFAULT_CONFIG = "ray.yaml"  # in this package
CONFIG_LIMIT = 64 * 1024  # bytes
Count = Annotated[int, Field(ge=0, le=1000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Autoscaling(_Strict):
    """Ray Serve's autoscaling of one deployment (its `autoscaling_config`)."""

    min_replicas: Count = 1
    max_replicas: Annotated[int, Field(ge=1, le=1000)] = 1
    target_ongoing_requests: Annotated[float, Field(gt=0, le=100)] = 1.0
    upscale_delay_s: Annotated[float, Field(ge=0, le=3600)] = 5.0
    downscale_delay_s: Annotated[float, Field(ge=0, le=86400)] = 60.0

    @model_validator(mode="after")
    def _ordered(self) -> Autoscaling:
        if self.min_replicas > self.max_replicas:
            raise ValueError("min_replicas is above max_replicas")
        return self


class Renderer(_Strict):
    """A render deployment: what each replica reserves, how many requests it takes at
    once, and either a fixed `num_replicas` or `autoscaling`."""

    num_cpus: Annotated[float, Field(ge=0, le=512)] = 1.0
    num_gpus: Annotated[float, Field(ge=0, le=16)] = 0.0
    max_ongoing_requests: Annotated[int, Field(ge=1, le=64)] = 1
    num_replicas: Annotated[int, Field(ge=1, le=1000)] | None = None
    autoscaling: Autoscaling | None = None
    max_models_per_replica: Annotated[int, Field(ge=1, le=16)] = 1  # musicgen only

    @model_validator(mode="after")
    def _one_way(self) -> Renderer:
        if self.num_replicas is not None and self.autoscaling is not None:
            raise ValueError("give num_replicas or autoscaling, not both")
        return self

    def options(self) -> dict[str, Any]:
        """The keyword arguments of `Deployment.options` these settings make."""
        chosen: dict[str, Any] = {
            "ray_actor_options": {"num_cpus": self.num_cpus, "num_gpus": self.num_gpus},
            "max_ongoing_requests": self.max_ongoing_requests}
        if self.autoscaling is not None:
            chosen["autoscaling_config"] = self.autoscaling.model_dump()
        else:
            chosen["num_replicas"] = 1 if self.num_replicas is None else self.num_replicas
        return chosen


class RayConfig(_Strict):
    """The whole file."""

    ingress_cpus: Annotated[float, Field(ge=0, le=64)] = 0.5
    senders: Annotated[int, Field(ge=1, le=256)] = 4  # jobs the ingress has out at once
    retries: Annotated[int, Field(ge=0, le=10)] = 2  # after a replica stops mid-render
    procedural: Renderer = Renderer(autoscaling=Autoscaling(max_replicas=4))
    musicgen: Renderer = Renderer(num_gpus=1, max_models_per_replica=2,
                                  autoscaling=Autoscaling(min_replicas=0, max_replicas=2))


def load_ray_config(path: Path | None) -> RayConfig:
    """The settings in `path`, or the shipped default; ConfigError naming the file, line
    and field of a problem (never its content)."""
    if path is None:
        text = files(__package__ or "livetimbre.server").joinpath(DEFAULT_CONFIG).read_text()
        source = DEFAULT_CONFIG
    else:
        text = read_user_text(path, "Ray config", ConfigError, CONFIG_LIMIT)
        source = str(path)
    located = load_yaml(text, source, ConfigError)
    return validate_located(RayConfig, located, "Ray config", ConfigError)
