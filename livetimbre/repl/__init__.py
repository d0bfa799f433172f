"""The REPL: slash commands, completion, the Session View grid and the toolbar."""
