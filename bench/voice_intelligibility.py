"""Intelligibility of the singer: prints figures, asserts nothing.

    python bench/voice_intelligibility.py [--voice tenor|all] [--tempo 96] [--beats 1]

Sings lines of common one-syllable words, one a beat (or --beats), their phonemes
from the CMU dictionary that ships with pocketsphinx, on a stepwise tune. pocketsphinx
(its bundled US English acoustic model) then recognises each sung line with a JSGF
grammar that allows any sequence of the lyric's words. Prints, per voice type, the
fraction of sung words recognised (words of the lyric found in order in the recognised
line: longest common subsequence), and how fast the singing was against real time.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np
from pocketsphinx import Decoder, get_model_path

from livetimbre.voice.score import VOICE_RANGES, VOICE_TYPES, SungNote, VocalLine
from livetimbre.voice.singing import sing

LINES = (
    "the sun will rise on a new day",
    "hold my hand and walk with me",
    "i can feel the cold wind blow",
    "we are young and we are free",
    "come back home to me my love",
    "the night is long but you are here",
    "take my heart and let it go",
    "sing a song of light and fire",
    "all the stars are in your eyes",
    "run to the sea and find the way",
)
# A tune in scale degrees (major scale), one word a degree, a breath after each line.
TUNE = (0, 2, 4, 4, 5, 4, 2, 1, 0)
MAJOR = (0, 2, 4, 5, 7, 9, 11, 12, 14)
RATE = 16000


def _dictionary(model: Path) -> dict[str, tuple[str, ...]]:
    words: dict[str, tuple[str, ...]] = {}
    for row in (model / "cmudict-en-us.dict").read_text(encoding="utf-8").splitlines():
        word, *phones = row.split()
        words.setdefault(word, tuple(phones))
    return words


def _line(text: str, voice: str, words: dict[str, tuple[str, ...]], beats: float
          ) -> VocalLine:
    low, high = VOICE_RANGES[voice]  # type: ignore[index]
    tonic = low + (high - low) // 3
    notes = []
    tokens = text.split()
    for i, word in enumerate(tokens):
        phones = tuple(p if p[-1].isdigit() or p not in _VOWELS else p + "1"
                       for p in words[word])
        notes.append(SungNote(start=beats * i, duration=0.95 * beats,
                              pitch=tonic + MAJOR[TUNE[i % 9]],
                              velocity=96, syllable=word, word=word, syllable_index=0,
                              phonemes=phones, stressed=True,
                              breath_after=i + 1 == len(tokens)))
    return VocalLine(voice, beats * len(tokens) + 1.0, tuple(notes), ())  # type: ignore[arg-type]


_VOWELS = {"AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY",
           "UH", "UW"}


def _matched(said: list[str], heard: list[str]) -> int:
    """Longest common subsequence of two word lists."""
    table = np.zeros((len(said) + 1, len(heard) + 1), int)
    for i, a in enumerate(said):
        for j, b in enumerate(heard):
            table[i + 1, j + 1] = (table[i, j] + 1 if a == b
                                   else max(table[i, j + 1], table[i + 1, j]))
    return int(table[-1, -1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voice", default="tenor", choices=(*VOICE_TYPES, "all"))
    parser.add_argument("--tempo", type=float, default=96.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--beats", type=float, default=1.0, help="beats a word")
    parser.add_argument("--show", action="store_true", help="print what was heard")
    args = parser.parse_args()
    model = Path(get_model_path()) / "en-us"
    words = _dictionary(model)
    rows = (model / "cmudict-en-us.dict").read_text(encoding="utf-8").splitlines()
    vocabulary = sorted({w for line in LINES for w in line.split()})
    grammar = ("#JSGF V1.0;\ngrammar lyric;\npublic <line> = ( "
               + " | ".join(vocabulary) + " )* ;\n")
    with tempfile.TemporaryDirectory() as folder:
        # a dictionary of the lyric's words only (and their alternative pronunciations)
        small = Path(folder) / "lyric.dict"
        small.write_text("".join(row + "\n" for row in rows
                                 if row.split(" ", 1)[0].split("(")[0] in vocabulary),
                         encoding="utf-8")
        decoder = Decoder(hmm=str(model / "en-us"), dict=str(small), jsgf=None, lm=None,
                          samprate=RATE, logfn=os.devnull)
    decoder.add_jsgf_string("lyric", grammar)
    decoder.activate_search("lyric")
    voices = VOICE_TYPES if args.voice == "all" else (args.voice,)
    for voice in voices:
        sung = heard_total = 0
        took = seconds = 0.0
        for text in LINES:
            line = _line(text, voice, words, args.beats)
            started = time.perf_counter()
            audio = sing(line, tempo=args.tempo, sample_rate=RATE, seed=args.seed)
            took += time.perf_counter() - started
            seconds += audio.size / RATE
            pcm = (np.clip(audio / (np.abs(audio).max() + 1e-9) * 0.7, -1, 1) * 32767)
            decoder.start_utt()
            decoder.process_raw(pcm.astype("<i2").tobytes(), full_utt=True)
            decoder.end_utt()
            hyp = decoder.hyp()
            heard = hyp.hypstr.split() if hyp is not None else []
            sung += len(text.split())
            heard_total += _matched(text.split(), heard)
            if args.show:
                print(f"  {voice:>8}: sung  {text!r}\n  {'':>8}  heard {' '.join(heard)!r}")
        print(f"{voice:>8}: {heard_total}/{sung} words recognised = {heard_total / sung:.2f}"
              f" | sang {seconds:.1f} s of audio in {took:.2f} s ({seconds / took:.1f}x real time)")


if __name__ == "__main__":
    main()
