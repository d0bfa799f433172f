"""`livetimbre render PATCH -o FILE`: the patch's scenes rendered offline, mastered, with
its companions (stems, MIDI, piano roll) and the FILE.json sidecar (render.release)."""

from __future__ import annotations

__all__ = ["add_parser", "run"]

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from livetimbre.cli.common import Subparsers, add_render_server_option, report
from livetimbre.errors import LivetimbreError
from livetimbre.music.values import check_bars

if TYPE_CHECKING:  # loaded when the verb runs: `livetimbre --help` stays quick
    from livetimbre.config import Settings
    from livetimbre.remote.service import RenderServer
    from livetimbre.render.cache import ClipCache


def _scene_list(text: str) -> list[str]:
    items = [s.strip() for s in text.split(",")]
    if not text.strip() or any(not s for s in items):
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a scene list (use numbers or names separated by commas, e.g. 1,3,2)"
        )
    return items


def add_parser(commands: Subparsers) -> argparse.ArgumentParser:
    """`render PATCH -o FILE` and its options."""
    render = commands.add_parser(
        "render", help="render a patch's scenes offline to an audio file",
        description="Render PATCH's scenes in order (or --scenes) to FILE, mastered, with a "
                    "FILE.json sidecar holding plans, recipe, event log and QA figures.")
    add = render.add_argument
    add("patch", type=Path, metavar="PATCH", help="patch file (YAML)")
    add("-o", "--output", type=Path, required=True, metavar="FILE",
        help="audio file to write (.wav, .flac, .ogg, .mp3)")
    add("--scenes", type=_scene_list, metavar="LIST",
        help="scenes to play, by number or name, e.g. 1,3,2 (default: all)")
    add("--bars", metavar="N", help="bars per scene (default: the patch's)")
    add("--format", choices=("wav", "flac", "ogg", "mp3"),
        help="audio format (default: from FILE's suffix)")
    add("--stems", type=Path, metavar="DIR", help="also write one WAV per layer into DIR")
    add("--png", type=Path, metavar="FILE.png",
        help="also draw a piano roll of every layer, scenes marked")
    add("--midi", type=Path, metavar="FILE.mid",
        help="also write the notes as a standard MIDI file")
    add("--seed", type=int, metavar="N", help="override the patch's seed")
    add("--director", metavar="NAME",
        help="who reads the clips' prompts: lexicon, embedding or llm[:MODEL] (default: the "
             "patch's session.director, else $LIVETIMBRE_DIRECTOR, else embedding when "
             "installed, else lexicon)")
    add("--synth", choices=("auto", "fluidsynth", "basic"), default="auto",
        help="sound source (default: FluidSynth if available, else basic)")
    add("--soundfont", type=Path, metavar="SF2",
        help="SoundFont to use (default: $LIVETIMBRE_SOUNDFONT, else a system General MIDI "
             "font)")
    add("--samplerate", type=int, metavar="HZ", help="engine sample rate")
    add_render_server_option(render)
    add("--no-cache", action="store_true",
        help="render every clip afresh: the render cache in the artifact store is neither "
             "read nor written")
    add("-q", "--quiet", action="store_true", help="print no progress")
    return render


def run(args: argparse.Namespace) -> int:
    """Render, then write the audio file, its companions and its sidecar."""
    from dataclasses import replace

    from livetimbre.cli.play import with_director
    from livetimbre.config import Settings
    from livetimbre.genres import load_genres
    from livetimbre.outputs import Companions, check_outputs
    from livetimbre.patch import load_patch

    say: Callable[[str], None] = (lambda _text: None) if args.quiet else report
    settings = Settings.from_env(sample_rate=args.samplerate, soundfont=args.soundfont,
                                 export_format=args.format)
    asked = Companions(args.stems, args.midi, args.png)
    fmt = check_outputs(args.output, asked, args.format, settings.export_format)
    genres = load_genres(settings.user_genre_dir)
    session = load_patch(args.patch, genres)
    if args.seed is not None:
        session = replace(session, seed=args.seed)
    session = with_director(session, args.director)
    order = [session.scene_index(ref) for ref in args.scenes] if args.scenes else None
    if args.bars is not None:
        check_bars(args.bars, "--bars")
    # Everything above is quick to check; the heavy machinery loads only now.
    from livetimbre.render.backends import BackendContext, Backends, check_session_backends
    from livetimbre.render.offline import render_session
    from livetimbre.render.release import AudioExport, write_render

    check_session_backends(session)
    server = _open_server(args.render_server, session.render_server, say)
    backends = Backends(BackendContext(settings.sample_rate, genres, args.synth,
                                       settings.soundfont, settings.home))
    started = time.perf_counter()
    cache = None if args.no_cache else _open_cache(settings, say)
    try:
        result = render_session(
            session, backends, sample_rate=settings.sample_rate,
            block_size=settings.block_size, scenes=order, bars=args.bars,
            stems=args.stems is not None, progress=say, cache=cache, server=server)
    finally:
        if server is not None:
            server.close()
        if cache is not None:
            if cache.problem:
                say(cache.problem)
            cache.close()
    export = AudioExport(fmt, settings.export_bit_depth, settings.export_sample_rate)
    title = (f"{args.patch.name}: {session.genre}, {session.key}, {session.meter}, "
             f"{session.tempo:g} BPM")
    qa = write_render(result, args.output, export, asked, title)["qa"]
    say(f"wrote {args.output} ({qa['duration_s']:.1f} s, {qa['integrated_lufs']} LUFS, "
        f"{qa['true_peak_dbtp']} dBTP) in {time.perf_counter() - started:.1f} s; sidecar "
        f"{args.output}.json")
    return 0


def _open_server(option: str | None, patch: str | None, say: Callable[[str], None]
                 ) -> RenderServer | None:
    """The render server chosen (option, patch, environment), or None."""
    from livetimbre.remote.address import choose_server
    from livetimbre.remote.service import RenderServer

    url = choose_server(option, patch)
    if url is None:
        return None
    say(f"rendering clips on {url} (here when it does not answer)")
    return RenderServer.open(url, say=say)


def _open_cache(settings: Settings, say: Callable[[str], None]) -> ClipCache | None:
    """The render cache in the artifact store; None (said why) if it cannot be opened or
    its limit is 0: the render goes on without it."""
    from livetimbre.render.cache import ClipCache

    if settings.cache_bytes <= 0:
        return None
    try:
        return ClipCache.open(settings.store_dir, settings.cache_bytes)
    except LivetimbreError as exc:
        say(f"render cache off: {exc}")
        return None
