"""Completion for slash commands: names, layers, scenes, genres and file paths."""

from __future__ import annotations

__all__ = ["SlashCompleter"]

from collections.abc import Iterable

from prompt_toolkit.completion import CompleteEvent, Completer, Completion, PathCompleter
from prompt_toolkit.document import Document

from livetimbre.live.slots import SessionView
from livetimbre.music.values import QUANTIZE_CHOICES
from livetimbre.render.backends import known_backends
from livetimbre.session.mapping import ENCODINGS
from livetimbre.session.params import learnable
from livetimbre.session.slash import COMMANDS

_LAYER_FIRST = {"clip", "launch", "mute", "solo", "gain", "release", "stop", "sample", "kit"}
_SCENE_SECOND = {"clip", "launch", "sample"}
_PATHS = {"load", "save"}


class SlashCompleter(Completer):
    """Completes the word under the cursor from what the session knows."""

    def __init__(self, view: SessionView, genres: list[str]) -> None:
        self._view = view
        self._genres = genres
        self._paths = PathCompleter(expanduser=True)

    def _choices(self, words: list[str]) -> list[str]:
        command = words[0].lstrip("/").lower()
        position = len(words) - 1  # index of the word being completed
        session = self._view.session
        layers = [layer.name for layer in session.layers]
        scenes = [str(i) for i in range(1, len(session.scenes) + 1)]
        scenes += [scene.name for scene in session.scenes]
        if command in _LAYER_FIRST and position == 1:
            return layers + (["all"] if command == "stop" else [])
        if command in _SCENE_SECOND and position == 2:
            return scenes
        if command == "scene" and position == 1:
            return ["add", "rename", *scenes]
        if command == "genre" and position == 1:
            return self._genres
        if command == "model" and position == 1:
            return known_backends()
        if command == "quantize" and position == 1:
            return list(QUANTIZE_CHOICES)
        if command == "help" and position == 1:
            return list(COMMANDS)
        if command == "record" and position == 1:
            return ["start", "stop"]
        if command == "session" and position == 1:
            return ["start", "status"]
        if command == "compose" and position >= 1:
            previous = words[position - 1]
            if previous == "--genre":
                return self._genres
            return ["stop"] if position == 1 else ["--short", "--duration", "--genre",
                                                     "--seed", "-o"]
        if command in ("mute", "solo") and position == 2:
            return ["on", "off"]
        if command == "sample" and position >= 4:
            return ["bpm=", "key=auto", "key=off"]
        if command in ("learn", "unmap"):
            return _learn_choices(words, layers, scenes, command == "unmap",
                                  [str(b.control) for b in session.midi_map])
        return []

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterable[Completion]:
        text = document.text_before_cursor
        words = text.split()
        if text.endswith(" "):
            words.append("")
        if len(words) <= 1:
            typed = words[0] if words else ""
            for name, slash in COMMANDS.items():
                if ("/" + name).startswith(typed):
                    yield Completion("/" + name, -len(typed), display_meta=slash.summary)
            return
        command = words[0].lstrip("/").lower()
        if ((command in _PATHS and len(words) == 2) or (command == "record" and len(words) == 3)
                or (command == "compose" and len(words) > 2 and words[-2] in ("-o", "--output"))
                or (command == "sample" and len(words) == 4)
                or (command == "kit" and len(words) == 3 and words[-1] != "off")):
            yield from self._paths.get_completions(Document(words[-1]), complete_event)
            return
        typed = words[-1]
        for choice in self._choices(words):
            if choice.startswith(typed):
                yield Completion(choice, -len(typed))


def _learn_choices(words: list[str], layers: list[str], scenes: list[str], unmap: bool,
                   controls: list[str]) -> list[str]:
    """/learn's targets word by word, then its options; /unmap's controls and targets."""
    position = len(words) - 1
    if position == 1:
        return [*layers, "master", "scene", "tempo",
                *(["all", *controls] if unmap else ["off"])]
    head = words[1]
    if position == 2:
        if head in layers:
            return [*learnable("layer"), "stop", "clip"]
        return {"master": list(learnable("master")), "scene": scenes,
                "tempo": ["nudge", "up", "down"]}.get(head, [])
    if position == 3 and head in layers and words[2] == "clip":
        return scenes
    return [] if unmap else [*ENCODINGS[1:], "jump"]
