"""A 120 s compose with vocals against the same compose without a singer.

Runs `livetimbre compose` in-process twice with the same prompt and seed: once with the
singer (the vocals part sung), once with the singer switched off (the plan's wordless
choir instead). Prints both times and their ratio (the issue's target: under 2x), and
checks that the sung track has its vocal stem, `.lrc` and lyrics, and the master's
loudness. Prints figures; asserts nothing.

    .venv/bin/python bench/voice_compose_bench.py [--duration 120] [--prompt "..."]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PROMPT = "tender folk ballad about the sea, a soprano sings"


def _compose(prompt: str, duration: float, folder: Path, sung: bool) -> tuple[float, Path]:
    from livetimbre.cli import main
    from livetimbre.track import requesting, stages

    for module in (requesting, stages):
        module.singer_sings = (lambda: True) if sung else (lambda: False)  # type: ignore
    os.environ["LIVETIMBRE_HOME"] = str(folder / "home")
    out = folder / "song.wav"
    started = time.perf_counter()
    code = main(["compose", prompt, "--duration", str(duration), "--seed", "7", "-q",
                 "-o", str(out), "--stems", str(folder / "stems")])
    elapsed = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"compose exited {code}")
    return elapsed, out


def run(prompt: str, duration: float) -> None:
    from livetimbre.voice.singing import singer_status

    status = singer_status()
    if status is not None:
        raise SystemExit(f"no singer on this machine: {status}")
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        plain, _ = _compose(prompt, duration, Path(a), sung=False)
        sung, out = _compose(prompt, duration, Path(b), sung=True)
        sidecar = json.loads(out.with_name(out.name + ".json").read_text(encoding="utf-8"))
        stem = Path(b) / "stems" / "vocals.wav"
        lrc = out.with_suffix(".lrc")
        clips = [c for s in sidecar["sections"] for c in s["clips"] if "vocal" in c]
        wordless = [c["vocal"]["note"] for c in clips if not c["vocal"]["sung"]]
        qa = sidecar["qa"]["figures"]
        print(f"without a singer: {plain:.2f} s; with vocals: {sung:.2f} s; ratio "
              f"{sung / plain:.2f}x (target < 2x) for {qa['duration_s']:.1f} s of audio")
        print(f"vocal stem: {stem.exists()}; .lrc: {lrc.exists()} "
              f"({len(lrc.read_text(encoding='utf-8').splitlines()) if lrc.exists() else 0} "
              f"lines); lyrics in the sidecar: {'lyrics' in sidecar}; sung sections: "
              f"{len(clips) - len(wordless)} of {len(clips)}"
              + (f" (wordless: {wordless[0]})" if wordless else ""))
        print(f"master: {qa['integrated_lufs']} LUFS (target -14), "
              f"{qa['true_peak_dbtp']} dBTP")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=120.0)
    parser.add_argument("--prompt", default=PROMPT)
    options = parser.parse_args()
    run(options.prompt, options.duration)
