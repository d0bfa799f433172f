"""The Tidal/Strudel mini-notation: `"bd*2 [~ sd] <hh oh>"` → events in exact cycles.

`parse(text)` gives a `Pattern` (cached); `events(text, start, cycles, seed)` the events
that begin in those cycles. Errors are `PatternError`s with the column and a caret.
"""

from __future__ import annotations

from livetimbre.errors import PatternError
from livetimbre.patterns.core import Pattern
from livetimbre.patterns.query import Event, events, parse

__all__ = ["Event", "Pattern", "PatternError", "events", "parse"]
