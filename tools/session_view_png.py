"""Draw the README's Session View picture: `livetimbre play` on the demo patch in a real
terminal (tmux, null audio output), its screen captured with colours and drawn as a PNG.

Run from a checkout with tmux installed: `python -m tools.session_view_png OUT.png`.
"""

from __future__ import annotations

__all__ = ["draw", "main", "parse_ansi"]

import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf")
FOREGROUND = (208, 208, 208)
BACKGROUND = (24, 24, 24)
_BASIC = [(0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16), (36, 114, 200),
          (188, 63, 188), (17, 168, 205), (229, 229, 229), (102, 102, 102), (241, 76, 76),
          (35, 209, 139), (245, 245, 67), (59, 142, 234), (214, 112, 214), (41, 184, 219),
          (255, 255, 255)]
_SGR = re.compile(r"\x1b\[([0-9;]*)m")
RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Style:
    fg: RGB | None = None
    bg: RGB | None = None
    bold: bool = False
    reverse: bool = False


def _xterm(n: int) -> RGB:
    """The RGB of xterm-256 colour `n`."""
    if n < 16:
        return _BASIC[n]
    if n < 232:
        n -= 16
        levels = [0, 95, 135, 175, 215, 255]
        return levels[n // 36], levels[n // 6 % 6], levels[n % 6]
    grey = 8 + 10 * (n - 232)
    return grey, grey, grey


def _colour(codes: list[int]) -> tuple[RGB, int]:
    """The colour an extended SGR sequence names, and how many codes it used."""
    if codes[0] == 5:
        return _xterm(codes[1]), 2
    return (codes[1], codes[2], codes[3]), 4


def _apply(style: Style, params: str) -> Style:
    codes = [int(p) if p else 0 for p in params.split(";")]
    i = 0
    while i < len(codes):
        code = codes[i]
        if code == 0:
            style = Style()
        elif code == 1:
            style = replace(style, bold=True)
        elif code == 22:
            style = replace(style, bold=False)
        elif code == 7:
            style = replace(style, reverse=True)
        elif code == 27:
            style = replace(style, reverse=False)
        elif code in (38, 48):
            rgb, used = _colour(codes[i + 1:])
            style = replace(style, fg=rgb) if code == 38 else replace(style, bg=rgb)
            i += used
        elif code == 39:
            style = replace(style, fg=None)
        elif code == 49:
            style = replace(style, bg=None)
        elif 30 <= code <= 37 or 90 <= code <= 97:
            style = replace(style, fg=_BASIC[code - 30 if code < 90 else code - 82])
        elif 40 <= code <= 47 or 100 <= code <= 107:
            style = replace(style, bg=_BASIC[code - 40 if code < 100 else code - 92])
        i += 1
    return style


def parse_ansi(screen: str) -> list[list[tuple[str, Style]]]:
    """Each line of a captured screen as (character, style) cells."""
    style = Style()
    lines = []
    for raw in screen.split("\n"):
        cells: list[tuple[str, Style]] = []
        position = 0
        for match in _SGR.finditer(raw):
            cells += [(ch, style) for ch in raw[position:match.start()]]
            style = _apply(style, match[1])
            position = match.end()
        cells += [(ch, style) for ch in raw[position:]]
        lines.append(cells)
    return lines


def draw(screen: str, out: Path, size: int = 15) -> None:
    """Draw a captured screen (with SGR colours) as a PNG."""
    regular = ImageFont.truetype(str(FONT), size)
    bold = ImageFont.truetype(str(FONT_BOLD), size)
    width = round(regular.getlength("M"))
    height = round(size * 1.35)
    lines = parse_ansi(screen.rstrip("\n"))
    columns = max(len(line) for line in lines)
    pad = 12
    image = Image.new("RGB", (columns * width + 2 * pad, len(lines) * height + 2 * pad),
                      BACKGROUND)
    pen = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        for column, (char, style) in enumerate(line):
            fg, bg = style.fg or FOREGROUND, style.bg
            if style.reverse:
                fg, bg = bg or BACKGROUND, fg
            x, y = pad + column * width, pad + row * height
            if bg is not None:
                pen.rectangle((x, y, x + width, y + height), fill=bg)
            pen.text((x, y + 2), char, fill=fg, font=bold if style.bold else regular)
    image.save(out)


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


def _wait_for(session: str, text: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while text not in _tmux("capture-pane", "-p", "-t", session):
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {text!r}")
        time.sleep(0.1)


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/img/session-view.png")
    session = f"livetimbre-shot-{os.getpid()}"
    with tempfile.TemporaryDirectory() as home:
        command = (f"env LIVETIMBRE_HOME={home} TERM=xterm-256color {sys.executable} -m "
                   "livetimbre.cli play patches/night-drive.yaml --output null --no-record "
                   "--osc-port 0; sleep 5")
        _tmux("new-session", "-d", "-s", session, "-x", "92", "-y", "21", command)
        try:
            _wait_for(session, "livetimbre>")
            _wait_for(session, "bass@fade ready")
            _tmux("send-keys", "-t", session, "C-l")
            _tmux("send-keys", "-t", session, "F2")
            _tmux("send-keys", "-t", session, "/scene 3", "Enter")
            _wait_for(session, "1 intro")
            _wait_for(session, "playing")
            _tmux("send-keys", "-t", session, '/clip lead 4 "soaring hook, high"', "Enter")
            _wait_for(session, "lead@fade ready")
            time.sleep(0.5)  # the toolbar redraws at most ten times a second
            draw(_tmux("capture-pane", "-e", "-p", "-t", session), out)
        finally:
            _tmux("kill-session", "-t", session)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
