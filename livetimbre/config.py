"""Settings shared by every part: sample rate, block size, paths, export options.

Values come from defaults, then `LIVETIMBRE_*` environment variables, then the
command line (the CLI passes overrides to `Settings.from_env`).
"""

from __future__ import annotations

__all__ = ["DEFAULT_CACHE_MB", "DEFAULT_CLIP_MEMORY_MB", "ExportFormat", "Settings",
           "livetimbre_home"]

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from livetimbre.errors import ConfigError

ExportFormat = Literal["wav", "flac", "ogg", "mp3"]
DEFAULT_CACHE_MB = 2048
# Spare rendered clips the live process keeps in memory, besides those the session uses
# (about nine 4-bar clips at 104 BPM); the store on disk keeps them all.
DEFAULT_CLIP_MEMORY_MB = 32


def livetimbre_home() -> Path:
    """The data root: `$LIVETIMBRE_HOME`, else the platform's user data dir."""
    env = os.environ.get("LIVETIMBRE_HOME")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("livetimbre"))


class Settings(BaseModel):
    """Engine and export settings; immutable once built."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sample_rate: int = Field(48000, ge=8000, le=192000)
    block_size: int = Field(256, ge=16, le=8192)
    export_sample_rate: int | None = Field(None, ge=8000, le=192000)
    export_bit_depth: int = 24
    export_format: ExportFormat | None = None
    soundfont: Path | None = None
    home: Path = Field(default_factory=livetimbre_home)
    cache_mb: int = Field(DEFAULT_CACHE_MB, ge=0, le=1 << 24)  # rendered clips kept in the store
    clip_memory_mb: int = Field(DEFAULT_CLIP_MEMORY_MB, ge=0, le=1 << 20)  # and in memory

    @field_validator("export_bit_depth")
    @classmethod
    def _bit_depth(cls, value: int) -> int:
        if value not in (16, 24, 32):
            raise ValueError("use 16, 24 or 32")
        return value

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Build settings from `LIVETIMBRE_*` variables, then `overrides` (None = unset)."""
        env_names = {
            "export_sample_rate": "LIVETIMBRE_EXPORT_SAMPLE_RATE",
            "export_bit_depth": "LIVETIMBRE_EXPORT_BIT_DEPTH",
            "export_format": "LIVETIMBRE_EXPORT_FORMAT",
            "soundfont": "LIVETIMBRE_SOUNDFONT",
            "cache_mb": "LIVETIMBRE_CACHE_MB",
            "clip_memory_mb": "LIVETIMBRE_CLIP_MEMORY_MB",
        }
        values: dict[str, object] = {}
        for field, var in env_names.items():
            if os.environ.get(var):
                values[field] = os.environ[var]
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            problems = "; ".join(
                f"{env_names.get(str(err['loc'][0]), str(err['loc'][0]))}={err.get('input')!r}: "
                f"{err['msg'].removeprefix('Value error, ')}"
                for err in exc.errors()
            )
            raise ConfigError(f"Invalid settings: {problems}.") from exc

    @property
    def user_genre_dir(self) -> Path:
        """Folder whose `*.yaml` files add genres without touching the package."""
        return self.home / "genres"

    @property
    def store_dir(self) -> Path:
        """The artifact store: its database, blobs and temporary files."""
        return self.home / "store"

    @property
    def cache_bytes(self) -> int:
        """The rendered-clip cache's size limit in bytes (`cache_mb`)."""
        return self.cache_mb * 1024 * 1024

    @property
    def clip_memory_bytes(self) -> int:
        """Spare rendered clips the live process may keep in memory (`clip_memory_mb`)."""
        return self.clip_memory_mb * 1024 * 1024
