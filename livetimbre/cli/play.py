"""`livetimbre play PATCH` (and `livetimbre` alone, or `--restore`): the live performance
— audio, control surfaces, then the REPL (or headless until SIGINT/SIGTERM)."""

from __future__ import annotations

__all__ = ["add_live_options", "add_parser", "empty_session", "run", "with_director"]

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from livetimbre.cli.common import Subparsers, add_render_server_option, report
from livetimbre.errors import LivetimbreError, ValueProblem

if TYPE_CHECKING:  # loaded when the verb runs: `livetimbre --help` stays quick
    from livetimbre.app import App
    from livetimbre.controllers.surfaces import SurfaceOptions
    from livetimbre.session.model import Session


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (0 to 65535)")
    return port


def add_live_options(parser: argparse.ArgumentParser) -> None:
    """The options of a live performance (of `play`, and of `livetimbre` alone)."""
    add = parser.add_argument
    add("--output", choices=("auto", "device", "null"), default="auto",
        help="auto: the sound card if found, else a real-time null output")
    add("--device", metavar="NAME", help="audio device name or number")
    add("--samplerate", type=int, metavar="HZ", help="engine sample rate")
    add("--director", metavar="NAME",
        help="who reads prompts: lexicon, embedding or llm[:MODEL] (default: the patch's "
             "session.director, else $LIVETIMBRE_DIRECTOR, else embedding when installed, "
             "else lexicon)")
    add_render_server_option(parser)
    add("--blocksize", type=int, default=256, metavar="FRAMES",
        help="audio block size (default 256)")
    add("--record", type=Path, metavar="FILE",
        help="record the master output to FILE (with FILE.json)")
    add("--no-record", action="store_true",
        help="with no sound card, do not record what is played (by default the first 60 "
             "minutes go to $LIVETIMBRE_HOME/recordings/)")
    add("--no-repl", action="store_true", help="headless: run until SIGINT/SIGTERM")
    add("--workers", type=int, default=2, metavar="N",
        help="render worker processes (default 2)")
    add("--synth", choices=("auto", "fluidsynth", "basic"), default="auto",
        help="sound source for renders")
    add("--osc-port", type=_port, default=9000, metavar="PORT",
        help="UDP port for OSC control (default 9000; 0 turns OSC off)")
    add("--osc-host", default="127.0.0.1", metavar="HOST",
        help="address OSC listens on (default 127.0.0.1: this machine only; 0.0.0.0 opens "
             "it to the network)")
    add("--osc-allow", metavar="IP,IP", help="accept OSC only from these client addresses")
    add("--osc-files", choices=("none", "patches", "any"), default="patches",
        help="which files /load, /save and /record may name over OSC (default patches: the "
             "patch's folder and $LIVETIMBRE_HOME)")
    add("--midi-in", metavar="PORT", help="grid controller input port (words of its name)")
    add("--control-in", action="append", default=[], metavar="PORT",
        help="a MIDI input whose knobs, faders and pads can be learned with /learn (words of "
             "its name; give it again for more devices)")
    add("--controller", default="auto", metavar="PROFILE",
        help="grid controller profile id or .yaml file (default auto: the patch's "
             "'controller', else a known device plugged in)")
    add("--clock-out", metavar="PORT",
        help="send 24 PPQN MIDI clock, start/stop and song position to this MIDI output "
             "(words of its name)")
    add("--clock-in", metavar="PORT",
        help="follow the tempo and start/stop of MIDI clock from this input")
    add("--midi-out", metavar="PORT",
        help="send the layers' notes to this MIDI output, in time with the audio (one MIDI "
             "channel per layer)")
    add("--midi-out-layers", metavar="LAYER,LAYER",
        help="only these layers' notes go to --midi-out (default: all)")
    add("--link", action="store_true",
        help="join an Ableton Link session: tempo and bar phase shared")
    add("--audio-cpu", metavar="auto|none|N",
        help="CPU kept for audio, renders run on the others (default: "
             "$LIVETIMBRE_AUDIO_CPU, else auto = the last CPU when there are two or more)")


def add_parser(commands: Subparsers) -> argparse.ArgumentParser:
    """`play PATCH` and its options."""
    play = commands.add_parser(
        "play", help="perform a patch live: REPL, audio, hot reload on save",
        description="Load PATCH, render its clips in the background and open the REPL; "
                    "the patch is re-evaluated whenever it is saved.")
    play.add_argument("patch", type=Path, metavar="PATCH", help="patch file (YAML)")
    play.add_argument("--restore", action="store_true", help=argparse.SUPPRESS)
    add_live_options(play)
    return play


def with_director(session: Session, option: str | None) -> Session:
    """`session` with --director (checked) as its director; unchanged without one."""
    from dataclasses import replace

    from livetimbre.director.names import check_director_name

    return session if option is None else replace(session,
                                                  director=check_director_name(option))


