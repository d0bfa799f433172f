"""`livetimbre compose "PROMPT"`: a structured, mastered track from a prompt, through the
stage pipeline (livetimbre.track), checked by the same builder as the REPL's /compose.
Without -o the track goes to `$LIVETIMBRE_HOME/tracks/`, named after the prompt."""

from __future__ import annotations

__all__ = ["add_parser", "run"]

import argparse
from collections.abc import Callable
from pathlib import Path

from livetimbre.cli.common import Subparsers, add_render_server_option
from livetimbre.errors import ValueProblem


def _backend_for(text: str) -> tuple[str, str]:
    ref, sep, spec = text.partition("=")
    if not sep or not ref or not spec:
        raise argparse.ArgumentTypeError(
            f"'{text[:60]}' is not SECTION[.LAYER]=BACKEND (e.g. chorus=musicgen or "
            "motif.lead=musicgen:facebook/musicgen-small)")
    return ref, spec


def _lyrics(path: Path | None) -> str | None:
    """The text of the --lyrics file (a regular file, bounded, never echoed)."""
    if path is None:
        return None
    from livetimbre.errors import FileProblem
    from livetimbre.files.read import LYRICS_LIMIT, read_user_text

    return read_user_text(path, "--lyrics file", FileProblem, LYRICS_LIMIT)


def add_parser(commands: Subparsers) -> argparse.ArgumentParser:
    """`compose PROMPT` and its options."""
    compose = commands.add_parser(
        "compose", help="compose a structured, mastered track from a prompt",
        description="Plan a track (planner v3: intro, motif, chorus, outro, a bridge from "
                    "150 s), render its sections, mix, master, check (QA) and release it "
                    "with a FILE.json sidecar. Each stage is saved under "
                    "$LIVETIMBRE_HOME/jobs/ID, so --resume ID continues a stopped run.")
    add = compose.add_argument
    add("prompt", nargs="?", metavar="PROMPT", help="what the track is")
    add("-o", "--output", type=Path, metavar="FILE",
        help="audio file to write (.wav, .flac, .ogg, .mp3; default: a file named after "
             "the prompt and the time in $LIVETIMBRE_HOME/tracks, as /compose does, its "
             "path printed at the end)")
    add("--duration", type=float, default=120.0, metavar="SECONDS",
        help="length: 90-180 s long-form (default 120; others are clamped)")
    add("--short", action="store_true",
        help="a short-form piece (intro, motif, resolve) under 90 s")
    add("--genre", metavar="G", help="genre (default: named in the prompt)")
    add("--key", metavar="KEY", help="key, e.g. 'A minor'")
    add("--meter", metavar="N/D", help="time signature (default: the genre's)")
    add("--seed", type=int, metavar="N", help="seed (default: from the prompt)")
    add("--director", metavar="NAME",
        help="who reads the prompt: lexicon, embedding or llm[:MODEL] (default: "
             "$LIVETIMBRE_DIRECTOR, else embedding when installed, else lexicon)")
    add("--backend", default="procedural", metavar="B",
        help="render backend: procedural (default) or musicgen[:MODEL]")
    add("--backend-for", type=_backend_for, action="append", default=[],
        metavar="SECTION[.LAYER]=B", help="another backend for a section or one of its layers")
    add("--format", choices=("wav", "flac", "ogg", "mp3"),
        help="audio format (default: FILE's suffix)")
    add("--stems", type=Path, metavar="DIR", help="also one WAV per layer")
    add("--midi", type=Path, metavar="FILE.mid", help="also the notes")
    add("--png", type=Path, metavar="FILE.png",
        help="also a picture: waveform, loudness, piano roll per layer")
    add("--lyrics", type=Path, metavar="FILE",
        help="words for the vocals to sing: a UTF-8 text file, [verse] / [chorus] / "
             "[bridge] headers or blank lines between stanzas (default: written from the "
             "prompt)")
    add("--qa", choices=("fail", "warn"), default="fail",
        help="a failed QA check stops the release (default) or only warns")
    add("--synth", choices=("auto", "fluidsynth", "basic"), default="auto",
        help="sound source of the procedural backend")
    add("--soundfont", type=Path, metavar="SF2", help="SoundFont to use")
    add("--samplerate", type=int, metavar="HZ", help="render sample rate")
    add("--resume", metavar="ID", help="continue the stopped run ID")
    add_render_server_option(compose, patch=False)
    add("-q", "--quiet", action="store_true", help="print no progress")
    return compose


