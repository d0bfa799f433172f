"""`livetimbre plan`: the SongSpec and plan of one prompt, and batches from hostile files."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest

from livetimbre.cli import main
from livetimbre.cli.plan import BATCH_LIMIT

pytestmark = pytest.mark.timeout(120)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["plan", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_one_prompt_as_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _run(capsys, "slow sad bossa nova with ukulele, low quality",
                           "--director", "lexicon")
    assert code == 0
    assert '"slow" → tempo 88 (lexicon)' in out
    assert '"bossa nova" → genre bossa-nova (lexicon)' in out
    assert "ukulele: a nylon-string guitar" in out
    assert '"low quality" set aside: a recording quality word' in out
    assert "plan: long-form, " in out and "chorus" in out


def test_json_and_short(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _run(capsys, "happy house with piano", "--short", "--duration", "30",
                           "--json", "--director", "lexicon")
    document = json.loads(out)
    assert code == 0
    assert document["spec"]["genre"]["id"] == "house"
    assert document["plan"]["form"] == "short" and document["plan"]["genre"] == "house"
    assert document["plan"]["requested_seconds"] == 30
    assert document["plan"]["key"] == document["spec"]["key"]["key"]
    assert "spec" not in document["plan"]  # printed once, beside the plan


def test_batch_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    batch = tmp_path / "prompts.txt"
    batch.write_text("sad jazz piano\n\n" + "x" * 5000 + "\nfast techno\n", encoding="utf-8")
    code, out, _err = _run(capsys, "--batch", str(batch), "--director", "lexicon")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 1  # one line failed, the others were planned
    assert [line["line"] for line in lines] == [3, 1, 4]
    assert "limit" in lines[0]["error"] and "xxxx" not in lines[0]["error"]
    assert lines[1]["spec"]["genre"]["id"] == "jazz" and lines[2]["spec"]["tempo"]["bpm"] >= 120


def test_batch_from_standard_input(monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"calm ambient pads\n")))
    code, out, _err = _run(capsys, "--batch", "-", "--director", "lexicon")
    assert code == 0 and json.loads(out)["spec"]["genre"]["id"] == "ambient"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_hostile_batch_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(BATCH_LIMIT + 1)
    secret = tmp_path / "bad.bin"
    secret.write_bytes(b"\xff\xfeTOPSECRET")
    for path, reason in ((fifo, "FIFO"), (tmp_path, "folder"), (big, "limit"),
                         (secret, "not UTF-8"), (tmp_path / "missing", "not found")):
        code, out, err = _run(capsys, "--batch", str(path), "--director", "lexicon")
        assert code == 2 and out == "" and reason in err and "TOPSECRET" not in err


def test_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = _run(capsys, "--director", "lexicon")
    assert code == 2 and "PROMPT or --batch" in err
    code, _out, err = _run(capsys, "jazz", "--director", "gpt")
    assert code == 2 and "Unknown director 'gpt' (--director)" in err
    code, out, err = _run(capsys, "--batch", "-", "--short", "--duration", "200")
    assert code == 2 and out == "" and "Duration 200 s (--duration)" in err
