"""One way from a compose as a surface asked for it (`livetimbre compose`, `/compose` in
the REPL or over OSC) to a checked `ComposeRequest`: the output files, the duration, the
backends and a dry run of the planner are checked here, before any work starts.

A compose asked for without an output file goes to `$LIVETIMBRE_HOME/tracks/`, named
after the prompt's first words and the time (`track_name`), whichever surface asked.
"""

from __future__ import annotations

__all__ = ["ComposeAsk", "build_request", "default_output", "plan_request", "release_paths",
           "track_name"]

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from livetimbre.config import Settings
from livetimbre.director.names import resolve_director_name
from livetimbre.errors import ValueProblem
from livetimbre.genres import GenreRegistry
from livetimbre.outputs import (
    Companions,
    check_outputs,
    contained,
    lrc_path,
    make_folder,
    sidecar_path,
)
from livetimbre.planner.direction import direct_prompt
from livetimbre.planner.form import check_duration
from livetimbre.planner.longform import plan_track
from livetimbre.planner.trackplan import CompositionPlan
from livetimbre.render.backends import check_backend_known
from livetimbre.track.request import ComposeRequest
from livetimbre.track.vocals import check_song_words, singer_sings
from livetimbre.voice.singing import singer_status

_SYNTHS = ("auto", "fluidsynth", "basic")


def track_name(prompt: str, when: float | None = None) -> str:
    """A file name from the prompt's first words and the time: letters, digits and
    hyphens only, so no prompt can name a path."""
    words = re.sub(r"[^a-z0-9]+", "-", prompt.lower()).strip("-")[:40].strip("-") or "track"
    return f"{words}-{time.strftime('%Y%m%d-%H%M%S', time.localtime(when))}"


def default_output(prompt: str, settings: Settings, fmt: str | None = None) -> Path:
    """`$LIVETIMBRE_HOME/tracks/NAME.FORMAT` (the folder made if needed; `-2`, `-3` … added
    to a name already taken)."""
    folder = settings.home / "tracks"
    make_folder(folder, "the tracks folder")
    name = track_name(prompt)
    suffix = fmt or settings.export_format or "wav"
    path = folder / f"{name}.{suffix}"
    number = 2
    while path.exists() or path.is_symlink():
        path = folder / f"{name}-{number}.{suffix}"
        number += 1
    return path


def release_paths(request: ComposeRequest) -> dict[str, Path]:
    """The files named after the track: audio, sidecar, motif, plan, recipe, QA report,
    synchronised lyrics (each refused if it leads out of the track's folder)."""
    out = Path(request.output)
    folder = out.parent
    stem = out.name.rsplit(".", 1)[0] if "." in out.name else out.name
    return {"audio": out, "sidecar": sidecar_path(out),
            "motif": contained(folder, f"{stem}.motif.wav", "motif"),
            "plan": contained(folder, f"{stem}.plan.json", "plan"),
            "recipe": contained(folder, f"{stem}.recipe.json", "recipe"),
            "qa": contained(folder, f"{stem}.qa.json", "QA report"),
            "lrc": lrc_path(out)}


@dataclass(frozen=True)
class ComposeAsk:
    """A compose as asked for, before any check (None: the default). `duration_from`
    names where the duration came from, for messages (--duration, /duration);
    `director` is --director, `patch_director` the session's; `fallback_genre` the
    session's genre, used when the prompt names none; `lyrics` the words to sing."""

    prompt: str
    output: Path | None = None
    duration: float = 120.0
    duration_from: str = "--duration"
    short: bool = False
    genre: str | None = None
    key: str | None = None
    meter: str | None = None
    seed: int | None = None
    backend: str = "procedural"
    backend_for: Mapping[str, str] = field(default_factory=dict)
    format: str | None = None
    companions: Companions = field(default_factory=Companions)
    synth: str = "auto"
    qa: str = "fail"
    director: str | None = None
    patch_director: str | None = None
    fallback_genre: str | None = None
    lyrics: str | None = None  # the user's words (read from `lyrics_from`)
    lyrics_from: str = "--lyrics"


def plan_request(request: ComposeRequest, genres: GenreRegistry) -> CompositionPlan:
    """The track plan `request` asks for (its prompt read by its director)."""
    r = request
    return plan_track(r.prompt, genres, duration=r.duration, short=r.short, genre=r.genre,
                      key=r.key, meter=r.meter, seed=r.seed, backend=r.backend,
                      backend_for=r.backend_for, director=r.director, sung=singer_sings())


def _genre(ask: ComposeAsk, genres: GenreRegistry, director: str) -> str | None:
    """The genre to ask the director for: --genre, else the session's genre (REPL) when
    the prompt names none."""
    if ask.genre is not None or ask.fallback_genre is None:
        return ask.genre
    spec = direct_prompt(ask.prompt, genres, director=director)
    named = any(w.kind == "genre" for w in spec.words)
    return None if named else ask.fallback_genre


def build_request(ask: ComposeAsk, settings: Settings, genres: GenreRegistry
                  ) -> tuple[ComposeRequest, list[str]]:
    """The checked request (paths absolute, format chosen, duration within its form's
    range) and notes for the user (a duration clamped); a bad value raises, naming it."""
    if ask.synth not in _SYNTHS:
        raise ValueProblem(f"Synth {ask.synth[:40]!r} cannot compose (use {', '.join(_SYNTHS)}).")
    if ask.qa not in ("fail", "warn"):
        raise ValueProblem(f"--qa {ask.qa[:40]!r}: use fail or warn.")
    seconds, note = check_duration(ask.duration, ask.short, ask.duration_from)
    backend_for = dict(ask.backend_for)
    for spec in (ask.backend, *backend_for.values()):
        check_backend_known(spec)
    output = (ask.output or default_output(ask.prompt, settings, ask.format)).absolute()
    asked = Companions(*(p.absolute() if p is not None else None for p in (
        ask.companions.stems, ask.companions.midi, ask.companions.png)))
    fmt = check_outputs(output, asked, ask.format, settings.export_format)
    director = resolve_director_name(ask.director, ask.patch_director)
    genre = _genre(ask, genres, director)
    request = ComposeRequest(
        prompt=ask.prompt, duration=seconds, short=ask.short, genre=genre, key=ask.key,
        meter=ask.meter, seed=ask.seed, backend=ask.backend, backend_for=backend_for,
        output=str(output), format=fmt,
        stems=str(asked.stems) if asked.stems else None,
        midi=str(asked.midi) if asked.midi else None,
        png=str(asked.png) if asked.png else None,
        sample_rate=settings.sample_rate, export_sample_rate=settings.export_sample_rate,
        bit_depth=settings.export_bit_depth, synth=ask.synth,
        soundfont=str(settings.soundfont) if settings.soundfont else None,
        qa=ask.qa, director=director, lyrics=check_song_words(ask.lyrics, ask.lyrics_from))
    plan = plan_request(request, genres)  # bad options fail here
    release_paths(request)  # the files named after the track stay in its folder
    notes = [note] if note else []
    if request.lyrics is not None and not any(
            la.name == "vocals" for s in plan.sections for la in s.layers):
        status = singer_status()
        notes.append(f"{ask.lyrics_from}: the words are not sung: "
                     + (f"no singer ({status})" if status else "the plan has no vocals"))
    return request, notes