def empty_session() -> Session:
    """The session `livetimbre` opens without a patch: four layers, four scenes."""
    from livetimbre.session.model import Layer, Scene, Session

    return Session(
        tempo=104.0, key="A minor", meter="4/4", genre="synthwave", seed=None, quantize="1M",
        bars=4, layers=tuple(Layer(n) for n in ("drums", "bass", "chords", "lead")),
        scenes=tuple(Scene(f"scene{i}") for i in range(1, 5)),
    )


def run(args: argparse.Namespace) -> int:
    """Start the live performance; returns when it ends."""
    import asyncio

    from livetimbre.app import App, AppOptions
    from livetimbre.config import Settings
    from livetimbre.controllers.surfaces import SurfaceOptions, check_allow_list
    from livetimbre.files.write import check_output_path
    from livetimbre.genres import load_genres
    from livetimbre.live.saving import restore_session
    from livetimbre.patch import load_patch
    from livetimbre.remote.address import choose_server
    from livetimbre.system.cpus import plan_cpus

    settings = Settings.from_env(sample_rate=args.samplerate)
    genres = load_genres(settings.user_genre_dir)
    path: Path | None = getattr(args, "patch", None)
    if args.restore:
        session, path = restore_session(settings.home, genres, report)
    elif path is not None:
        session = load_patch(path, genres)
    else:
        session = empty_session()
    session = with_director(session, args.director)
    if args.record is not None:
        check_output_path(args.record)
    audio_cpu, source = _audio_cpu_choice(args)
    plan_cpus(audio_cpu, source)  # a bad value fails here, before anything starts
    options = AppOptions(output=args.output, device=args.device, blocksize=args.blocksize,
                         workers=args.workers, record=args.record, synth=args.synth,
                         auto_record=not args.no_record, audio_cpu=audio_cpu,
                         director=session.director if args.director else None,
                         render_server=choose_server(args.render_server,
                                                     session.render_server))
    app = App(settings, genres, session, options, path)
    surfaces = SurfaceOptions(
        osc_port=args.osc_port, osc_host=args.osc_host, osc_files=args.osc_files,
        osc_allow=check_allow_list(args.osc_allow) if args.osc_allow is not None else None,
        midi_in=args.midi_in, controller=args.controller, clock_out=args.clock_out,
        clock_in=args.clock_in, midi_out=args.midi_out,
        midi_out_layers=_layer_list(args.midi_out_layers, session), link=args.link,
        control_in=tuple(args.control_in))
    return asyncio.run(_run_live(app, surfaces, headless=args.no_repl))


def _layer_list(text: str | None, session: Session) -> tuple[str, ...]:
    """`--midi-out-layers drums,bass` → the names, each checked against the session."""
    if text is None:
        return ()
    names = tuple(part.strip() for part in text.split(",") if part.strip())
    known = [layer.name for layer in session.layers]
    for name in names:
        if name not in known:
            raise ValueProblem(f"--midi-out-layers: no layer {name!r} in this session "
                               f"(layers: {', '.join(known)}).")
    return names


def _audio_cpu_choice(args: argparse.Namespace) -> tuple[str, str]:
    """(choice, where it came from): --audio-cpu, else $LIVETIMBRE_AUDIO_CPU, else auto."""
    if args.audio_cpu is not None:
        return str(args.audio_cpu), "--audio-cpu"
    env = os.environ.get("LIVETIMBRE_AUDIO_CPU")
    if env:
        return env, "LIVETIMBRE_AUDIO_CPU"
    return "auto", "--audio-cpu"


async def _run_live(app: App, surface_options: SurfaceOptions, headless: bool) -> int:
    """Start audio, then the control surfaces, then the REPL (or wait for SIGINT /
    SIGTERM when `headless`); stop them in reverse order."""
    import asyncio
    import signal

    from livetimbre.controllers.surfaces import Surfaces

    if not headless:  # import before audio starts: a big import holds the GIL for long
        from livetimbre.repl.shell import run_repl
    surfaces = Surfaces(app.surface_context(), surface_options)  # a bad profile fails here
    report(await app.start())
    try:
        for line in await surfaces.start():
            report(line)
    except LivetimbreError:
        await surfaces.stop()
        await app.stop()
        raise
    try:
        if headless:
            app.on_message(report)
            stop = asyncio.Event()
            for sig in (signal.SIGINT, signal.SIGTERM):
                asyncio.get_running_loop().add_signal_handler(sig, stop.set)
            report("running headless; Ctrl-C or SIGTERM stops")
            await stop.wait()
        else:
            report("type /scene 1 to start playing, /help for every command, F2 for the grid")
            await run_repl(app.surface_context())
    finally:
        recording = app.recording.path
        await surfaces.stop()
        await app.stop()
        if recording is not None:
            report(f"recording saved to {recording}")
        underruns = app.output.underruns if app.output else 0
        report(f"stopped after {app.engine.frame / app.engine.sample_rate:.1f} s of audio, "
               f"{underruns} underruns; session autosaved to {app.files.autosave_path}")
    return 0
