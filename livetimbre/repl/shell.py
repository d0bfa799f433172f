"""The prompt_toolkit REPL: history, completion, validation under the line, a live
toolbar, the Session View grid on F2, background messages printed above the prompt."""

from __future__ import annotations

__all__ = ["run_repl"]

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

    history_store = (FileHistory(str(app.settings.home / "history"))
                     if history else InMemoryHistory())
    if history:
        app.settings.home.mkdir(parents=True, exist_ok=True)
    prompt: PromptSession[str] = PromptSession(
        history=history_store, completer=SlashCompleter(app), validator=_SlashValidator(),
        validate_while_typing=False, bottom_toolbar=toolbar, refresh_interval=0.25,
        key_bindings=bindings, style=STYLE, input=input, output=output,
        complete_while_typing=True,
    )
    app.on_message(lambda message: print(message, flush=True))
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
