"""Controller profiles: the shipped ones load and map pads as their manuals say; bad
profiles are refused naming the file, line and problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from livetimbre.controllers.midi.grid import fader_db
from livetimbre.controllers.midi.profile import load_profile, profile_ids, sysex_bytes
from livetimbre.errors import ConfigError


def test_shipped_profiles() -> None:
    assert {"launchpad_x", "launchpad_mini_mk3", "apc_mini_mk2", "generic"} <= set(
        profile_ids())
    lpx = load_profile("launchpad_x")
    # Programmer mode: 81 top-left, 18 bottom-right, 11 bottom-left.
    assert (lpx.grid.number(0, 0), lpx.grid.number(7, 7), lpx.grid.number(7, 0)) == (81, 18, 11)
    assert lpx.grid.locate(55) == (3, 4)
    assert lpx.grid.locate(19) is None and lpx.grid.locate(90) is None
    assert lpx.init_messages() == [[0x00, 0x20, 0x29, 0x02, 0x0C, 0x0E, 0x01]]
    assert lpx.matches("Launchpad X:Launchpad X LPX MIDI In 20:1")
    mini = load_profile("launchpad_mini_mk3")
    assert mini.init_messages() == [[0x00, 0x20, 0x29, 0x02, 0x0D, 0x0E, 0x01]]
    apc = load_profile("apc_mini_mk2")
    assert (apc.grid.number(0, 0), apc.grid.number(7, 0), apc.grid.number(7, 7)) == (56, 0, 7)
    assert apc.faders is not None and apc.faders.numbers[0] == 48
    assert apc.grid.leds.message("playing") != apc.grid.leds.message("queued")


def test_user_profiles_override_and_add(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        "id: mine\nname: My Grid\nports: [Mine]\n"
        "grid: {rows: 2, columns: 2, top_left: 0, row_step: 2}\n")
    assert "mine" in profile_ids(tmp_path)
    profile = load_profile("mine", tmp_path)
    assert profile.grid.locate(3) == (1, 1)
    assert load_profile(str(tmp_path / "mine.yaml")).name == "My Grid"


@pytest.mark.parametrize(("text", "message"), [
    ("id: x\nname: X\nports: [X]\ngrid: {rows: 8, columns: 8, top_left: 100, row_step: 8}\n",
     r"bad.yaml:4:\d+: controller profile field 'grid': .*pad numbers run from 100 to 163"),
    ("id: x\nname: X\nports: [X]\ngrid: {rows: 2, columns: 2, top_left: 0, row_step: 1}\n",
     r"two pads would send the same number"),
    ("id: x\nname: X\nports: [X]\ninit: ['F0 00 GG F7']\n"
     "grid: {rows: 1, columns: 1, top_left: 0, row_step: 1}\n",
     r"bad.yaml:4:\d+: .*'init'.*not hex bytes"),
    ("id: x\nname: X\nports: [X]\ngrid: {rows: 1, columns: 1, top_left: 0, row_step: 1,\n"
     "  leds: {playing: [16, 5]}}\n", r"needs a channel 0-15"),
    ("id: x\nname: X\nports: []\ngrid: {rows: 1, columns: 1, top_left: 0, row_step: 1}\n",
     r"'ports'"),
])
def test_bad_profiles_are_located(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_profile(str(path))


def test_unknown_profile_lists_the_known() -> None:
    with pytest.raises(ConfigError, match=r"Unknown controller profile 'launchpad_pro'.*"
                                          r"apc_mini_mk2.*launchpad_x"):
        load_profile("launchpad_pro")


def test_sysex_must_be_framed() -> None:
    assert sysex_bytes("F0 7E 7F 06 01 F7") == [0x7E, 0x7F, 0x06, 0x01]
    with pytest.raises(ValueError, match="must start with F0"):
        sysex_bytes("7E 7F")


def test_fader_curve() -> None:
    assert fader_db(0) == -96.0
    assert fader_db(127) == 6.0
    assert abs(fader_db(90)) < 0.1  # unity near three quarters of the travel
    values = [fader_db(v) for v in range(128)]
    assert values == sorted(values)
