"""Finding a General MIDI SoundFont: the user's choice, the usual folders, packages."""

from __future__ import annotations

__all__ = ["INSTALL_HINT", "find_soundfont", "search_paths"]

import importlib.util
import os
from pathlib import Path

from livetimbre.errors import SoundFontError

INSTALL_HINT = (
    "Install a General MIDI SoundFont: on Debian/Ubuntu 'apt install fluid-soundfont-gm', "
    "on Fedora 'dnf install fluid-soundfont-gm', on Arch 'pacman -S soundfont-fluid', "
    "on macOS put FluidR3_GM.sf2 in ~/Library/Audio/Sounds/Banks; or point "
    "LIVETIMBRE_SOUNDFONT at any .sf2/.sf3 file."
)

_PREFERRED = ("FluidR3_GM.sf2", "FluidR3_GM.sf3", "default-GM.sf2", "MuseScore_General.sf3",
              "TimGM6mb.sf2", "GeneralUser GS.sf2", "default.sf2")
# Python packages known to ship a General MIDI SoundFont inside them.
_PACKAGES_WITH_FONTS = ("pretty_midi", "fluidsynth_soundfonts")


def search_paths(home: Path | None = None) -> list[Path]:
    """Folders searched, most specific first."""
    folders = []
    if home is not None:
        folders.append(home / "soundfonts")
    folders += [
        Path("/usr/share/sounds/sf2"), Path("/usr/share/sounds/sf3"),
        Path("/usr/share/soundfonts"), Path("/usr/local/share/soundfonts"),
        Path("/usr/share/sounds/sf2/FluidR3_GM"), Path("/opt/homebrew/share/soundfonts"),
        Path.home() / "Library/Audio/Sounds/Banks", Path.home() / ".local/share/soundfonts",
    ]
    for package in _PACKAGES_WITH_FONTS:
        spec = importlib.util.find_spec(package) if "." not in package else None
        if spec is not None and spec.origin:
            folders.append(Path(spec.origin).parent)
    return folders


def _usable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.R_OK) and path.stat().st_size > 0


def find_soundfont(explicit: Path | None, home: Path | None = None) -> Path:
    """The SoundFont to use. An explicit path must exist; otherwise search the usual places."""
    if explicit is not None:
        path = Path(explicit).expanduser()
        if not _usable(path):
            raise SoundFontError(
                f"SoundFont {path} (from LIVETIMBRE_SOUNDFONT or --soundfont) does not exist "
                f"or is not readable. {INSTALL_HINT}"
            )
        return path
    folders = [f for f in search_paths(home) if f.is_dir()]
    if home is not None and (home / "soundfonts").is_dir():
        # The user's own folder wins over the system's, whatever the fonts are called.
        found = _first_in([home / "soundfonts"])
        if found is not None:
            return found
    found = _first_in(folders)
    if found is None:
        raise SoundFontError(f"No General MIDI SoundFont found. {INSTALL_HINT}")
    return found


def _first_in(folders: list[Path]) -> Path | None:
    """The best font in `folders`: a well-known GM font by name first, then any."""
    for name in _PREFERRED:
        for folder in folders:
            if _usable(folder / name):
                return (folder / name).resolve()
    for folder in folders:
        for path in sorted(folder.glob("*.sf[23]")):
            if _usable(path):
                return path.resolve()
    return None
