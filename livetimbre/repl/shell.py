"""The prompt_toolkit REPL: history, completion, validation under the line, a live
toolbar, the Session View grid on F2, background messages printed above the prompt."""

from __future__ import annotations

__all__ = ["run_repl"]

import asyncio

from prompt_toolkit import PromptSession
from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.history import FileHistory, InMemoryHistory
from prompt_toolkit.input import Input
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.output import Output
from prompt_toolkit.patch_stdout import patch_stdout
from prompt_toolkit.styles import Style
from prompt_toolkit.validation import ValidationError, Validator

from livetimbre.app import App
from livetimbre.errors import LivetimbreError
from livetimbre.repl.actions import run_line
from livetimbre.repl.commands import parse_line
from livetimbre.repl.completion import SlashCompleter
from livetimbre.repl.view import grid_fragments, toolbar_fragments

STYLE = Style.from_dict({
    "bottom-toolbar": "noreverse bg:#202020 #d0d0d0",
    "toolbar.clock": "bold #ffffff bg:#005f87",
    "toolbar.bad": "bold #ffffff bg:#af0000",
    "toolbar.rec": "bold #ff5f5f",
    "toolbar.hint": "#808080",
    "grid.head": "bold #d0d0d0",
    "grid.layer": "bold #87afff",
    "slot.empty": "#585858",
    "slot.queued": "#ffd75f blink",
    "slot.rendering": "#5fafff",
    "slot.ready": "#87d787",
    "slot.playing": "bold #000000 bg:#5fd75f",
    "slot.failed": "bold #ff5f5f",
})


class _SlashValidator(Validator):
    """Checks a line on Enter; the error shows under it and the line stays for editing."""

    def validate(self, document: Document) -> None:
        if not document.text.strip():
            return
        try:
            parse_line(document.text)
        except LivetimbreError as exc:
            raise ValidationError(len(document.text), str(exc)) from None


async def run_repl(app: App, input: Input | None = None, output: Output | None = None,
                   history: bool = True) -> None:
    """Read and run slash commands until /quit or Ctrl-D; Ctrl-C only clears the line."""
    show_grid = [False]
    bindings = KeyBindings()

    @bindings.add("f2")
    @bindings.add("c-g")
    def _toggle_grid(event: KeyPressEvent) -> None:
        show_grid[0] = not show_grid[0]
        event.app.invalidate()

    def toolbar() -> FormattedText:
        fragments = toolbar_fragments(app)
        if show_grid[0]:
            fragments = [*grid_fragments(app), *fragments]
        return FormattedText(fragments)

    async def redraw_on_change() -> None:
        """Redraw only when what the toolbar shows has changed (at most 10 times a
        second): a full prompt_toolkit redraw is the costliest thing this process does
        besides audio, and it competes with the audio thread for the GIL."""
        shown: object = None
        while True:
            await asyncio.sleep(0.1)
            now = (app.status(), show_grid[0],
                   _grid_state(app) if show_grid[0] else None)
            if now != shown and prompt.app.is_running:
                shown = now
                prompt.app.invalidate()

    history_store = (FileHistory(str(app.settings.home / "history"))
                     if history else InMemoryHistory())
    if history:
        app.settings.home.mkdir(parents=True, exist_ok=True)
    prompt: PromptSession[str] = PromptSession(
        history=history_store, completer=SlashCompleter(app), validator=_SlashValidator(),
        validate_while_typing=False, bottom_toolbar=toolbar,
        key_bindings=bindings, style=STYLE, input=input, output=output,
        complete_while_typing=True,
    )
    app.on_message(lambda message: print(message, flush=True))
    redraw = asyncio.create_task(redraw_on_change())
    try:
        await _read_eval_print(app, prompt)
    finally:
        redraw.cancel()


def _grid_state(app: App) -> tuple[tuple[object, ...], ...]:
    session = app.session
    return tuple(tuple(app.slot_view(layer.name, i) for i in range(len(session.scenes)))
                 for layer in session.layers)


async def _read_eval_print(app: App, prompt: PromptSession[str]) -> None:
    with patch_stdout(raw=True):
        while True:
            try:
                line = await prompt.prompt_async("livetimbre> ")
            except KeyboardInterrupt:
                continue
            except EOFError:
                return
            if not line.strip():
                continue
            outcome = run_line(app, line)
            print(("error: " if outcome.error else "") + outcome.message, flush=True)
            if outcome.quit:
                return
