"""The `livetimbre` command line: subcommands, options, and one-paragraph errors."""

from __future__ import annotations

__all__ = ["main"]

import argparse
import itertools
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from livetimbre import __version__
from livetimbre.cli_artifacts import add_artifacts_parser, run_artifacts
from livetimbre.cli_plan import add_parser as add_plan_parser
from livetimbre.cli_plan import run as run_plan
from livetimbre.errors import LivetimbreError, ValueProblem
from livetimbre.music.values import check_bars

if TYPE_CHECKING:
    from livetimbre.app import App
    from livetimbre.config import Settings
    from livetimbre.controllers.surfaces import SurfaceOptions
    from livetimbre.render.cache import ClipCache
    from livetimbre.session.model import Session


def _scene_list(text: str) -> list[str]:
    items = [s.strip() for s in text.split(",")]
    if not text.strip() or any(not s for s in items):
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a scene list (use numbers or names separated by commas, e.g. 1,3,2)"
        )
    return items


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (0 to 65535)")
    return port


def _live_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", choices=("auto", "device", "null"), default="auto",
                        help="auto: the sound card if found, else a real-time null output")
    parser.add_argument("--device", metavar="NAME", help="audio device name or number")
    parser.add_argument("--samplerate", type=int, metavar="HZ", help="engine sample rate")
    parser.add_argument("--blocksize", type=int, default=256, metavar="FRAMES",
                        help="audio block size (default 256)")
    parser.add_argument("--record", type=Path, metavar="FILE",
                        help="record the master output to FILE (with FILE.json)")
    parser.add_argument("--no-record", action="store_true",
                        help="with no sound card, do not record what is played (by default "
                             "the first 60 minutes go to $LIVETIMBRE_HOME/recordings/)")
    parser.add_argument("--no-repl", action="store_true",
                        help="headless: run until SIGINT/SIGTERM")
    parser.add_argument("--workers", type=int, default=2, metavar="N",
                        help="render worker processes (default 2)")
    parser.add_argument("--synth", choices=("auto", "fluidsynth", "basic"), default="auto",
                        help="sound source for renders")
    parser.add_argument("--osc-port", type=_port, default=9000, metavar="PORT",
                        help="UDP port for OSC control (default 9000; 0 turns OSC off)")
    parser.add_argument("--osc-host", default="127.0.0.1", metavar="HOST",
                        help="address OSC listens on (default 127.0.0.1: this machine "
                             "only; 0.0.0.0 opens it to the network)")
    parser.add_argument("--osc-allow", metavar="IP,IP",
                        help="accept OSC only from these client addresses")
    parser.add_argument("--osc-files", choices=("none", "patches", "any"), default="patches",
                        help="which files /load, /save and /record may name over OSC "
                             "(default patches: the patch's folder and $LIVETIMBRE_HOME)")
    parser.add_argument("--midi-in", metavar="PORT",
                        help="grid controller input port (words of its name)")
    parser.add_argument("--controller", default="auto", metavar="PROFILE",
                        help="grid controller profile id or .yaml file (default auto: the "
                             "patch's 'controller', else a known device plugged in)")
    parser.add_argument("--clock-out", metavar="PORT",
                        help="send 24 PPQN MIDI clock, start/stop and song position to "
                             "this MIDI output (words of its name)")
    parser.add_argument("--clock-in", metavar="PORT",
                        help="follow the tempo and start/stop of MIDI clock from this input")
    parser.add_argument("--midi-out", metavar="PORT",
                        help="send the layers' notes to this MIDI output, in time with the "
                             "audio (one MIDI channel per layer)")
    parser.add_argument("--midi-out-layers", metavar="LAYER,LAYER",
                        help="only these layers' notes go to --midi-out (default: all)")
    parser.add_argument("--link", action="store_true",
                        help="join an Ableton Link session: tempo and bar phase shared")
    parser.add_argument("--audio-cpu", metavar="auto|none|N",
                        help="CPU kept for audio, renders run on the others (default: "
                             "$LIVETIMBRE_AUDIO_CPU, else auto = the last CPU when there "
                             "are two or more)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="livetimbre",
        allow_abbrev=False,  # `render --midi` must not be taken for a prefix of --midi-in
        description="Live-coding REPL and MIDI/OSC performance tool for generated music. "
                    "Without a command: the REPL on an empty session (or --restore).",
    )
    parser.add_argument("--version", action="version", version=f"livetimbre {__version__}")
    parser.add_argument("--restore", action="store_true",
                        help="bring back the autosaved session (after a crash)")
    _live_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    play = commands.add_parser(
        "play", help="perform a patch live: REPL, audio, hot reload on save",
        description="Load PATCH, render its clips in the background and open the REPL; "
                    "the patch is re-evaluated whenever it is saved.",
    )
    play.add_argument("patch", type=Path, metavar="PATCH", help="patch file (YAML)")
    play.add_argument("--restore", action="store_true", help=argparse.SUPPRESS)
    _live_options(play)

    render = commands.add_parser(
        "render", help="render a patch's scenes offline to an audio file",
        description="Render PATCH's scenes in order (or --scenes) to FILE, mastered, with a "
                    "FILE.json sidecar holding plans, recipe, event log and QA figures.",
    )
    render.add_argument("patch", type=Path, metavar="PATCH", help="patch file (YAML)")
    render.add_argument("-o", "--output", type=Path, required=True, metavar="FILE",
                        help="audio file to write (.wav, .flac, .ogg, .mp3)")
    render.add_argument("--scenes", type=_scene_list, metavar="LIST",
                        help="scenes to play, by number or name, e.g. 1,3,2 (default: all)")
    render.add_argument("--bars", metavar="N", help="bars per scene (default: the patch's)")
    render.add_argument("--format", choices=("wav", "flac", "ogg", "mp3"),
                        help="audio format (default: from FILE's suffix)")
    render.add_argument("--stems", type=Path, metavar="DIR",
                        help="also write one WAV per layer into DIR")
    render.add_argument("--png", type=Path, metavar="FILE.png",
                        help="also draw a piano roll of every layer, scenes marked")
    render.add_argument("--midi", type=Path, metavar="FILE.mid",
                        help="also write the notes as a standard MIDI file")
    render.add_argument("--seed", type=int, metavar="N", help="override the patch's seed")
    render.add_argument("--synth", choices=("auto", "fluidsynth", "basic"), default="auto",
                        help="sound source (default: FluidSynth if available, else basic)")
    render.add_argument("--soundfont", type=Path, metavar="SF2",
                        help="SoundFont to use (default: $LIVETIMBRE_SOUNDFONT, else a "
                             "system General MIDI font)")
    render.add_argument("--samplerate", type=int, metavar="HZ", help="engine sample rate")
    render.add_argument("--no-cache", action="store_true",
                        help="render every clip afresh: the render cache in the artifact "
                             "store is neither read nor written")
    render.add_argument("-q", "--quiet", action="store_true", help="print no progress")

    models = commands.add_parser(
        "models", help="MusicGen models (and beat_this weights) on disk: list, pull, rm",
        description="Models live in the Hugging Face cache ($HF_HOME); beat_this weights in "
                    "$LIVETIMBRE_HOME/models. Renders never download: pull a model first.")
    action = models.add_subparsers(dest="action", metavar="ACTION", required=True)
    action.add_parser("list", help="the models on disk and their size")
    pull = action.add_parser("pull", help="download a model (e.g. facebook/musicgen-small, "
                                          "beat_this)")
    pull.add_argument("model", metavar="ID")
    remove = action.add_parser("rm", help="delete a model from disk")
    remove.add_argument("model", metavar="ID")
    add_artifacts_parser(commands)
    _compose_parser(commands)
    add_plan_parser(commands)
    commands.add_parser("jobs", help="list compose runs and their state")
    commands.add_parser("genres", help="list the known genres, one a line")
    commands.add_parser("devices", help="list audio devices and their backend")
    return parser


