"""SoundFont discovery and synth choice, including the fallback when FluidSynth is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

import livetimbre.synth.fluid as fluid
from livetimbre.errors import SoundFontError
from livetimbre.synth import choose_synth
from livetimbre.synth.basic import BasicSynth
from livetimbre.synth.soundfonts import find_soundfont


def test_explicit_soundfont_must_exist(tmp_path: Path) -> None:
    with pytest.raises(SoundFontError, match=r"missing\.sf2") as info:
        find_soundfont(tmp_path / "missing.sf2")
    assert "apt install fluid-soundfont-gm" in str(info.value)


def test_user_home_soundfont_is_found_first(tmp_path: Path) -> None:
    fonts = tmp_path / "soundfonts"
    fonts.mkdir()
    (fonts / "Mine.sf2").write_bytes(b"RIFF0000sfbk")
    assert find_soundfont(None, tmp_path) == (fonts / "Mine.sf2").resolve()


def test_no_soundfont_anywhere_names_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("livetimbre.synth.soundfonts.search_paths", lambda home=None: [tmp_path])
    with pytest.raises(SoundFontError, match="No General MIDI SoundFont found"):
        find_soundfont(None, tmp_path)


def test_auto_falls_back_to_basic_when_fluidsynth_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fluid, "_load_module", lambda: (None, "libfluidsynth not found"))
    synth, note = choose_synth("auto", 48000)
    assert isinstance(synth, BasicSynth)
    assert "libfluidsynth not found" in note


def test_auto_falls_back_to_basic_without_a_soundfont(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("livetimbre.synth.soundfonts.search_paths", lambda home=None: [tmp_path])
    synth, note = choose_synth("auto", 48000)
    assert isinstance(synth, BasicSynth)
    assert "No General MIDI SoundFont" in note


def test_explicit_fluidsynth_without_library_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fluid, "_load_module", lambda: (None, "libfluidsynth not found"))
    with pytest.raises(SoundFontError, match="libfluidsynth not found"):
        choose_synth("fluidsynth", 48000)


def test_importing_the_package_loads_no_audio_backend() -> None:
    import subprocess
    import sys

    code = ("import sys, livetimbre; heavy = [m for m in ('fluidsynth', 'sounddevice', 'torch', "
            "'scipy', 'soundfile') if m in sys.modules]; print(','.join(heavy))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == ""
