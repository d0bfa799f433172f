"""The architecture page's layer diagram, from the import-linter contract in pyproject.toml."""

from __future__ import annotations

__all__ = ["NOTES", "PYPROJECT", "contract_layers", "layer_diagram"]

import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"

# One line per package of the contract. A package added to the contract without a note
# here fails `make reference` (and the reference-docs test), so the diagram keeps up.
NOTES: dict[str, str] = {
    "cli": "the command line: one module per verb (add_parser + run), build_parser()",
    "app": "builds and wires the parts; owns start/stop order",
    "repl": "the prompt_toolkit REPL, toolbar and Session View grid",
    "controllers": "OSC, MIDI grids, MIDI clock, notes out, Ableton Link",
    "server": "Timbre's worker API (FastAPI): generate, status, events, artifact, health, "
              "metrics; Ray Serve deployment (serve --ray); farm",
    "live": "the performance: performer, launching, slots, saving, recording, compose process",
    "track": "long-form compose: jobs, stages, mixdown, release into the store",
    "remote": "the render server's client: shared API models, HTTP, circuit breaker",
    "outputs": "a render's or a track's companions: stems, MIDI, picture, sidecar",
    "voice": "lyrics (LyricSpec), the vocal melody set to them, singing synthesis",
    "render": "render pool + worker processes, backends, offline renderer, render cache",
    "engine": "frames ↔ bars, Engine.process, mixer, outputs, the audio process",
    "compose": "the note composer: form, harmony, rhythm, bass, melody, feel",
    "synth": "FluidSynth, the numpy basic synth, noise textures",
    "mastering": "loudness, true-peak limiter, QA meters",
    "pictures": "piano rolls and compose pictures (matplotlib)",
    "fitting": "MusicGen output to bar-exact loops: beats, stretch, seams",
    "planner": "clip plans (v4) and long-form plans (v3) from prompts; the vocabulary",
    "director": "the Creative Director: prompt → SongSpec (lexicon, embedding providers)",
    "patch": "patch files ↔ sessions, hot reload",
    "session": "Session, commands, slash lines, undo history",
    "genres": "genre profiles (YAML)",
    "patterns": "the Tidal/Strudel mini-notation: parse, query events in exact cycles",
    "store": "the artifact store: SQLite + content-addressed blobs",
    "music": "the ground floor: keys, modes, meters, tempo, GM instruments, seeds",
    "files": "reading untrusted files, atomic writes, audio files",
    "system": ("CPUs, real-time settings, devices, MIDI ports, child processes, memory, "
               "resilience (retries, circuit breaker), service URLs"),
    "config": "settings from the environment",
    "errors": "the exception tree",
}


def contract_layers(pyproject: Path = PYPROJECT) -> list[list[str]]:
    """The layers of the 'layers' contract, top first; each a list of package names."""
    with pyproject.open("rb") as handle:
        config = tomllib.load(handle)
    linter = config["tool"]["importlinter"]
    root = linter["root_package"]
    contracts = [c for c in linter["contracts"] if c["type"] == "layers"]
    if len(contracts) != 1:
        raise ValueError(f"{pyproject}: expected one 'layers' contract, found {len(contracts)}")
    return [[name.strip().removeprefix(root + ".") for name in line.split("|")]
            for line in contracts[0]["layers"]]


def layer_diagram(pyproject: Path = PYPROJECT) -> str:
    """A text diagram: one row per layer, its packages joined by `|`, each with its note."""
    names = [n for layer in contract_layers(pyproject) for n in layer]
    missing = [n for n in names if n not in NOTES]
    if missing:
        raise ValueError(f"tools/docsgen/layers.py: add a note for {', '.join(missing)}")
    rows = []
    for layer in contract_layers(pyproject):
        rows.append(" | ".join(layer))
        rows += [f"    {name}: {NOTES[name]}" for name in layer]
    return "```text\n" + "\n".join(rows) + "\n```"
