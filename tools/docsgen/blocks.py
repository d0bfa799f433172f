"""Every generated block, by the name its markers use."""

from __future__ import annotations

__all__ = ["BLOCKS"]

from collections.abc import Callable

from tools.docsgen.cli_ref import cli_reference
from tools.docsgen.genres_ref import genre_summary, genre_tables, listening_set
from tools.docsgen.layers import layer_diagram
from tools.docsgen.tables import osc_table, param_table, slash_table, vocabulary_tables

BLOCKS: dict[str, Callable[[], str]] = {
    "slash-commands": slash_table,
    "osc-addresses": osc_table,
    "parameters": param_table,
    "cli": cli_reference,
    "vocabulary": vocabulary_tables,
    "layers": layer_diagram,
    "genres": genre_tables,
    "genre-summary": genre_summary,
    "listening-set": listening_set,
}
