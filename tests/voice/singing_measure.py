"""Measuring a sung line from its audio: F0 against the written notes (pYIN), each
syllable's vowel onset, and the voiced stretches between consonants."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.signal import butter, sosfiltfilt

from livetimbre.voice.score import SungNote, VocalLine, VoiceType

# Words whose first sound is a consonant (so a vowel onset can be heard), in ARPAbet.
WORDS: dict[str, tuple[str, ...]] = {
    "take": ("T", "EY1", "K"), "time": ("T", "AY1", "M"), "to": ("T", "UW1"),
    "sing": ("S", "IH1", "NG"), "my": ("M", "AY1"), "love": ("L", "AH1", "V"),
    "come": ("K", "AH1", "M"), "back": ("B", "AE1", "K"), "home": ("HH", "OW1", "M"),
    "day": ("D", "EY1"), "light": ("L", "AY1", "T"), "no": ("N", "OW1"),
    "pass": ("P", "AE1", "S"), "keep": ("K", "IY1", "P"), "top": ("T", "AA1", "P"),
    "sit": ("S", "IH1", "T"), "fall": ("F", "AO1", "L"), "be": ("B", "IY1"),
}
MAJOR = (0, 2, 4, 5, 7, 9, 11, 12)
RISE_DB = 10.0
BAND_HZ = (300.0, 3000.0)
VOICED_ONSETS = {"my", "love", "light", "no", "be", "back", "day"}


def line_of(words: Sequence[str], pitches: Sequence[int], voice: VoiceType, *,
            beats: float = 1.0, gap: float = 0.0, melisma: Sequence[int] = (),
            breath_after: Sequence[int] = (), tail_beats: float = 1.0) -> VocalLine:
    """One note per pitch, each `beats` long with `gap` beats of rest after it; the
    notes whose index is in `melisma` continue the syllable before them."""
    notes: list[SungNote] = []
    at, word = 0.0, -1
    for i, pitch in enumerate(pitches):
        if i not in melisma:
            word += 1
        text = words[word % len(words)]
        notes.append(SungNote(start=at, duration=beats, pitch=pitch, velocity=96,
                              syllable=text, word=text, syllable_index=0,
                              phonemes=WORDS[text], stressed=i % 2 == 0,
                              melisma=i in melisma, breath_after=i in breath_after))
        at += beats + gap
    return VocalLine(voice, at + tail_beats, tuple(notes), ())


def hz(pitch: float) -> float:
    return float(440.0 * 2 ** ((pitch - 69) / 12))


def pitch_share(audio: np.ndarray, rate: int, line: VocalLine, tempo: float,
                margin_s: float = 0.04) -> tuple[float, int]:
    """(share of pYIN-voiced frames within ±50 cents of the written note, frames
    counted); frames within `margin_s` of a note's start or end are left out
    (portamento)."""
    import librosa

    spb = 60.0 / tempo
    low, high = min(n.pitch for n in line.notes), max(n.pitch for n in line.notes)
    hop = 256
    f0, voiced, _ = librosa.pyin(audio.astype(np.float64), fmin=hz(low - 4), fmax=hz(high + 4),
                                 sr=rate, frame_length=2048, hop_length=hop)
    times = np.arange(f0.size) * hop / rate
    good = total = 0
    for note in line.notes:
        inside = ((times >= note.start * spb + margin_s)
                  & (times < (note.start + note.duration) * spb - margin_s) & voiced)
        cents = 1200 * np.log2(f0[inside] / hz(note.pitch))
        good += int(np.sum(np.abs(cents) <= 50))
        total += int(inside.sum())
    return (good / total if total else 0.0), total


def vowel_envelope(audio: np.ndarray, rate: int, hop_s: float = 0.0025) -> np.ndarray:
    """Level (dB) of the 300 Hz–3 kHz band, where vowels are loud and consonants
    (stops, fricatives, nasals, laterals) are weak, in 10 ms windows every `hop_s`."""
    sos = butter(4, (BAND_HZ[0], BAND_HZ[1]), "bandpass", fs=rate, output="sos")
    band = sosfiltfilt(sos, audio.astype(np.float64))
    hop, win = round(hop_s * rate), round(0.01 * rate)
    frames = 1 + max(0, band.size - win) // hop
    power = np.array([np.mean(band[i * hop:i * hop + win] ** 2) for i in range(frames)])
    return np.asarray(10 * np.log10(power + 1e-12))


def vowel_onsets(audio: np.ndarray, rate: int, line: VocalLine, tempo: float
                 ) -> list[float]:
    """For each syllable, the time (s) its vowel starts: the quietest point of the band
    level in the 150 ms before the written onset (the consonant, or silence), then the
    first moment after it the level comes within `RISE_DB` of the syllable's steady level
    (its median over the middle of the note): where the vowel's formants take over
    from the consonant (voiceless consonants are over 20 dB below a vowel in this band,
    nasals and laterals 12–25 dB)."""
    hop_s = 0.0025
    env = vowel_envelope(audio, rate, hop_s)
    spb = 60.0 / tempo
    onsets = []
    for note in (n for n in line.notes if not n.melisma):
        start, end = note.start * spb, (note.start + note.duration) * spb
        steady = float(np.median(env[round((start + 0.1) / hop_s):round((end - 0.1) / hop_s)]))
        a, b = round(max(0.0, start - 0.15) / hop_s), round(start / hop_s)
        dip = a + int(np.argmin(env[a:b + 1]))
        rise = np.flatnonzero(env[dip:round((start + 0.15) / hop_s)] >= steady - RISE_DB)
        # a window's level is reported at its centre, 5 ms after it starts
        onsets.append((dip + int(rise[0])) * hop_s + 0.005 if rise.size else float("inf"))
    return onsets


def voiced_stretches(audio: np.ndarray, rate: int, shortest_s: float = 0.05) -> int:
    """How many stretches of loud vowel band (within 15 dB of the loudest) there are,
    at least `shortest_s` long: one per sung syllable when consonants part them."""
    hop_s = 0.0025
    env = vowel_envelope(audio, rate, hop_s)
    loud = np.concatenate([[False], env >= env.max() - 15.0, [False]])
    edges = np.flatnonzero(np.diff(loud.astype(int)))
    lengths = (edges[1::2] - edges[::2]) * hop_s
    return int(np.sum(lengths >= shortest_s))
