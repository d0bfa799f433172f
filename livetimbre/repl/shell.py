"""The prompt_toolkit REPL: history, completion, a live toolbar, the Session View grid
on F2, background messages printed above the prompt.

Every line is run when Enter is pressed; a refused one prints its reason below it and
leaves a fresh prompt (Up brings the line back to edit), so the next command is never
typed onto the end of a refused one."""

from __future__ import annotations

__all__ = ["run_repl"]

import asyncio

from prompt_toolkit import PromptSession
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.history import FileHistory, InMemoryHistory
from prompt_toolkit.input import Input
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.output import Output
from prompt_toolkit.patch_stdout import patch_stdout
from prompt_toolkit.styles import Style

from livetimbre.live.slots import SessionView
from livetimbre.live.surface import SurfaceContext
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


async def run_repl(ctx: SurfaceContext, input: Input | None = None,
                   output: Output | None = None, history: bool = True) -> None:
    """Read and run slash commands until /quit or Ctrl-D; Ctrl-C only clears the line."""
    view = ctx.view
    show_grid = [False]
    bindings = KeyBindings()

    @bindings.add("f2")
    @bindings.add("c-g")
    def _toggle_grid(event: KeyPressEvent) -> None:
        show_grid[0] = not show_grid[0]
        event.app.invalidate()

    def toolbar() -> FormattedText:
        fragments = toolbar_fragments(view, prompt.app.output.get_size().columns)
        if show_grid[0]:
            fragments = [*grid_fragments(view), *fragments]
        return FormattedText(fragments)

    async def redraw_on_change() -> None:
        """Redraw only when what the toolbar shows has changed (at most 10 times a
        second): a full prompt_toolkit redraw is the costliest thing this process does
        besides audio, and it competes with the audio thread for the GIL."""
        shown: object = None
        while True:
            await asyncio.sleep(0.1)
            now = (view.status(), show_grid[0], _grid_state(view) if show_grid[0] else None)
            if now != shown and prompt.app.is_running:
                shown = now
                prompt.app.invalidate()

    history_store = (FileHistory(str(ctx.home / "history")) if history else InMemoryHistory())
    if history:
        ctx.home.mkdir(parents=True, exist_ok=True)
    prompt: PromptSession[str] = PromptSession(
        history=history_store, completer=SlashCompleter(view, list(ctx.genre_ids)),
        bottom_toolbar=toolbar,
        key_bindings=bindings, style=STYLE, input=input, output=output,
        complete_while_typing=True,
    )
    ctx.on_message(lambda message: print(message, flush=True))
    redraw = asyncio.create_task(redraw_on_change())
    try:
        await _read_eval_print(ctx, prompt)
    finally:
        redraw.cancel()


def _grid_state(view: SessionView) -> tuple[tuple[object, ...], ...]:
    session = view.session
    return tuple(tuple(view.slot_view(layer.name, i) for i in range(len(session.scenes)))
                 for layer in session.layers)


async def _read_eval_print(ctx: SurfaceContext, prompt: PromptSession[str]) -> None:
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
            reply = ctx.control.run_line(line, "REPL")
            print(("error: " if reply.error else "") + reply.text, flush=True)
            if reply.quit:
                return
