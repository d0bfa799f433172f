"""`sing`: a `VocalLine` to a mono float32 voice, offline, with espeak-ng for the
phonemes and the WORLD vocoder for the singing.

Each syllable is spoken once by espeak-ng (cached per call), analysed by WORLD and
cut into onset, vowel and coda (`syllable`); the parts are laid on one 5 ms frame grid
(`placing`): the vowel stretched over the note, consonants at their natural speed
before and after it; the F0 is replaced by the written pitch with portamento, vibrato
and jitter (`contour`); breaths go into the gaps after notes marked `breath_after`;
one WORLD synthesis renders the whole line, which is then resampled.
"""

from __future__ import annotations

__all__ = ["TAIL_SECONDS", "sing", "sung_frames"]

import math
from math import gcd

import numpy as np
from scipy.signal import resample_poly

from livetimbre.errors import ValueProblem
from livetimbre.voice.score import SungNote, VocalLine
from livetimbre.voice.singing.contour import PitchSpan, pitch_curve
from livetimbre.voice.singing.espeak import ESPEAK_RATE, speak
from livetimbre.voice.singing.phonemes import espeak_input
from livetimbre.voice.singing.placing import Placed, group_notes, place
from livetimbre.voice.singing.status import load_pyworld
from livetimbre.voice.singing.syllable import FRAME_S, Syllable, analyse
from livetimbre.voice.singing.voices import VOICE_STYLES

TAIL_SECONDS = 0.5
_SILENT = 1e-16
_VOWEL_POWER = 4.0  # a velocity-100 vowel's spectral power: peaks near -8 dBFS
_BREATH_DB = -26.0
_LONGEST_BREATH_S = 0.35
_FADE_S = 0.03
_STRESS = {True: 1.12, False: 0.92}


def sung_frames(beats: float, tempo: float, sample_rate: int) -> int:
    """The exact length of `sing`'s output: the line's beats at `tempo`, plus
    `TAIL_SECONDS` for the last release or breath."""
    return round(beats * 60.0 / tempo * sample_rate) + round(TAIL_SECONDS * sample_rate)


def _warped(syllable: Syllable, scale: float) -> Syllable:
    """The spectral envelope stretched along frequency by `scale` (formants move)."""
    bins = syllable.sp.shape[1]
    src = np.clip(np.arange(bins) / scale, 0, bins - 1.001)
    lo = src.astype(int)
    w = src - lo
    sp = syllable.sp[:, lo] * (1 - w) + syllable.sp[:, lo + 1] * w
    return Syllable(syllable.f0, sp, syllable.ap, syllable.vowel_start, syllable.vowel_end)


