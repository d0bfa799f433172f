"""Director names: which provider reads prompts, from an option, the patch or the
environment (light: importing this loads no provider)."""

from __future__ import annotations

__all__ = ["DIRECTOR_ENV", "PROVIDERS", "check_director_name", "default_director",
           "resolve_director_name"]

import os

from livetimbre.errors import ConfigError

DIRECTOR_ENV = "LIVETIMBRE_DIRECTOR"
PROVIDERS = ("lexicon", "embedding", "llm")


def check_director_name(text: str, where: str = "--director") -> str:
    """'lexicon', 'embedding', 'llm' or 'llm:MODEL'; a ConfigError names the bad value."""
    name = text.strip()
    base, _, model = name.partition(":")
    if base not in PROVIDERS or (model and base != "llm") or (base == "llm" and ":" in name
                                                               and not model):
        raise ConfigError(f"Unknown director '{text[:60]}' ({where}): use lexicon, embedding, "
                          "llm or llm:MODEL.")
    return name


def default_director() -> str:
    """'embedding' when wordllama is installed, else 'lexicon' (never imports it)."""
    from importlib.util import find_spec

    return "embedding" if find_spec("wordllama") is not None else "lexicon"


def resolve_director_name(option: str | None = None, patch: str | None = None) -> str:
    """The director to use: the option, else the patch's, else $LIVETIMBRE_DIRECTOR, else
    the default."""
    for value, where in ((option, "--director"), (patch, "the patch's session.director"),
                         (os.environ.get(DIRECTOR_ENV) or None, f"${DIRECTOR_ENV}")):
        if value:
            return check_director_name(value, where)
    return default_director()
