"""Performing what a REPL line means: commands go to the App, actions are handled here."""

from __future__ import annotations

__all__ = ["Outcome", "run_line"]

from dataclasses import dataclass

from livetimbre.app import App
from livetimbre.errors import LivetimbreError, ValueProblem
from livetimbre.repl import commands as rc
from livetimbre.repl.view import grid_text


@dataclass(frozen=True)
class Outcome:
    message: str
    quit: bool = False
    error: bool = False


def _help(topic: str | None) -> str:
    if topic is None:
        width = max(len(cmd.usage) for cmd in rc.COMMANDS.values())
        lines = [f"  {cmd.usage.ljust(width)}  {cmd.summary}" for cmd in rc.COMMANDS.values()]
        return "Commands (/help COMMAND for an example):\n" + "\n".join(lines)
    command = rc.COMMANDS.get(topic.lower())
    if command is None:
        raise ValueProblem(f"No command '/{topic}'. Type /help for the list.")
    return f"{command.usage}\n  {command.summary}\n  example: {command.example}"


def _devices() -> str:
    from livetimbre.system.devices import describe_devices

    return describe_devices()


def _status(app: App) -> str:
    s = app.status()
    session = app.session
    lines = [
        f"bar {s.bar}.{s.beat}  tempo {s.tempo:g} BPM  key {session.key}  "
        f"meter {session.meter}  genre {session.genre}  quantize {session.quantize}",
        f"renders in flight {s.renders}  underruns {s.underruns}  "
        f"output {app.output.name if app.output else '-'}",
        f"generation {app.generation}",
    ]
    if s.recording:
        lines.append(f"recording to {s.recording}")
    if app.patch_path:
        lines.append(f"patch {app.patch_path} (watched)")
    return "\n".join(lines)


def perform(app: App, action: rc.Action) -> Outcome:
    """Carry out a parsed line."""
    match action:
        case rc.Help(topic):
            return Outcome(_help(topic))
        case rc.ShowGrid():
            return Outcome(grid_text(app))
        case rc.ShowStatus():
            return Outcome(_status(app))
        case rc.ShowDevices():
            return Outcome(_devices())
        case rc.Save(path):
            target = path or app.patch_path
            if target is None:
                raise ValueProblem("No patch file yet: /save PATH.")
            return Outcome(f"saved {app.save(target)}")
        case rc.Load(path):
            return Outcome(app.load_patch(path))
        case rc.Undo():
            return Outcome("undone" if app.undo() else "nothing to undo")
        case rc.Record(path):
            return Outcome(app.start_recording(path) if path else app.stop_recording())
        case rc.Panic():
            return Outcome(app.panic())
        case rc.Quit():
            return Outcome("bye", quit=True)
        case rc.SetGeneration(name, value):
            return Outcome(app.set_generation(name, value))
    return Outcome(app.execute(action))


def run_line(app: App, line: str) -> Outcome:
    """Parse and perform one line; every error becomes a message and the loop goes on."""
    try:
        return perform(app, rc.parse_line(line))
    except LivetimbreError as exc:
        return Outcome(str(exc), error=True)
