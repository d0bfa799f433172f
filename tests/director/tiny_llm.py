"""A tiny random-weight causal LM and its tokenizer, built in code at test time (no
weights are committed), and a small OpenAI-compatible chat server that runs it with the
same constrained decoding as `llm:PATH`, with hostile modes (slow, malformed, 429, 500)."""

from __future__ import annotations

import json
import random
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from livetimbre.director.llm_answer import GM_PROGRAMS, LLMAnswer
from livetimbre.director.llm_local import LocalModel

EOS = "<|endoftext|>"


def _sample_answers(genre_ids: list[str], count: int) -> list[str]:
    """Valid-looking answers, so the tokenizer learns the answer's pieces."""
    rng = random.Random(0)
    schema = LLMAnswer.model_json_schema()["properties"]
    out = []
    for _n in range(count):
        out.append(json.dumps({
            "genre": rng.choice(genre_ids), "tempo": rng.randint(40, 240),
            "tonic": rng.choice(schema["tonic"]["enum"]),
            "mode": rng.choice(schema["mode"]["enum"]),
            "meter": rng.choice(schema["meter"]["enum"]),
            "mood": rng.sample(schema["mood"]["items"]["enum"], 2),
            "energy": rng.randint(0, 100), "instruments": rng.sample(GM_PROGRAMS, 2),
            "brief": "A sad jazz piece with a slow piano and soft drums."}))
    return out


def build_tiny_model(folder: Path, genre_ids: list[str]) -> Path:
    """A byte-level BPE tokenizer (600 tokens) and a 2-layer GPT-2 (about 135k random
    weights) saved in `folder`."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=600, special_tokens=[EOS], show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tokenizer.train_from_iterator(_sample_answers(genre_ids, 300), trainer)
    wrapped = PreTrainedTokenizerFast(tokenizer_object=tokenizer, eos_token=EOS)
    torch.manual_seed(0)
    eos = wrapped.convert_tokens_to_ids(EOS)
    model = GPT2LMHeadModel(GPT2Config(
        vocab_size=len(wrapped), n_positions=1024, n_embd=48, n_layer=2, n_head=2,
        bos_token_id=eos, eos_token_id=eos))
    folder.mkdir(parents=True, exist_ok=True)
    wrapped.save_pretrained(folder)
    model.save_pretrained(folder)
    return folder


class ChatServer:
    """POST /v1/chat/completions on 127.0.0.1 (an ephemeral port), answered by a
    LocalModel. `mode`: ok, slow (waits `delay` s first), malformed, 429 (Retry-After:
    `retry_after`), 500, 401 (echoing the credentials), or 429-once (one 429 with
    Retry-After: 0, then ok)."""

    def __init__(self, model: LocalModel) -> None:
        self.model = model
        self.mode = "ok"
        self.delay = 2.0
        self.retry_after = "120"
        self.requests: list[dict[str, Any]] = []
        self.answers: list[str] = []
        self.authorization: list[str | None] = []
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = False  # server_close waits for the handlers
        self.stopped = False
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def stop(self) -> None:
        if not self.stopped:
            self.stopped = True
            self.httpd.shutdown()
            self.httpd.server_close()

    def _reply(self, body: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        with self._lock:
            self.requests.append(body)
            mode = self.mode
            if mode == "429-once":
                self.mode = "ok"
        if mode in ("429", "429-once"):
            wait = "0" if mode == "429-once" else self.retry_after
            return 429, {"Retry-After": wait}, b'{"error": "slow down"}'
        if mode == "500":
            return 500, {}, b'{"error": "boom"}'
        if mode == "401":  # a hostile server that echoes the credentials it was sent
            echo = json.dumps({"error": f"bad key: {body.get('_authorization')}"})
            return 401, {}, echo.encode()
        if mode == "slow":  # the client has given up when this answers
            time.sleep(self.delay)
            content = "{}"
        elif mode == "malformed":
            content = '{"genre": "jazz", "tempo": '
        else:
            schema = body["response_format"]["json_schema"]["schema"]
            content = self.model.answer(body["messages"], schema, seed=int(body["seed"]),
                                        max_new_tokens=int(body["max_tokens"]),
                                        temperature=float(body.get("temperature", 1.0)))
            with self._lock:
                self.answers.append(content)
        completion = {"id": "chatcmpl-test", "object": "chat.completion",
                      "model": body.get("model"), "choices": [{
                          "index": 0, "finish_reason": "stop",
                          "message": {"role": "assistant", "content": content}}]}
        return 200, {"Content-Type": "application/json"}, json.dumps(completion).encode()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                if self.path != "/v1/chat/completions":
                    self.send_error(404)
                    return
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length))
                with server._lock:
                    server.authorization.append(self.headers.get("Authorization"))
                body["_authorization"] = self.headers.get("Authorization")
                try:
                    status, headers, data = server._reply(body)
                except Exception:
                    status, headers, data = 500, {}, b"{}"
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (the slow mode)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