def _backend_for(text: str) -> tuple[str, str]:
    ref, sep, spec = text.partition("=")
    if not sep or not ref or not spec:
        raise argparse.ArgumentTypeError(
            f"'{text[:60]}' is not SECTION[.LAYER]=BACKEND (e.g. chorus=musicgen or "
            "motif.lead=musicgen:facebook/musicgen-small)")
    return ref, spec


def _compose_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    compose = commands.add_parser(
        "compose", help="compose a structured, mastered track from a prompt",
        description="Plan a track (planner v3: intro, motif, chorus, outro, a bridge from "
                    "150 s), render its sections, mix, master, check (QA) and release it "
                    "with a FILE.json sidecar. Each stage is saved under "
                    "$LIVETIMBRE_HOME/jobs/ID, so --resume ID continues a stopped run.")
    compose.add_argument("prompt", nargs="?", metavar="PROMPT", help="what the track is")
    compose.add_argument("-o", "--output", type=Path, metavar="FILE",
                         help="audio file to write (.wav, .flac, .ogg, .mp3)")
    compose.add_argument("--duration", type=float, default=120.0, metavar="SECONDS",
                         help="length: 90-180 s long-form (default 120; others are clamped)")
    compose.add_argument("--short", action="store_true",
                         help="a short-form piece (intro, motif, resolve) under 90 s")
    compose.add_argument("--genre", metavar="G", help="genre (default: named in the prompt)")
    compose.add_argument("--key", metavar="KEY", help="key, e.g. 'A minor'")
    compose.add_argument("--meter", metavar="N/D", help="time signature (default: the genre's)")
    compose.add_argument("--seed", type=int, metavar="N", help="seed (default: from the prompt)")
    compose.add_argument("--backend", default="procedural", metavar="B",
                         help="render backend: procedural (default) or musicgen[:MODEL]")
    compose.add_argument("--backend-for", type=_backend_for, action="append", default=[],
                         metavar="SECTION[.LAYER]=B",
                         help="another backend for a section or one of its layers")
    compose.add_argument("--format", choices=("wav", "flac", "ogg", "mp3"),
                         help="audio format (default: FILE's suffix)")
    compose.add_argument("--stems", type=Path, metavar="DIR", help="also one WAV per layer")
    compose.add_argument("--midi", type=Path, metavar="FILE.mid", help="also the notes")
    compose.add_argument("--png", type=Path, metavar="FILE.png",
                         help="also a picture: waveform, loudness, piano roll per layer")
    compose.add_argument("--qa", choices=("fail", "warn"), default="fail",
                         help="a failed QA check stops the release (default) or only warns")
    compose.add_argument("--synth", choices=("auto", "fluidsynth", "basic"), default="auto",
                         help="sound source of the procedural backend")
    compose.add_argument("--soundfont", type=Path, metavar="SF2", help="SoundFont to use")
    compose.add_argument("--samplerate", type=int, metavar="HZ", help="render sample rate")
    compose.add_argument("--resume", metavar="ID", help="continue the stopped run ID")
    compose.add_argument("-q", "--quiet", action="store_true", help="print no progress")