def _indices(n_src: int, n_out: int, edge: int) -> np.ndarray:
    """Fractional source frames for `n_out` output frames: the first and last `edge`
    source frames at natural speed (the formant transitions), the middle stretched;
    all of it evenly when the output is shorter than the source."""
    if n_out <= 0 or n_src <= 0:
        return np.zeros(0)
    if n_src == 1:
        return np.zeros(n_out)
    edge = min(edge, n_src // 3, n_out // 3)
    if n_out <= n_src or edge == 0:
        return np.linspace(0, n_src - 1, n_out)
    mid = np.linspace(edge, n_src - 1 - edge, n_out - 2 * edge)
    return np.concatenate([np.arange(edge), mid, np.arange(n_src - edge, n_src)])


class _Grid:
    """The line's WORLD parameters on one frame grid, filled syllable by syllable."""

    def __init__(self, frames: int, bins: int) -> None:
        self.voiced = np.zeros(frames, bool)
        self.sp = np.full((frames, bins), _SILENT)
        self.ap = np.ones((frames, bins))

    def lay(self, syl: Syllable, part: slice, at: float, until: float, gain: float,
            edge: int = 0) -> None:
        a, b = round(at / FRAME_S), min(round(until / FRAME_S), len(self.voiced))
        idx = _indices(part.stop - part.start, b - a, edge) + part.start
        if idx.size == 0:
            return
        lo = np.minimum(idx.astype(int), len(syl.f0) - 1)
        hi = np.minimum(lo + 1, len(syl.f0) - 1)
        w = (idx - lo)[:, None]
        log_sp = np.log(syl.sp[lo] + _SILENT) * (1 - w) + np.log(syl.sp[hi] + _SILENT) * w
        self.sp[a:b] = np.exp(log_sp) * gain
        self.ap[a:b] = syl.ap[lo] * (1 - w) + syl.ap[hi] * w
        self.voiced[a:b] = syl.f0[np.rint(idx).astype(int)] > 0

    def fade(self, at: float, until: float, rising: bool) -> None:
        a, b = round(at / FRAME_S), min(round(until / FRAME_S), len(self.voiced))
        if b > a:
            ramp = np.linspace(0.02, 1.0, b - a) ** 2
            self.sp[a:b] *= (ramp if rising else ramp[::-1])[:, None]

    def breathe(self, syl: Syllable, at: float, until: float) -> None:
        """An unvoiced, vowel-coloured rush of air with a smooth swell."""
        a, b = round(at / FRAME_S), min(round(until / FRAME_S), len(self.voiced))
        if b <= a:
            return
        shape = np.sin(np.linspace(0, math.pi, b - a)) ** 2
        colour = syl.sp[syl.vowel_start:syl.vowel_end].mean(axis=0) / syl.vowel_power
        level = _VOWEL_POWER * 10 ** (_BREATH_DB / 10)
        self.sp[a:b] = np.maximum(self.sp[a:b], shape[:, None] * colour * level)
        self.ap[a:b] = 1.0
        self.voiced[a:b] = False


def _gain(syl: Syllable, note: SungNote) -> float:
    amplitude = (max(1, note.velocity) / 100) ** 1.2 * _STRESS[note.stressed]
    return float(_VOWEL_POWER / max(syl.vowel_power, 1e-12) * amplitude**2)


def _lay_syllable(grid: _Grid, syl: Syllable, p: Placed, after: float | None) -> None:
    gain = _gain(syl, p.notes[0])
    edge = round(0.04 / FRAME_S)
    grid.lay(syl, slice(0, syl.vowel_start), p.onset, p.vowel, gain)
    grid.lay(syl, slice(syl.vowel_start, syl.vowel_end), p.vowel, p.coda, gain, edge)
    grid.lay(syl, slice(syl.vowel_end, len(syl.f0)), p.coda, p.end, gain)
    if syl.vowel_start == 0 and not p.legato:
        grid.fade(p.vowel, p.vowel + _FADE_S, rising=True)
    if syl.coda_frames == 0 and (after is None or after - p.end > 0.02):
        grid.fade(max(p.vowel, p.end - _FADE_S), p.end, rising=False)


def _spans(placed: list[Placed], spb: float) -> list[PitchSpan]:
    """The pitch of every frame that sounds: a legato syllable's onset consonants
    keep the pitch before them; a syllable after a rest starts on its own pitch."""
    spans: list[PitchSpan] = []
    for i, p in enumerate(placed):
        nxt = placed[i + 1] if i + 1 < len(placed) else None
        starts = [n.start * spb for n in p.notes]
        for k, note in enumerate(p.notes):
            onset = round(starts[k] / FRAME_S) if k else round(p.vowel / FRAME_S)
            begin = round(p.onset / FRAME_S) if k == 0 and not p.legato else onset
            last = k + 1 == len(p.notes)
            end = (round(nxt.vowel / FRAME_S) if last and nxt is not None and nxt.legato
                   else round((p.end if last else p.note_ends[k]) / FRAME_S))
            spans.append(PitchSpan(begin, end, onset, note.pitch, k > 0 or p.legato))
    return spans


def _fit(audio: np.ndarray, frames: int) -> np.ndarray:
    out = np.zeros(frames, np.float32)
    n = min(frames, audio.size)
    out[:n] = audio[:n]
    return out


def sing(line: VocalLine, *, tempo: float, sample_rate: int, seed: int) -> np.ndarray:
    """The line sung: mono float32 at `sample_rate`, `sung_frames(line.beats, tempo,
    sample_rate)` long (the line, then `TAIL_SECONDS`), deterministic for `seed`.
    Notes starting outside [0, line.beats) are not sung; a note is cut at the next
    note's start and at the line's end."""
    pyworld = load_pyworld()  # the optional voice extra, loaded when singing

    if not (math.isfinite(tempo) and 20 <= tempo <= 400):
        raise ValueProblem(f"tempo {tempo} BPM is outside 20–400 (sing)")
    if not 8000 <= sample_rate <= 192000:
        raise ValueProblem(f"sample rate {sample_rate} Hz is outside 8000–192000 (sing)")
    if not (math.isfinite(line.beats) and 0 <= line.beats <= 100_000):
        raise ValueProblem(f"vocal line length {line.beats} beats is outside 0–100000")
    style = VOICE_STYLES[line.voice]
    spb = 60.0 / tempo
    total = sung_frames(line.beats, tempo, sample_rate)
    groups = group_notes(line.notes, line.beats)
    if not groups:
        return np.zeros(total, np.float32)
    cache: dict[str, Syllable] = {}
    syllables = []
    for group in groups:
        text = espeak_input(group[0])
        if text not in cache:
            cache[text] = _warped(analyse(speak(text, style.espeak_voice), ESPEAK_RATE),
                                  style.formant_scale)
        syllables.append(cache[text])
    placed = place(groups, [s.onset_frames * FRAME_S for s in syllables],
                   [s.coda_frames * FRAME_S for s in syllables], line.beats, spb)
    frames = math.ceil((line.beats * spb + TAIL_SECONDS) / FRAME_S) + 1
    grid = _Grid(frames, syllables[0].sp.shape[1])
    for i, (syl, p) in enumerate(zip(syllables, placed, strict=True)):
        after = placed[i + 1].onset if i + 1 < len(placed) else None
        _lay_syllable(grid, syl, p, after)
        if any(n.breath_after for n in p.notes):
            until = (after if after is not None else frames * FRAME_S) - 0.02
            length = min(_LONGEST_BREATH_S, until - p.end - 0.02)
            if length >= 0.1:
                grid.breathe(syl, until - length, until)
    rng = np.random.default_rng(seed)
    curve = pitch_curve(_spans(placed, spb), frames, style.vibrato_cents, rng)
    f0 = np.where(grid.voiced & ~np.isnan(curve), 440.0 * 2 ** ((np.nan_to_num(curve) - 69) / 12),
                  0.0)
    voice = pyworld.synthesize(f0, grid.sp, grid.ap, ESPEAK_RATE, FRAME_S * 1000)
    common = gcd(sample_rate, ESPEAK_RATE)
    if sample_rate != ESPEAK_RATE:
        voice = resample_poly(voice, sample_rate // common, ESPEAK_RATE // common)
    out = _fit(np.asarray(voice, np.float32), total)
    peak = float(np.abs(out).max())
    return out if peak <= 0.99 else (out * np.float32(0.99 / peak)).astype(np.float32)
