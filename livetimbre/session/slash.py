"""Slash-command lines → commands: the table every surface that takes a line shares.

The REPL, OSC `/livetimbre/command` and anything else that reads a typed line use
`parse_line`; parsing changes nothing. Errors say what is wrong and show the usage.
"""

from __future__ import annotations

__all__ = ["COMMANDS", "SlashCommand", "help_text", "parse_line", "slash_form", "split"]

import difflib
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from livetimbre.errors import ValueProblem
from livetimbre.music.values import QUANTIZE_CHOICES
from livetimbre.session import commands as c
from livetimbre.session.mapchanges import parse_map, parse_unmap, split_options
from livetimbre.session.params import param


@dataclass(frozen=True)
class SlashCommand:
    name: str
    usage: str
    summary: str
    example: str
    parse: Callable[[list[str]], c.Command]
    min_args: int = 0
    max_args: int | None = 0


def _whole(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueProblem(f"{what} {text!r} is not a whole number.") from None


def _number(text: str, what: str, unit: str = "") -> float:
    try:
        return float(text)
    except ValueError:
        of = f" of {unit}" if unit else ""
        raise ValueProblem(f"{what} {text[:40]!r} is not a number{of}.") from None


def _switch(args: list[str], what: str) -> bool:
    """Optional on/off argument; no argument toggles on."""
    if len(args) < 2:
        return True
    value = args[1].lower()
    if value in ("on", "1", "yes", "true"):
        return True
    if value in ("off", "0", "no", "false"):
        return False
    raise ValueProblem(f"{what} takes on or off (got {args[1][:40]!r}).")


def _scene_ref(text: str) -> c.SceneRef:
    return int(text) if text.isdigit() else text


def _layer(args: list[str]) -> c.Command:
    if args[0] != "add" or len(args) < 2:
        raise ValueProblem("Usage: /layer add NAME [INSTRUMENT].")
    return c.AddLayer(args[1], " ".join(args[2:]))


def _scene(args: list[str]) -> c.Command:
    if args[0] == "add":
        if len(args) != 2:
            raise ValueProblem("Usage: /scene add NAME.")
        return c.AddScene(args[1])
    if args[0] == "rename":
        if len(args) != 3:
            raise ValueProblem("Usage: /scene rename N NAME.")
        return c.RenameScene(_scene_ref(args[1]), args[2])
    if len(args) != 1:
        raise ValueProblem("Usage: /scene N|NAME, /scene add NAME or /scene rename N NAME.")
    return c.LaunchScene(_scene_ref(args[0]))


def _record(args: list[str]) -> c.Command:
    if args[0] == "stop" and len(args) == 1:
        return c.StopRecording()
    if args[0] == "start" and len(args) == 2:
        return c.StartRecording(Path(args[1]).expanduser())
    raise ValueProblem("Usage: /record start FILE or /record stop.")


def _sampling(args: list[str]) -> c.Command:
    """`/sampling [LAYER] NAME=VALUE ...`; VALUE 'default' removes the parameter."""
    layer = None if "=" in args[0] else args[0]
    params: list[tuple[str, float | None]] = []
    for word in args[1:] if layer is not None else args:
        name, sep, value = word.partition("=")
        if not sep or not name:
            raise ValueProblem("Usage: /sampling [LAYER] NAME=VALUE ... (e.g. /sampling "
                               "temperature=1.1 top_k=250).")
        params.append((name, None if value == "default" else _number(value, name)))
    return c.SetSampling(tuple(params), layer)


def _learn(args: list[str]) -> c.Command:
    """`/learn TARGET... [relative|offset|signed] [jump]` or `/learn off`."""
    if [a.lower() for a in args] == ["off"]:
        return c.StopLearning()
    target, options = split_options(args)
    encodings = [w.lower() for w in options if w.lower() not in ("jump", "pickup")]
    if len(encodings) > 1:
        raise ValueProblem(f"Give one encoding, not {' and '.join(encodings)}.")
    jump = any(w.lower() == "jump" for w in options)
    return c.Learn(" ".join(target), encodings[0] if encodings else "absolute", not jump)


def _map(args: list[str]) -> c.Command:
    return parse_map(args) if args else c.ShowMap()


_COMPOSE_USAGE = ('Usage: /compose "PROMPT" [-o FILE] [--duration S] [--short] [--genre G] '
                  "[--seed N], or /compose stop.")


def _compose(args: list[str]) -> c.Command:
    """`/compose "PROMPT" [options]` or `/compose stop`; options anywhere on the line."""
    if args == ["stop"]:
        return c.StopCompose()
    words: list[str] = []
    options: dict[str, str] = {}
    short = False
    rest = iter(args)
    for word in rest:
        if word == "--short":
            short = True
        elif word in ("-o", "--output", "--duration", "--genre", "--seed"):
            value = next(rest, None)
            if value is None:
                raise ValueProblem(f"{word} needs a value. {_COMPOSE_USAGE}")
            options["--output" if word == "-o" else word] = value
        elif word.startswith("-") and len(word) > 1 and not word[1:2].isdigit():
            raise ValueProblem(f"Unknown option {word[:40]!r}. {_COMPOSE_USAGE}")
        else:
            words.append(word)
    if not words:
        raise ValueProblem(_COMPOSE_USAGE)
    output = options.get("--output")
    seconds = options.get("--duration")
    seed = options.get("--seed")
    return c.Compose(" ".join(words), Path(output).expanduser() if output else None,
                     _number(seconds, "Duration", "seconds") if seconds is not None else None,
                     short, options.get("--genre"),
                     _whole(seed, "Seed") if seed is not None else None)


def _lines(words: str) -> str | None:
    """Typed words with ' / ' (or a literal \\n) between lines, as lines of text."""
    lines = [line.strip() for line in words.replace("\\n", "/").split("/")]
    return "\n".join(line for line in lines if line) or None


def _path(text: str) -> str:
    return str(Path(text).expanduser().absolute())


def _sample(args: list[str]) -> c.Command:
    """`/sample LAYER SCENE PATH [bpm=N] [key=auto|off|KEY]`."""
    options: dict[str, str] = {}
    for word in args[3:]:
        name, sep, value = word.partition("=")
        if not sep or name not in ("bpm", "key") or name in options:
            raise ValueProblem(f"Unknown option {word[:40]!r}: /sample LAYER SCENE PATH "
                               "[bpm=N] [key=auto|off|KEY].")
        options[name] = value
    bpm = options.get("bpm")
    return c.SetClipSample(args[0], _scene_ref(args[1]), _path(args[2]),
                           None if bpm in (None, "auto") else _number(bpm, "bpm"),
                           options.get("key"))


def _fx(args: list[str]) -> c.Command:
    """`/fx LAYER PARAM VALUE` or `/fx master PARAM VALUE`: any learnable parameter;
    `/fx [LAYER|master]` shows the effects."""
    if len(args) < 2:
        return c.ShowFx(args[0] if args and args[0] != "master" else None)
    if len(args) != 3:
        raise ValueProblem("Usage: /fx LAYER|master PARAM VALUE (e.g. /fx drums cutoff 800), "
                           "or /fx [LAYER] to see the effects.")
    target, name, value = args
    found = param(name)
    layer = None if found.scope == "master" else target
    if found.scope == "master" and target != "master":
        raise ValueProblem(f"{found.name} is a master parameter: /fx master {found.name} "
                           f"{value[:40]}.")
    return found.set(layer, found.parse(value))


def _session(args: list[str]) -> c.Command:
    if args[0] == "start":
        return c.LaunchScene(1)
    if args[0] == "status":
        return c.ShowStatus()
    raise ValueProblem("Usage: /session start or /session status.")


_TABLE = [
    SlashCommand("tempo", "/tempo BPM", "set the tempo (from the next bar)", "/tempo 120",
                 lambda a: c.SetTempo(_number(a[0], "Tempo")), 1, 1),
    SlashCommand("key", "/key KEY", "set the key; clips re-render", "/key F# minor",
                 lambda a: c.SetKey(" ".join(a)), 1, 3),
    SlashCommand("genre", "/genre NAME", "set the genre; clips re-render", "/genre house",
                 lambda a: c.SetGenre(a[0]), 1, 1),
    SlashCommand("seed", "/seed N", "set the session seed; clips re-render", "/seed 42",
                 lambda a: c.SetSeed(_whole(a[0], "Seed")), 1, 1),
    SlashCommand("quantize", f"/quantize {'|'.join(QUANTIZE_CHOICES)}",
                 "when launches happen", "/quantize 2M",
                 lambda a: c.SetQuantize(a[0]), 1, 1),
    SlashCommand("clip", '/clip LAYER SCENE ["PROMPT"]',
                 "render a prompt into a slot (no prompt: clear it)",
                 '/clip drums 1 "driving beat"',
                 lambda a: c.SetClipPrompt(a[0], _scene_ref(a[1]), " ".join(a[2:]) or None),
                 2, None),
    SlashCommand("lyrics", '/lyrics LAYER SCENE ["WORDS"]',
                 "the words a vocals clip sings; lines split by ' / ' (no words: written "
                 "for its prompt)", '/lyrics vocals 2 "hold on / the night is young"',
                 lambda a: c.SetLyrics(a[0], _scene_ref(a[1]), _lines(" ".join(a[2:]))),
                 2, None),
    SlashCommand("sample", "/sample LAYER SCENE PATH [bpm=N] [key=auto|off|KEY]",
                 "put your own audio loop in a slot, fitted to the bar grid (key=auto: "
                 "shifted into the session key)", "/sample drums 1 loops/break.wav bpm=93",
                 _sample, 3, 5),
    SlashCommand("pattern", '/pattern LAYER SCENE ["PATTERN"]',
                 "mini-notation (Tidal/Strudel) for where a clip's notes fall; its prompt "
                 "chooses the sound (no pattern: take it out)", '/pattern drums 1 "bd*2 [~ sd]"',
                 lambda a: c.SetClipPattern(a[0], _scene_ref(a[1]), " ".join(a[2:]) or None),
                 2, None),
    SlashCommand("kit", "/kit LAYER DIR|off",
                 "play a layer's drum patterns with your own one-shots (kick.wav, ...)",
                 "/kit drums kits/dusty",
                 lambda a: c.SetKit(a[0], None if a[1] == "off" else _path(a[1])),
                 2, 2),
    SlashCommand("launch", "/launch LAYER SCENE", "launch a clip at the next boundary",
                 "/launch drums 1", lambda a: c.LaunchClip(a[0], _scene_ref(a[1])), 2, 2),
    SlashCommand("scene", "/scene N|NAME | add NAME | rename N NAME",
                 "launch a scene, add one, or rename one", "/scene 2", _scene, 1, 3),
    SlashCommand("stop", "/stop LAYER|all", "stop a layer (or all) at the next boundary",
                 "/stop bass",
                 lambda a: c.StopAll() if a[0] == "all" else c.StopLayer(a[0]), 1, 1),
    SlashCommand("mute", "/mute LAYER [on|off]", "mute or unmute a layer", "/mute pads",
                 lambda a: c.SetMute(a[0], _switch(a, "/mute")), 1, 2),
    SlashCommand("solo", "/solo LAYER [on|off]", "solo or unsolo a layer", "/solo drums off",
                 lambda a: c.SetSolo(a[0], _switch(a, "/solo")), 1, 2),
    SlashCommand("gain", "/gain LAYER DB", "set a layer's gain in dB", "/gain bass -3",
                 lambda a: c.SetGain(a[0], _number(a[1], "Gain", "dB")), 2, 2),
    SlashCommand("release", "/release LAYER MS",
                 "how long a layer fades out when it stops (1 to 10000 ms)", "/release pads 800",
                 lambda a: c.SetRelease(a[0], _number(a[1], "Release", "ms")), 2, 2),
    SlashCommand("fx", "/fx LAYER|master PARAM VALUE | /fx [LAYER]",
                 "set an effect (cutoff, resonance, filter, delay, reverb; master: delay_time, "
                 "feedback, room, stutter, tapestop) or any learnable parameter; alone: "
                 "show the effects", "/fx drums cutoff 800", _fx, 0, 3),
    SlashCommand("layer", "/layer add NAME [INSTRUMENT]", "add a layer",
                 "/layer add keys rhodes", _layer, 2, None),
    SlashCommand("model", "/model NAME[:MODEL]",
                 "the render backend for layers that name none", "/model procedural",
                 lambda a: c.SetModel(a[0]), 1, 1),
    SlashCommand("cfg", "/cfg COEF", "classifier-free guidance of model renders "
                 "(guidance_scale)", "/cfg 3",
                 lambda a: c.SetSampling((("guidance_scale", _number(a[0], "/cfg")),)), 1, 1),
    SlashCommand("sampling", "/sampling [LAYER] NAME=VALUE ...",
                 "model sampling: top_k, top_p, temperature, guidance_scale",
                 "/sampling lead temperature=1.1 top_k=250", _sampling, 1, None),
    SlashCommand("duration", "/duration SECONDS",
                 "how long /compose makes a track (default 120; long-form is 90 to 180 s)",
                 "/duration 150", lambda a: c.SetDuration(_number(a[0], "Duration",
                                                                 "seconds")), 1, 1),
    SlashCommand("compose", '/compose "PROMPT" [-o FILE] [--duration S] [--short] '
                 "[--genre G] [--seed N] | stop",
                 "compose a whole mastered track in the background (music keeps playing)",
                 '/compose "dreamy synthwave with warm pads" -o tonight.wav', _compose, 1,
                 None),
    SlashCommand("plan", '/plan "PROMPT"',
                 "show what the director reads in a prompt, and its plan (no rendering)",
                 '/plan "slow house with a trumpet"', lambda a: c.PlanPrompt(" ".join(a)), 1,
                 None),
    SlashCommand("learn", "/learn LAYER PARAM [relative|offset|signed] [jump] | off",
                 "bind the next knob, fader, pad or OSC control moved to a parameter",
                 "/learn drums gain", _learn, 1, None),
    SlashCommand("map", "/map [CONTROL TARGET [relative|offset|signed] [jump]]",
                 "show the mapped controls, or map one by hand", "/map ch1:cc74 bass gain",
                 _map, 0, None),
    SlashCommand("unmap", "/unmap CONTROL|TARGET|all", "remove a mapping",
                 "/unmap ch1:cc74", parse_unmap, 1, None),
    SlashCommand("load", "/load PATCH", "load a patch (and watch it)",
                 "/load patches/warehouse.yaml",
                 lambda a: c.Load(Path(a[0]).expanduser()), 1, 1),
    SlashCommand("save", "/save [PATCH]", "save the session as a patch",
                 "/save mysets/tonight.yaml",
                 lambda a: c.Save(Path(a[0]).expanduser() if a else None), 0, 1),
    SlashCommand("record", "/record start FILE | stop", "record the master output",
                 "/record start take1.wav", _record, 1, 2),
    SlashCommand("status", "/status", "show transport, key, renders, underruns", "/status",
                 lambda a: c.ShowStatus()),
    SlashCommand("grid", "/grid", "show the Session View (F2 toggles it below)", "/grid",
                 lambda a: c.ShowGrid()),
    SlashCommand("devices", "/devices", "list audio devices and MIDI ports", "/devices",
                 lambda a: c.ShowDevices()),
    SlashCommand("undo", "/undo", "step back one session change", "/undo", lambda a: c.Undo()),
    SlashCommand("panic", "/panic", "stop everything now", "/panic", lambda a: c.Panic()),
    SlashCommand("help", "/help [COMMAND]", "list commands, or explain one", "/help clip",
                 lambda a: c.Help(a[0].lstrip("/") if a else None), 0, 1),
    SlashCommand("quit", "/quit", "stop audio and leave (Ctrl-D too)", "/quit",
                 lambda a: c.Quit()),
    SlashCommand("session", "/session start|status", "start the set at scene 1, or show status",
                 "/session start", _session, 1, 1),
]
COMMANDS: dict[str, SlashCommand] = {command.name: command for command in _TABLE}


def help_text(topic: str | None) -> str:
    """Every command with its summary, or one command's usage and example."""
    if topic is None:
        width = max(len(cmd.usage) for cmd in COMMANDS.values())
        lines = [f"  {cmd.usage.ljust(width)}  {cmd.summary}" for cmd in COMMANDS.values()]
        return ("Commands (/help COMMAND for an example, /help words for the prompt "
                "vocabulary):\n" + "\n".join(lines))
    command = COMMANDS.get(topic.lower())
    if command is None:
        raise ValueProblem(f"No command '/{topic[:40]}'. Type /help for the list.")
    return f"{command.usage}\n  {command.summary}\n  example: {command.example}"


def split(line: str) -> list[str]:
    """Shell-like words; quotes keep a prompt together."""
    try:
        return shlex.split(line)
    except ValueError as exc:
        shown = line if len(line) <= 60 else line[:57] + "..."
        raise ValueProblem(f"Cannot read {shown!r}: {exc} (close the quote?).") from None


def parse_line(line: str) -> c.Command:
    """The command a slash-command line asks for; ValueProblem says what is wrong."""
    words = split(line.strip())
    if not words:
        raise ValueProblem("Type a command, e.g. /help.")
    head = words[0]
    if not head.startswith("/"):
        raise ValueProblem(f"Commands start with '/': try /{head[:40]} or /help.")
    name = head[1:].lower()
    command = COMMANDS.get(name)
    if command is None:
        close = difflib.get_close_matches(name, list(COMMANDS), n=2)
        hint = f" Did you mean {', '.join('/' + n for n in close)}?" if close else ""
        raise ValueProblem(f"Unknown command '{head[:40]}'.{hint} Type /help for the list.")
    args = words[1:]
    if len(args) < command.min_args or (
        command.max_args is not None and len(args) > command.max_args
    ):
        raise ValueProblem(f"Usage: {command.usage}  (e.g. {command.example})")
    return command.parse(args)


def slash_form(command: c.SessionChange) -> str:
    """The line that asks for `command` (what /undo says it undid)."""
    return command.slash()
