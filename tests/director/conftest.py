"""The tiny LLM and its chat server, for the LLM provider's tests (torch, transformers and
xgrammar needed: the tests that use them are skipped without)."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest

from livetimbre.genres import GenreRegistry

HAS_LLM_EXTRA = all(importlib.util.find_spec(m) is not None
                    for m in ("torch", "transformers", "xgrammar", "tokenizers"))
needs_llm_extra = pytest.mark.skipif(not HAS_LLM_EXTRA,
                                     reason="the llm extra (torch, transformers, xgrammar)")


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory, genres: GenreRegistry) -> Path:
    from tests.director.tiny_llm import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("llm") / "tiny", [g.id for g in genres])


@pytest.fixture
def one_thread() -> Iterator[None]:
    """Torch on one thread: a tiny model runs several times faster on a busy machine."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture
def chat_server(tiny_model_dir: Path, one_thread: None, monkeypatch: pytest.MonkeyPatch
                ) -> Iterator[object]:
    """The tiny model behind an OpenAI-compatible server, and the environment naming it."""
    from livetimbre.director.llm_local import local_model
    from tests.director.tiny_llm import ChatServer

    server = ChatServer(local_model(tiny_model_dir))
    monkeypatch.setenv("LIVETIMBRE_LLM_URL", server.url)
    monkeypatch.setenv("LIVETIMBRE_LLM_MODEL", "tiny")
    monkeypatch.delenv("LIVETIMBRE_LLM_API_KEY", raising=False)
    monkeypatch.delenv("LIVETIMBRE_LLM_TIMEOUT", raising=False)
    yield server
    server.stop()
