"""The terminal-to-PNG drawing behind the README's Session View picture."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.session_view_png import FONT, Style, draw, parse_ansi


def test_sgr_colours_bold_and_reset_are_read_per_cell() -> None:
    lines = parse_ansi("a\x1b[1;38;5;196mb\x1b[0mc\n\x1b[48;2;1;2;3m \x1b[49md")
    assert [ch for ch, _ in lines[0]] == ["a", "b", "c"]
    assert lines[0][0][1] == Style()
    assert lines[0][1][1] == Style(fg=(255, 0, 0), bold=True)
    assert lines[0][2][1] == Style()
    assert lines[1][0][1].bg == (1, 2, 3) and lines[1][1][1].bg is None


@pytest.mark.skipif(not FONT.is_file(), reason="DejaVu Sans Mono is not installed")
def test_a_cell_background_is_painted(tmp_path: Path) -> None:
    from PIL import Image

    out = tmp_path / "screen.png"
    draw("\x1b[48;5;21m  \x1b[0m\nok", out)
    image = Image.open(out).convert("RGB")
    assert image.size[0] > 24 and image.size[1] > 30
    assert image.getpixel((14, 14)) == (0, 0, 255)  # xterm colour 21