def _compose(args: argparse.Namespace) -> int:
    from livetimbre.config import Settings
    from livetimbre.genres import load_genres
    from livetimbre.track.progress import SectionProgress

    progress = SectionProgress(quiet=args.quiet)
    settings = Settings.from_env(sample_rate=args.samplerate, soundfont=args.soundfont,
                                 export_format=args.format)
    genres = load_genres(settings.user_genre_dir)
    if args.resume is not None:
        if args.prompt is not None or args.output is not None:
            raise ValueProblem("--resume ID continues a run as it was asked for: give no "
                               "PROMPT or -o with it.")
        from livetimbre.track.jobs import open_job

        request = open_job(settings.home, args.resume).request
    else:
        if args.prompt is None or args.output is None:
            raise ValueProblem("compose needs a PROMPT and -o FILE (or --resume ID).")
        from livetimbre.planner.longform import check_duration, plan_track
        from livetimbre.render.backends import check_backend_known
        from livetimbre.track.request import ComposeRequest

        fmt = _check_outputs(args, settings.export_format)
        check_duration(args.duration, args.short)
        backend_for = dict(args.backend_for)
        for spec in (args.backend, *backend_for.values()):
            check_backend_known(spec)
        plan_track(args.prompt, genres, duration=args.duration, short=args.short,
                   genre=args.genre, key=args.key, meter=args.meter, seed=args.seed,
                   backend=args.backend, backend_for=backend_for)  # bad options fail here
        request = ComposeRequest(
            prompt=args.prompt, duration=args.duration, short=args.short, genre=args.genre,
            key=args.key, meter=args.meter, seed=args.seed, backend=args.backend,
            backend_for=backend_for, output=str(args.output.absolute()), format=fmt,
            stems=str(args.stems.absolute()) if args.stems else None,
            midi=str(args.midi.absolute()) if args.midi else None,
            png=str(args.png.absolute()) if args.png else None,
            sample_rate=settings.sample_rate, export_sample_rate=settings.export_sample_rate,
            bit_depth=settings.export_bit_depth, synth=args.synth,
            soundfont=str(settings.soundfont) if settings.soundfont else None, qa=args.qa)
    from livetimbre.render.backends import BackendContext, Backends
    from livetimbre.track.pipeline import Runtime, resume, start

    soundfont = Path(request.soundfont) if request.soundfont else None
    backends = Backends(BackendContext(request.sample_rate, genres, request.synth, soundfont,
                                       settings.home))
    from livetimbre.track.storing import open_sink

    sink, problem = open_sink(settings.store_dir)
    if problem:
        progress.warn(problem)
    runtime = Runtime(genres, backends, progress) if sink is None else Runtime(
        genres, backends, progress, sink=sink)
    try:
        if args.resume is not None:
            result = resume(args.resume, settings.home, runtime)
        else:
            result = start(request, settings.home, runtime)
    finally:
        if sink is not None:
            sink.close()
    for note in result.plan.notes:
        progress.say(f"note: {note}")
    figures = result.qa.figures
    progress.say(f"wrote {request.output} ({figures['duration_s']:.2f} s, "
                 f"{figures['integrated_lufs']} LUFS, {figures['true_peak_dbtp']} dBTP, "
                 f"{len(result.plan.sections)} sections) in {result.seconds:.1f} s; "
                 f"sidecar {request.output}.json; job {result.job.id}")
    return 0


