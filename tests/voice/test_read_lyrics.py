"""The user's own words are hostile input: long, foreign, empty, binary or huge text
is sung clearly or refused with a message naming where and the line, never echoed, never
a traceback."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from livetimbre.errors import ValueProblem
from livetimbre.voice.lyrics_read import MAX_CHARS, read_lyrics

pytestmark = pytest.mark.timeout(60)

SECRET = "zqxsecretword"


def _refused(text: str) -> str:
    with pytest.raises(ValueProblem) as caught:
        read_lyrics(text, "song.txt")
    message = str(caught.value)
    assert message.startswith("song.txt") and len(message) < 240
    return message


def test_two_hundred_lines_are_read() -> None:
    numbers = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    text = "\n".join(f"we walk the line number {w} tonight" for w in numbers * 20)
    lyric = read_lyrics(text, "song.txt")
    assert sum(len(s.lines) for s in lyric.sections) == 200


def test_headers_and_stanzas() -> None:
    lyric = read_lyrics("[Verse 1]\nwe go\n\n[Chorus]\nla la\n[bridge]\nand then\n", "s")
    assert [(s.name, s.lines) for s in lyric.sections] == [
        ("verse", ["we go"]), ("chorus", ["la la"]), ("bridge", ["and then"])]
    lyric = read_lyrics("one day\n\nla la la\n\nanother day\n\nla la la\n", "s")
    assert [s.name for s in lyric.sections] == ["verse", "chorus", "verse", "chorus"]


def test_accents_are_sung_plain_and_empty_lines_break_stanzas() -> None:
    lyric = read_lyrics("\ufeffCafé crème, naïve señor\n\n\n   \nrésumé\n", "s")
    assert [s.lines for s in lyric.sections] == [["Café crème, naïve señor"], ["résumé"]]


@pytest.mark.parametrize(("text", "line", "says"), [
    (f"fine words\n{SECRET} любовь и\n", 2, "'любовь' is not written in English letters"),
    (f"fine\nwords\n{SECRET}\x07\n", 3, "control character (U+0007)"),
    (f"{SECRET}\x00{SECRET}", 1, "control character (U+0000)"),
    (f"ok\n[{SECRET}]\n", 2, "unknown section header"),
    (f"I have {SECRET} 24 cats\n", 1, "'24' has digits"),
    ("la " * 40, 1, "40 syllables"),
])
def test_refused_naming_the_line(text: str, line: int, says: str) -> None:
    message = _refused(text)
    assert f"line {line}" in message and says in message
    assert SECRET not in message


def test_nothing_to_sing() -> None:
    assert "no words" in _refused("")
    assert "no words" in _refused("\n\n  \n...\n[chorus]\n")


def test_a_word_too_long_to_quote_is_shortened() -> None:
    message = _refused("Ж" * 5000)
    assert message.count("Ж") < 30


def test_ten_megabytes_under_a_memory_limit() -> None:
    code = textwrap.dedent(f"""
        from livetimbre.errors import ValueProblem
        from livetimbre.voice.lyrics_read import read_lyrics
        text = "we sing {SECRET} " * (10 * 2**20 // 20)
        try:
            read_lyrics(text, "big.txt")
        except ValueProblem as exc:
            print(exc)
    """)
    done = subprocess.run(["prlimit", "--as=4000000000", "timeout", "50", sys.executable, "-c",
                           code], capture_output=True, text=True, timeout=55, check=False)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.startswith("big.txt:") and f"at most {MAX_CHARS:,}" in done.stdout
    assert SECRET not in done.stdout and not done.stderr


def test_a_long_wild_file_never_raises_anything_else() -> None:
    import random

    rng = random.Random(5)
    alphabet = "abc dé\n\n[]ß'’-—…\t\r,.!?Ωж漢😀\u200b\ufeff0"
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400)))
        try:
            read_lyrics(text, "fuzz.txt")
        except ValueProblem as exc:
            assert str(exc).startswith("fuzz.txt")
