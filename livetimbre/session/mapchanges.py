"""Session changes of the control map: bind a control (`/map`, or learned), unbind
(`/unmap`). Undoable like every session change; saved in the patch as `midi_map:`."""

from __future__ import annotations

__all__ = ["MapControl", "Unmap", "map_option", "parse_map", "parse_unmap", "split_options"]

from dataclasses import dataclass

from livetimbre.errors import ValueProblem
from livetimbre.session.mapping import ENCODINGS, Binding, parse_control
from livetimbre.session.model import Session

MAP_USAGE = ("Usage: /map (show the map) or /map CONTROL TARGET [relative|offset|signed] "
             "[jump], e.g. /map ch1:cc74 drums cutoff.")
UNMAP_USAGE = "Usage: /unmap CONTROL | TARGET | all, e.g. /unmap ch1:cc74 or /unmap drums cutoff."


@dataclass(frozen=True)
class MapControl:
    """Bind `binding.control` to its target (replacing what that control moved)."""

    binding: Binding

    def slash(self) -> str:
        return f"/map {self.binding}"

    def answer(self, new: Session) -> str:
        return f"{self.binding.control} → {self.binding.target}" + "".join(
            f" ({word})" for word in self.binding.options())


@dataclass(frozen=True)
class Unmap:
    """Remove the binding of a control (`ch1:cc74`, `/1/fader1`), every binding of a
    target (`drums cutoff`), or all of them (`all`)."""

    what: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "what", " ".join(self.what.split()))
        if not self.what:
            raise ValueProblem(UNMAP_USAGE)
        if _is_control(self.what):
            parse_control(self.what)

    def slash(self) -> str:
        return f"/unmap {self.what}"

    def answer(self, new: Session) -> str:
        return f"unmapped {self.what}"

    def removes(self, binding: Binding) -> bool:
        if self.what == "all":
            return True
        if _is_control(self.what):
            return binding.control == parse_control(self.what)
        return binding.target.lower() == self.what.lower()


def _is_control(word: str) -> bool:
    return word.startswith("/") or (word.lower().startswith("ch") and ":" in word)


def map_option(binding: Binding, word: str) -> Binding:
    """`binding` with one option word applied (an encoding, `jump` or `pickup`)."""
    lowered = word.lower()
    if lowered in ENCODINGS:
        return Binding(binding.control, binding.target, lowered, binding.takeover)
    if lowered in ("jump", "pickup"):
        return Binding(binding.control, binding.target, binding.encoding, lowered == "pickup")
    raise ValueProblem(f"Unknown option {word[:40]!r}. {MAP_USAGE}")


def split_options(words: list[str]) -> tuple[list[str], list[str]]:
    """Target words, then the option words that end the line."""
    end = len(words)
    while end > 1 and words[end - 1].lower() in (*ENCODINGS, "jump", "pickup"):
        end -= 1
    return words[:end], words[end:]


def parse_map(args: list[str]) -> MapControl:
    """`/map CONTROL TARGET... [options]` → MapControl."""
    if len(args) < 2 or not _is_control(args[0]):
        raise ValueProblem(MAP_USAGE)
    target, options = split_options(args[1:])
    binding = Binding(parse_control(args[0]), " ".join(target))
    for word in options:
        binding = map_option(binding, word)
    return MapControl(binding)


def parse_unmap(args: list[str]) -> Unmap:
    if not args:
        raise ValueProblem(UNMAP_USAGE)
    return Unmap(" ".join(args))