def _jobs() -> int:
    import os as _os

    from livetimbre.config import Settings
    from livetimbre.track.jobs import list_jobs

    records = list_jobs(Settings.from_env().home)
    if not records:
        print("no compose runs yet")
    for record in records:
        state: str = record.state
        if state == "running" and record.pid is not None:
            try:
                _os.kill(record.pid, 0)
            except ProcessLookupError:
                state = "stopped"
            except PermissionError:
                pass
        where = record.next_stage or "-"
        prompt = record.request.prompt if len(record.request.prompt) <= 40 else (
            record.request.prompt[:37] + "...")
        print(f"{record.id}  {state:9} next {where:12} {len(record.stages)}/8 stages  "
              f"{len(record.sections)} sections  {prompt!r}")
    return 0


def _empty_session() -> Session:
    from livetimbre.session.model import Layer, Scene, Session

    return Session(
        tempo=104.0, key="A minor", meter="4/4", genre="synthwave", seed=None, quantize="1M",
        bars=4, layers=tuple(Layer(n) for n in ("drums", "bass", "chords", "lead")),
        scenes=tuple(Scene(f"scene{i}") for i in range(1, 5)),
    )


def _play(args: argparse.Namespace) -> int:
    import asyncio

    from livetimbre.app import App, AppOptions
    from livetimbre.config import Settings
    from livetimbre.controllers.surfaces import SurfaceOptions, check_allow_list
    from livetimbre.genres import load_genres
    from livetimbre.patch import load_patch
    from livetimbre.system.cpus import plan_cpus

    settings = Settings.from_env(sample_rate=args.samplerate)
    genres = load_genres(settings.user_genre_dir)
    path: Path | None = getattr(args, "patch", None)
    autosave = settings.home / "autosave.yaml"
    if args.restore:
        from livetimbre.live.saving import restore_state

        if not autosave.exists():
            raise ValueProblem(f"Nothing to restore: {autosave} does not exist.")
        session = load_patch(autosave, genres)
        _report(f"restored the session autosaved in {autosave}")
        state = restore_state(settings.home)
        path = None
        if isinstance(state.get("patch"), str) and Path(state["patch"]).is_file():
            path = Path(state["patch"])
            _report(f"watching {path} again (the patch it came from)")
        playing = state.get("playing")
        if isinstance(playing, dict) and playing:
            shown = ", ".join(f"{layer}@{scene}" for layer, scene in list(playing.items())[:16])
            _report(f"it was playing {shown}: /launch LAYER SCENE or /scene N to go on")
    elif path is not None:
        session = load_patch(path, genres)
    else:
        session = _empty_session()
    if args.record is not None:
        from livetimbre.files.write import check_output_path

        check_output_path(args.record)
    audio_cpu, source = _audio_cpu_choice(args)
    plan_cpus(audio_cpu, source)  # a bad value fails here, before anything starts
    options = AppOptions(output=args.output, device=args.device, blocksize=args.blocksize,
                         workers=args.workers, record=args.record, synth=args.synth,
                         auto_record=not args.no_record,
                         audio_cpu=audio_cpu)
    app = App(settings, genres, session, options, path)
    surfaces = SurfaceOptions(
        osc_port=args.osc_port, osc_host=args.osc_host, osc_files=args.osc_files,
        osc_allow=check_allow_list(args.osc_allow) if args.osc_allow is not None else None,
        midi_in=args.midi_in, controller=args.controller, clock_out=args.clock_out,
        clock_in=args.clock_in, midi_out=args.midi_out,
        midi_out_layers=_layer_list(args.midi_out_layers, session), link=args.link)
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
        return args.audio_cpu, "--audio-cpu"
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
    _report(await app.start())
    try:
        for line in await surfaces.start():
            _report(line)
    except LivetimbreError:
        await surfaces.stop()
        await app.stop()
        raise
    try:
        if headless:
            app.on_message(_report)
            stop = asyncio.Event()
            for sig in (signal.SIGINT, signal.SIGTERM):
                asyncio.get_running_loop().add_signal_handler(sig, stop.set)
            _report("running headless; Ctrl-C or SIGTERM stops")
            await stop.wait()
        else:
            _report("type /scene 1 to start playing, /help for every command, F2 for the grid")
            await run_repl(app.surface_context())
    finally:
        recording = app.recording.path
        await surfaces.stop()
        await app.stop()
        if recording is not None:
            _report(f"recording saved to {recording}")
        underruns = app.output.underruns if app.output else 0
        _report(f"stopped after {app.engine.frame / app.engine.sample_rate:.1f} s of audio, "
                f"{underruns} underruns; session autosaved to {app.files.autosave_path}")
    return 0