def _served(args: argparse.Namespace, fmt: str, output: Path, say: Callable[[str], None]
            ) -> bool:
    """Compose on the render server, if one is chosen and answers; False: compose here
    (said why)."""
    from pydantic import ValidationError

    from livetimbre.remote.address import choose_server
    from livetimbre.remote.client import RemoteProblem
    from livetimbre.remote.service import RenderServer
    from livetimbre.track.served import compose_on_server, local_only_options

    url = choose_server(args.render_server, None)
    if url is None:
        return False
    local = local_only_options(args)
    if local:
        say(f"{', '.join(local)} cannot be sent to a render server: composing here")
        return False
    server = RenderServer.open(url)
    try:
        say(f"composing on {url}")
        status = compose_on_server(server, args, fmt, output, say)
    except RemoteProblem as problem:
        say(f"render server {url}: {problem.reason}; composing here instead")
        return False
    except ValidationError as exc:
        say(f"the request cannot be sent to a render server ({exc.error_count()} bad "
            "values): composing here")
        return False
    finally:
        server.close()
    say(f"wrote {output} (composed on {url}, job {status.job_id[:12]}); sidecar {output}.json")
    if args.quiet and args.output is None:
        print(output)
    return True


def _lyrics_from(path: Path | None) -> str:
    """How messages name the words' file (`--lyrics FILE`, home shortened)."""
    from livetimbre.files.read import shown_path

    return f"--lyrics {shown_path(path)}" if path is not None else "--lyrics"


def run(args: argparse.Namespace) -> int:
    """Check the request, run (or resume) the job, say what was written."""
    from livetimbre.config import Settings
    from livetimbre.genres import load_genres
    from livetimbre.outputs import Companions
    from livetimbre.track.jobs import open_job
    from livetimbre.track.pipeline import resume, start
    from livetimbre.track.progress import SectionProgress
    from livetimbre.track.requesting import ComposeAsk, build_request
    from livetimbre.track.runtime import open_runtime

    progress = SectionProgress(quiet=args.quiet)
    settings = Settings.from_env(sample_rate=args.samplerate, soundfont=args.soundfont,
                                 export_format=args.format)
    genres = load_genres(settings.user_genre_dir)
    if args.resume is not None:
        if args.prompt is not None or args.output is not None:
            raise ValueProblem("--resume ID continues a run as it was asked for: give no "
                               "PROMPT or -o with it.")
        request = open_job(settings.home, args.resume).request
    else:
        if args.prompt is None:
            raise ValueProblem("compose needs a PROMPT (or --resume ID).")
        request, notes = build_request(ComposeAsk(
            prompt=args.prompt, output=args.output, duration=args.duration, short=args.short,
            genre=args.genre, key=args.key, meter=args.meter, seed=args.seed,
            backend=args.backend, backend_for=dict(args.backend_for), format=args.format,
            companions=Companions(args.stems, args.midi, args.png), synth=args.synth,
            qa=args.qa, director=args.director, lyrics=_lyrics(args.lyrics),
            lyrics_from=_lyrics_from(args.lyrics)),
            settings, genres)
        for note in notes:
            progress.say(f"note: {note}")
        if args.output is None:
            progress.say(f"no -o given: the track goes to {request.output}")
        if _served(args, request.format, Path(request.output), progress.say):
            return 0
    with open_runtime(request, genres, settings.home, settings.store_dir,
                      progress) as runtime:
        if args.resume is not None:
            result = resume(args.resume, settings.home, runtime)
        else:
            result = start(request, settings.home, runtime)
    for note in result.plan.notes:
        progress.say(f"note: {note}")
    figures = result.qa.figures
    progress.say(f"wrote {request.output} ({figures['duration_s']:.2f} s, "
                 f"{figures['integrated_lufs']} LUFS, {figures['true_peak_dbtp']} dBTP, "
                 f"{len(result.plan.sections)} sections) in {result.seconds:.1f} s; "
                 f"sidecar {request.output}.json; job {result.job.id}")
    if args.quiet and args.output is None and args.resume is None:
        print(request.output)  # quiet, the file it chose is still told (on stdout)
    return 0
