"""Grid controller profiles: which MIDI message each pad, button and fader sends, and
what to send back to light it, as YAML data.

Profiles ship in `livetimbre/profiles/`; a file in `$LIVETIMBRE_HOME/profiles/` adds one
or replaces a shipped one of the same id. Layers are the grid's columns and scenes its
rows (as in Ableton Live's Session View), the first row at the top.
"""

from __future__ import annotations

__all__ = [
    "ButtonRow",
    "ControllerProfile",
    "Grid",
    "LedMap",
    "ShiftButton",
    "builtin_profile_dir",
    "load_profile",
    "profile_ids",
]

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from livetimbre.errors import ConfigError
from livetimbre.files.read import excerpt, read_user_text
from livetimbre.files.yamlsource import load_yaml, validate_located

Midi7 = Annotated[int, Field(ge=0, le=127)]
ChannelNumber = Annotated[int, Field(ge=0, le=15)]
MessageKind = Literal["note", "cc"]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LedMap(_Strict):
    """For each state, the [channel, value] that lights a pad or button that way (a
    device's colour palette index as the value, its flash / pulse mode as the channel)."""

    empty: tuple[int, int] = (0, 0)
    queued: tuple[int, int] = (0, 0)
    rendering: tuple[int, int] = (0, 0)
    ready: tuple[int, int] = (0, 0)
    playing: tuple[int, int] = (0, 0)
    failed: tuple[int, int] = (0, 0)

    @model_validator(mode="after")
    def _ranges(self) -> LedMap:
        for state in ("empty", "queued", "rendering", "ready", "playing", "failed"):
            channel, value = getattr(self, state)
            if not (0 <= channel <= 15 and 0 <= value <= 127):
                raise ValueError(f"{state}: [{channel}, {value}] needs a channel 0-15 and a "
                                 "value 0-127")
        return self

    def message(self, state: str) -> tuple[int, int]:
        value: tuple[int, int] = getattr(self, state)
        return value


class Grid(_Strict):
    """An evenly numbered grid of pads: pad (row, column) sends
    `top_left + row * row_step + column * column_step`."""

    message: MessageKind = "note"
    channel: ChannelNumber = 0
    rows: int = Field(ge=1, le=16)
    columns: int = Field(ge=1, le=16)
    top_left: Midi7
    row_step: int
    column_step: int = 1
    leds: LedMap = LedMap()

    @model_validator(mode="after")
    def _numbers_fit(self) -> Grid:
        numbers = [self.number(r, c) for r in range(self.rows) for c in range(self.columns)]
        if min(numbers) < 0 or max(numbers) > 127:
            raise ValueError(f"pad numbers run from {min(numbers)} to {max(numbers)}; "
                             "MIDI allows 0-127")
        if len(set(numbers)) != len(numbers):
            raise ValueError("two pads would send the same number (check the steps)")
        return self

    def number(self, row: int, column: int) -> int:
        return self.top_left + row * self.row_step + column * self.column_step

    def locate(self, number: int) -> tuple[int, int] | None:
        """(row, column) of the pad sending `number`, or None."""
        for row in range(self.rows):
            column, remainder = divmod(number - self.top_left - row * self.row_step,
                                       self.column_step)
            if remainder == 0 and 0 <= column < self.columns:
                return row, column
        return None


class ButtonRow(_Strict):
    """A row of buttons (scene launch, layer stop), in grid order; with LEDs if `leds`."""

    message: MessageKind = "note"
    channel: ChannelNumber = 0
    numbers: list[int] = Field(min_length=1, max_length=16)
    leds: LedMap | None = None

    @field_validator("numbers")
    @classmethod
    def _in_range(cls, numbers: list[int]) -> list[int]:
        bad = [n for n in numbers if not 0 <= n <= 127]
        if bad:
            raise ValueError(f"{bad[0]} is not a MIDI number 0-127")
        return numbers


class Faders(_Strict):
    """Control changes that set layer gains, one per grid column."""

    channel: ChannelNumber = 0
    numbers: list[int] = Field(min_length=1, max_length=16)


class ShiftButton(_Strict):
    """A button held to learn: shift + a pad, scene or stop button or fader arms
    `/learn` for what it would do."""

    message: MessageKind = "note"
    channel: ChannelNumber = 0
    number: Midi7


class ControllerProfile(_Strict):
    id: str
    name: str
    ports: list[str] = Field(min_length=1)  # words found in the device's port names
    init: list[str] = []  # SysEx (hex bytes, F0 ... F7) sent on connect, e.g. programmer mode
    exit: list[str] = []  # SysEx sent when livetimbre lets go of the device
    grid: Grid
    scene_buttons: ButtonRow | None = None
    stop_buttons: ButtonRow | None = None
    faders: Faders | None = None
    shift: ShiftButton | None = None

    @field_validator("init", "exit")
    @classmethod
    def _sysex(cls, messages: list[str]) -> list[str]:
        for text in messages:
            sysex_bytes(text)
        return messages

    def init_messages(self) -> list[list[int]]:
        return [sysex_bytes(text) for text in self.init]

    def exit_messages(self) -> list[list[int]]:
        return [sysex_bytes(text) for text in self.exit]

    def matches(self, port_name: str) -> bool:
        return any(word.lower() in port_name.lower() for word in self.ports)


def sysex_bytes(text: str) -> list[int]:
    """'F0 00 20 29 F7' → the data bytes between F0 and F7 (as mido wants them)."""
    try:
        values = [int(part, 16) for part in text.split()]
    except ValueError:
        raise ValueError(f"{text!r} is not hex bytes like 'F0 00 20 29 ... F7'") from None
    if len(values) < 2 or values[0] != 0xF0 or values[-1] != 0xF7:
        raise ValueError(f"{text!r} must start with F0 and end with F7")
    data = values[1:-1]
    if any(not 0 <= v <= 127 for v in data):
        raise ValueError(f"{text!r}: SysEx data bytes must be 00-7F")
    return data


def builtin_profile_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "profiles"


def _profile_files(user_dir: Path | None) -> dict[str, Path]:
    files = {p.stem: p for p in sorted(builtin_profile_dir().glob("*.yaml"))}
    if user_dir is not None and user_dir.is_dir():
        files.update({p.stem: p for p in sorted(user_dir.glob("*.yaml"))})
    return files


def profile_ids(user_dir: Path | None = None) -> list[str]:
    return sorted(_profile_files(user_dir))


def load_profile(name_or_path: str, user_dir: Path | None = None) -> ControllerProfile:
    """A profile by id (shipped or in `user_dir`) or by file path; errors name the file,
    line and problem, or list the known ids."""
    files = _profile_files(user_dir)
    path = Path(name_or_path).expanduser()
    if name_or_path not in files and not (path.suffix in (".yaml", ".yml") and path.exists()):
        raise ConfigError(f"Unknown controller profile {excerpt(name_or_path, 80)} (known: "
                          f"{', '.join(sorted(files))}; or give a .yaml file).")
    if name_or_path in files:
        path = files[name_or_path]
    located = load_yaml(read_user_text(path, "controller profile", ConfigError), str(path),
                        ConfigError)
    return validate_located(ControllerProfile, located, "controller profile", ConfigError)