def _report(text: str) -> None:
    """Lines from livetimbre on standard error."""
    for line in text.splitlines():
        print(f"livetimbre: {line}", file=sys.stderr, flush=True)


def _render(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from livetimbre.config import Settings
    from livetimbre.genres import load_genres
    from livetimbre.patch import load_patch

    def say(message: str) -> None:
        if not args.quiet:
            print(f"livetimbre: {message}", file=sys.stderr, flush=True)

    settings = Settings.from_env(sample_rate=args.samplerate, soundfont=args.soundfont,
                                 export_format=args.format)
    fmt = _check_outputs(args, settings.export_format)
    genres = load_genres(settings.user_genre_dir)
    session = load_patch(args.patch, genres)
    if args.seed is not None:
        session = replace(session, seed=args.seed)
    order = [session.scene_index(ref) for ref in args.scenes] if args.scenes else None
    if args.bars is not None:
        check_bars(args.bars, "--bars")
    # Everything above is quick to check; the heavy machinery loads only now.
    from livetimbre.compose.midi import write_midi
    from livetimbre.files.audio import write_audio
    from livetimbre.files.write import write_json
    from livetimbre.music.theory import parse_meter
    from livetimbre.render.backends import BackendContext, Backends, check_session_backends
    from livetimbre.render.offline import render_session

    check_session_backends(session)
    backends = Backends(BackendContext(settings.sample_rate, genres, args.synth,
                                       settings.soundfont, settings.home))
    started = time.perf_counter()
    cache = None if args.no_cache else _open_cache(settings, say)
    try:
        result = render_session(
            session, backends, sample_rate=settings.sample_rate,
            block_size=settings.block_size, scenes=order, bars=args.bars,
            stems=args.stems is not None, progress=say, cache=cache,
        )
    finally:
        if cache is not None:
            if cache.problem:
                say(cache.problem)
            cache.close()
    rate = write_audio(args.output, result.mastered.audio, settings.sample_rate, fmt,
                       settings.export_bit_depth, settings.export_sample_rate)
    sidecar = result.sidecar()
    sidecar["file"] = {"path": str(args.output), "format": fmt, "sample_rate": rate,
                       "bit_depth": settings.export_bit_depth}
    if args.stems is not None:
        for name, stem in result.stems.items():
            write_audio(args.stems / f"{name}.wav", stem, settings.sample_rate, "wav", 32)
        sidecar["stems"] = sorted(str(args.stems / f"{n}.wav") for n in result.stems)
    if args.midi is not None:
        write_midi(args.midi, result.midi_tracks(), session.tempo, parse_meter(session.meter))
        sidecar["midi"] = str(args.midi)
    if args.png is not None:
        from livetimbre.pictures.piano_roll import draw_piano_roll

        starts = itertools.accumulate(result.scene_bars, initial=0)
        scenes = [(bar, session.scenes[index].name)
                  for bar, index in zip(starts, result.scene_order, strict=False)]
        draw_piano_roll(args.png, result.midi_tracks(), parse_meter(session.meter).beats,
                        scenes, f"{args.patch.name}: {session.genre}, {session.key}, "
                        f"{session.meter}, {session.tempo:g} BPM")
        sidecar["png"] = str(args.png)
    write_json(args.output.with_name(args.output.name + ".json"), sidecar)
    qa = sidecar["qa"]
    elapsed = time.perf_counter() - started
    say(f"wrote {args.output} ({qa['duration_s']:.1f} s, {qa['integrated_lufs']} LUFS, "
        f"{qa['true_peak_dbtp']} dBTP) in {elapsed:.1f} s; sidecar {args.output}.json")
    return 0


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


def _check_outputs(args: argparse.Namespace, default_format: str | None) -> str:
    """The audio format of `-o`, after checking that -o, --midi and --png may be written
    and making the --stems folder: render and compose refuse before any work."""
    from livetimbre.files.audio import format_for
    from livetimbre.files.write import check_output_path

    fmt = format_for(args.output, args.format, default_format)
    check_output_path(args.output)
    for extra in (args.midi, args.png):
        if extra is not None:
            check_output_path(extra)
    if args.stems is not None:
        _make_folder(args.stems, "--stems")
    return fmt


def _make_folder(folder: Path, option: str) -> None:
    """Create `folder` (and its parents) for `option`; FileProblem naming why not."""
    from livetimbre.errors import FileProblem
    from livetimbre.files.read import shown_path

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise FileProblem(f"{option} {shown_path(folder)}: cannot create it ({reason}).") from None


def _size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return ""


def _models(args: argparse.Namespace) -> int:
    from livetimbre.config import Settings
    from livetimbre.render.backends.musicgen import hub

    home = Settings.from_env().home
    if args.action == "list":
        found = hub.list_models(home)
        for model in found:
            print(f"{model.id:40} {_size(model.size):>10}  {model.kind}")
        if not found:
            print("no models on disk: livetimbre models pull facebook/musicgen-small")
        return 0
    if args.action == "pull":
        model = hub.pull(args.model, home)
        print(f"{model.id}: {_size(model.size)} on disk in {model.path}")
        return 0
    freed = hub.remove(args.model, home)
    print(f"removed {args.model} ({_size(freed)} freed)")
    return 0


def _genres() -> int:
    from livetimbre.config import Settings
    from livetimbre.genres import load_genres

    registry = load_genres(Settings.from_env().user_genre_dir)
    for genre in registry:
        low, high = genre.rhythm.tempo_range
        print(f"{genre.id:16} {genre.family:12} {genre.name:18} {low:g}-{high:g} BPM  "
              f"{genre.description}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `livetimbre` console script."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "render":
            return _render(args)
        if args.command == "compose":
            return _compose(args)
        if args.command == "plan":
            return run_plan(args)
        if args.command == "jobs":
            return _jobs()
        if args.command == "genres":
            return _genres()
        if args.command == "models":
            return _models(args)
        if args.command == "artifacts":
            return run_artifacts(args)
        if args.command == "devices":
            from livetimbre.system.devices import describe_devices

            print(describe_devices())
            return 0
        return _play(args)
    except LivetimbreError as exc:
        print(f"livetimbre: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("livetimbre: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
