"""A local causal LM (`llm:PATH`, a transformers model folder) that answers with
grammar-constrained decoding: xgrammar compiles the answer's JSON schema and masks every
token that would leave it, so a finished answer is schema-valid by construction.

Needs the `llm` extra (torch, transformers, xgrammar); nothing is imported before the
first load, and nothing is downloaded (local files only). One answer at a time per model.
"""

from __future__ import annotations

__all__ = ["LocalModel", "local_model", "local_problem"]

import inspect
import json
import threading
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from livetimbre.director.llm_http import LLMFailure

_MODELS: dict[Path, LocalModel] = {}
_LOCK = threading.Lock()


def local_problem() -> str | None:
    """Why a local model cannot run here (None: it can)."""
    missing = [m for m in ("torch", "transformers", "xgrammar") if find_spec(m) is None]
    if missing:
        return f"{', '.join(missing)} not installed (pip install 'livetimbre[llm]')"
    return None


def local_model(folder: Path) -> LocalModel:
    """The model in `folder`, loaded once."""
    folder = folder.resolve()
    with _LOCK:
        if folder not in _MODELS:
            _MODELS[folder] = LocalModel(folder)
        return _MODELS[folder]


class LocalModel:
    """A tokenizer and causal LM from a folder, and the grammars compiled for it."""

    def __init__(self, folder: Path) -> None:
        import torch
        import xgrammar
        from transformers import AutoModelForCausalLM, AutoTokenizer

        try:
            self.tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
            self.model = AutoModelForCausalLM.from_pretrained(folder, local_files_only=True)
        except (OSError, ValueError, KeyError) as exc:
            raise LLMFailure(f"no causal language model could be loaded from the folder "
                             f"'{folder.name}' ({type(exc).__name__})") from None
        self.model.train(False)
        self.torch, self.xgr = torch, xgrammar
        self.vocab = int(self.model.config.vocab_size)
        stops = self.tokenizer.eos_token_id
        info = xgrammar.TokenizerInfo.from_huggingface(
            self.tokenizer, vocab_size=self.vocab,
            stop_token_ids=[stops] if isinstance(stops, int) else stops)
        self.compiler = xgrammar.GrammarCompiler(info)
        self.positions = int(getattr(self.model.config, "max_position_embeddings", 0) or
                             getattr(self.model.config, "n_positions", 0) or 4096)
        # transformers 5 renamed the KV cache argument from past_key_values to cache
        params = inspect.signature(self.model.forward).parameters
        self._cache_arg = "cache" if "cache" in params else "past_key_values"
        self._grammars: dict[str, Any] = {}
        self._lock = threading.Lock()

    def _grammar(self, schema: dict[str, Any]) -> Any:
        key = json.dumps(schema, sort_keys=True)
        if key not in self._grammars:  # compiled in the schema's own property order
            self._grammars[key] = self.compiler.compile_json_schema(
                json.dumps(schema), any_whitespace=False, strict_mode=True)
        return self._grammars[key]

    def _prompt_ids(self, messages: list[dict[str, str]], room: int) -> Any:
        if getattr(self.tokenizer, "chat_template", None):
            text = self.tokenizer.apply_chat_template(messages, add_generation_prompt=True,
                                                      tokenize=False)
        else:
            text = "".join(f"{m['role']}: {m['content']}\n\n" for m in messages) + "assistant: "
        ids = self.tokenizer(text, add_special_tokens=False)["input_ids"][-room:]
        return self.torch.tensor([ids or [self.tokenizer.eos_token_id]], dtype=self.torch.long)

    def answer(self, messages: list[dict[str, str]], schema: dict[str, Any], *, seed: int,
               max_new_tokens: int, temperature: float = 0.4) -> str:
        """The answer's text; an LLMFailure when it is cut off at `max_new_tokens`."""
        torch, xgr = self.torch, self.xgr
        with self._lock, torch.no_grad():
            matcher = xgr.GrammarMatcher(self._grammar(schema))
            bitmask = xgr.allocate_token_bitmask(1, self.vocab)
            generator = torch.Generator().manual_seed(seed)
            ids = self._prompt_ids(messages, max(1, self.positions - max_new_tokens))
            past, out = None, list[int]()
            for _step in range(max_new_tokens):
                result = self.model(input_ids=ids, use_cache=True, **{self._cache_arg: past})
                past, logits = result[self._cache_arg], result.logits[:, -1, :].float()
                matcher.fill_next_token_bitmask(bitmask)
                xgr.apply_token_bitmask_inplace(logits, bitmask)
                if temperature > 0:
                    probs = torch.softmax(logits / temperature, dim=-1)
                    token = int(torch.multinomial(probs, 1, generator=generator)[0, 0])
                else:
                    token = int(logits.argmax(dim=-1)[0])
                if not matcher.accept_token(token):
                    raise LLMFailure("the local model left its grammar")
                if matcher.is_terminated():
                    return str(self.tokenizer.decode(out, skip_special_tokens=True))
                out.append(token)
                ids = torch.tensor([[token]], dtype=torch.long)
        raise LLMFailure(f"the local model's answer was cut off at {max_new_tokens} tokens")
