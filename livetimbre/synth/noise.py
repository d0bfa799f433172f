"""The noise-texture synthesizer: rain, vinyl, wind, risers and more, as seamless loops.

Every sound is built from parts that repeat exactly with the loop's period, so a loop
has no seam: noise beds are shaped in the frequency domain (a circular filter over the
whole loop), events (droplets, pops) whose tails pass the loop's end wrap onto its
start, slow movements (gusts, waves) complete whole cycles per loop, and time-varying
filters start from the state the loop's own end leaves them in. Each render is a pure
function of its arguments and seed.
"""

from __future__ import annotations

__all__ = ["NOISE_SYNTH_VERSION", "NoiseSpec", "render_noise"]

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import numpy as np
from scipy.signal import butter, lfilter, sosfilt

from livetimbre.errors import LivetimbreError
from livetimbre.music.textures import NOISE_KINDS, has_words

NOISE_SYNTH_VERSION = "1"
_BLOCK = 256  # frames per coefficient update of the time-varying filters
_VINYL_CREST_DB = 20.0  # pops rounded off above this, relative to the RMS
_LEVEL = 0.1  # raw output RMS (−20 dBFS); the mixer sets the layer's loudness later

Array = np.ndarray


@dataclass(frozen=True)
class NoiseSpec:
    """What to synthesize: the kind, how much of it, and the prompt words that colour it."""

    kind: str
    intensity: float = 0.5  # 0 faint … 1 a storm
    brightness: float = 0.0  # −1 dark … 1 bright
    words: tuple[str, ...] = field(default_factory=tuple)

    def has(self, *phrases: str) -> bool:
        return has_words(self.words, *phrases)


# --- building blocks -------------------------------------------------------------------

def _cyclic(process: Callable[[Array], Array], x: Array, context: int) -> Array:
    """`process` run over `x` looped: it first hears `context` frames of the loop's end,
    so it enters frame 0 in the state the end leaves it in (filters then loop exactly)."""
    n = x.shape[0]
    reps = -(-context // n)
    padded = np.concatenate([x] * (reps + 1), axis=0)
    return np.ascontiguousarray(process(padded)[reps * n:])


def _unit(x: Array) -> Array:
    rms = float(np.sqrt(np.mean(np.square(x))))
    return x / rms if rms > 0 else x


# Pink (−3 dB/octave) noise filter (P. Kellet's three-pole approximation).
_PINK_B = np.array([0.049922035, -0.095993537, 0.050612699, -0.004408786])
_PINK_A = np.array([1.0, -2.494956002, 2.017265875, -0.522189400])


def _shaped(rng: np.random.Generator, n: int, rate: int, low: float, high: float,
            order: int = 2, slope: float = 0.0, channels: int = 2) -> Array:
    """Periodic noise (period `n`), band-limited to `low`–`high` Hz (0: no limit) and
    tilted by `slope` (0 white, 1 pink, 2 brown), unit RMS per channel."""
    white = rng.standard_normal((n, channels))
    sections = []
    if low > 0:
        sections.append(butter(order, low, "highpass", fs=rate, output="sos"))
    if 0 < high < 0.45 * rate:
        sections.append(butter(order, high, "lowpass", fs=rate, output="sos"))

    def process(x: Array) -> Array:
        if slope > 0:
            pink = _unit(lfilter(_PINK_B, _PINK_A, x, axis=0))
            if slope <= 1:
                x = (1 - slope) * x + slope * pink
            else:
                brown = _unit(lfilter([1.0], [1.0, -0.995], x, axis=0))
                x = (2 - slope) * pink + (slope - 1) * brown
        for sos in sections:
            x = sosfilt(sos, x, axis=0)
        return x

    return _unit(_cyclic(process, white, rate))


def _lfo(rng: np.random.Generator, n: int, cycles: int, harmonics: int = 3) -> Array:
    """A smooth random periodic curve over `n` points in about [−1, 1]: whole cycles only."""
    t = np.arange(n) / n
    out = np.zeros(n)
    for h in range(1, harmonics + 1):
        out += np.sin(2 * np.pi * cycles * h * t + rng.uniform(0, 2 * np.pi)) / h
    peak = float(np.abs(out).max())
    return out / peak if peak > 0 else out


def _biquads(kind: str, freq: Array, q: Array | float, rate: int) -> tuple[Array, Array]:
    """RBJ biquad coefficients per block: (b, a), each of shape (blocks, 3)."""
    w = 2 * np.pi * np.clip(freq, 10.0, 0.45 * rate) / rate
    alpha = np.sin(w) / (2 * np.asarray(q, dtype=np.float64))
    cos = np.cos(w)
    if kind == "bandpass":  # constant 0 dB peak gain
        b = np.stack([alpha, np.zeros_like(w), -alpha], axis=1)
    else:  # lowpass
        b = np.stack([(1 - cos) / 2, 1 - cos, (1 - cos) / 2], axis=1)
    a = np.stack([1 + alpha, -2 * cos, 1 - alpha], axis=1)
    return b / a[:, :1], a / a[:, :1]


def _swept(x: Array, rate: int, kind: str, freq: Callable[[Array], Array], q: float) -> Array:
    """`x` (periodic) through a biquad whose frequency follows `freq(phase)` per block.

    The filter first runs over the loop's last half second, so it enters frame 0 in the
    state the loop's end leaves it in: the result is periodic like its input.
    """
    n = x.shape[0]
    starts = np.arange(0, n, _BLOCK)
    b, a = _biquads(kind, freq((starts + _BLOCK / 2) / n), q, rate)
    zi = np.zeros((2, x.shape[1]))
    warm = min(len(starts), -(-rate // 2) // _BLOCK + 1)
    out = np.empty_like(x)
    for step, i in enumerate([*range(len(starts) - warm, len(starts)), *range(len(starts))]):
        block = x[starts[i]:starts[i] + _BLOCK]
        y, zi = lfilter(b[i], a[i], block, axis=0, zi=zi)
        if step >= warm:
            out[starts[i]:starts[i] + _BLOCK] = y
    return out


def _place(n: int, at: Array, events: Array, gains: Array) -> Array:
    """Sum `events` (count, length) at frames `at` into a stereo loop, wrapping past `n`.

    `gains` (count, 2) pans each event."""
    out = np.zeros((n, 2))
    if len(at) == 0:
        return out
    index = (at[:, None] + np.arange(events.shape[1])[None, :]) % n
    for ch in range(2):
        out[:, ch] = np.bincount(index.ravel(), (events * gains[:, ch:ch + 1]).ravel(),
                                 minlength=n)
    return out


def _pans(rng: np.random.Generator, count: int, width: float) -> Array:
    angle = (0.5 + width * (rng.uniform(0, 1, count) - 0.5)) * np.pi / 2
    return np.stack([np.cos(angle), np.sin(angle)], axis=1) * math.sqrt(2)


def _cycles(n: int, rate: int, seconds: float) -> int:
    """Whole cycles per loop for a movement of about `seconds` per cycle."""
    return max(1, round(n / rate / seconds))


# --- the kinds -------------------------------------------------------------------------

def _rain(spec: NoiseSpec, n: int, rate: int, rng: np.random.Generator) -> Array:
    """A dense filtered noise bed and sparse droplets (short band-passed decaying chirps)."""
    i = spec.intensity
    top = 7000.0 * 2 ** (0.8 * spec.brightness + 0.6 * i)
    bed = _shaped(rng, n, rate, 250.0 - 150.0 * i, top, 1, slope=0.3)
    swell = 1.0 + 0.15 * _lfo(rng, n, _cycles(n, rate, 5.0))
    bed *= swell[:, None]
    seconds = n / rate
    count = int(rng.poisson((6.0 + 80.0 * i ** 1.5) * seconds))
    length = int(0.03 * rate)
    t = np.arange(length) / rate
    freq = 2000.0 * 2 ** rng.uniform(0, 1.9, count) * 2 ** (0.4 * spec.brightness)
    tau = rng.uniform(0.0015, 0.006, count)
    chirp = rng.uniform(0.1, 0.6, count)
    phase = 2 * np.pi * freq[:, None] * (t + chirp[:, None] * t**2 / (2 * t[-1]))
    env = np.exp(-t / tau[:, None]) * (1 - np.exp(-t / 0.0002))
    amp = np.exp(rng.normal(0.0, 0.5, count)) * 2.5
    drops = amp[:, None] * env * np.sin(phase)
    droplets = _place(n, rng.integers(0, n, count), drops, _pans(rng, count, 0.9))
    out = (0.12 + 0.3 * i) * bed + droplets
    if spec.has("thunder", "storm", "thunderstorm", "stormy"):
        rumble = _shaped(rng, n, rate, 25.0, 180.0, 2)
        env_t = np.zeros(n)
        for _ in range(_cycles(n, rate, 12.0)):
            start = int(rng.integers(0, n))
            u = np.arange(int(4.0 * rate)) / rate
            shape = (1 - np.exp(-u / 0.25)) * np.exp(-u / 1.2)
            idx = (start + np.arange(len(u))) % n
            np.add.at(env_t, idx, shape)
        out = out + 2.0 * rumble * env_t[:, None]
    return np.asarray(out, dtype=np.float64)


def _vinyl(spec: NoiseSpec, n: int, rate: int, rng: np.random.Generator) -> Array:
    """Crackle (sparse pops of random size), a quiet hiss and an optional low rumble."""
    i = spec.intensity
    seconds = n / rate
    count = int(rng.poisson((3.0 + 45.0 * i ** 1.5) * seconds))
    length = int(0.004 * rate)
    t = np.arange(length) / rate
    tau = rng.uniform(0.0002, 0.0015, count)
    grit = rng.standard_normal((count, length))
    grit[:, 1:] -= 0.85 * grit[:, :-1].copy()  # a first difference: clicks, not thumps
    amp = np.exp(rng.normal(0.0, 0.5, count)) * rng.choice((-1.0, 1.0), count)
    pops = amp[:, None] * np.exp(-t / tau[:, None]) * grit
    crackle = _place(n, rng.integers(0, n, count), pops, _pans(rng, count, 0.6))
    # A pop that comes round once per turn of the record (33 1/3 rpm: 1.8 s).
    turns = _cycles(n, rate, 1.8)
    if i > 0.3:
        at = (np.arange(turns) * n // turns + int(rng.integers(0, n // turns))) % n
        tick = 2.0 * np.exp(-t / 0.0006)[None, :] * rng.standard_normal((1, length))
        crackle += _place(n, at, np.repeat(tick, turns, axis=0), np.ones((turns, 2)))
    # Fine grit under the pops: many tiny clicks (the "frying" of a worn groove).
    fine = int(rng.poisson((150.0 + 600.0 * i) * seconds))
    at = rng.integers(0, n, fine)
    grit_gain = 0.12 * rng.standard_normal(fine)
    dust = np.zeros((n, 2))
    for ch in range(2):
        dust[:, ch] = np.bincount(at, grit_gain * rng.uniform(0.3, 1.0, fine), minlength=n)
    dust[1:] -= dust[:-1].copy()
    hiss = _shaped(rng, n, rate, 2500.0, 14000.0 * 2 ** (0.5 * spec.brightness))
    out = crackle + dust + (0.03 + 0.02 * i) * hiss
    if spec.has("rumble", "rumbling", "warped", "worn") or i > 0.75:
        out += 0.15 * _shaped(rng, n, rate, 20.0, 60.0, 2)
    return _soft_peaks(out, _VINYL_CREST_DB)


def _soft_peaks(x: Array, crest_db: float) -> Array:
    """Round off peaks more than `crest_db` above the RMS (tanh): the loudest pops stay
    pops, but no longer carry the loop's loudness alone, so the mixer's peak limit keeps
    the layer at its loudness instead of pulling it down."""
    ceiling = float(np.sqrt(np.mean(np.square(x)))) * 10 ** (crest_db / 20)
    return np.asarray(ceiling * np.tanh(x / ceiling), dtype=np.float64) if ceiling > 0 else x


def _wind(spec: NoiseSpec, n: int, rate: int, rng: np.random.Generator) -> Array:
    """Noise through a slowly swept resonant band-pass; gusts raise its pitch and level."""
    howling = spec.has("howling", "howl", "whistling")
    q = 9.0 if howling else 2.2
    centre = (650.0 if howling else 380.0) * 2 ** (0.6 * spec.brightness + 0.4 * spec.intensity)
    gust = _lfo(rng, n // _BLOCK + 2, _cycles(n, rate, 6.0))
    blocks = np.linspace(0, 1, len(gust), endpoint=False)

    def sweep(phase: Array) -> Array:
        g = np.interp(phase, blocks, gust, period=1.0)
        return np.asarray(centre * 2 ** (1.3 * g), dtype=np.float64)

    raw = _shaped(rng, n, rate, 60.0, 12000.0, 1)
    band = _unit(_swept(raw, rate, "bandpass", sweep, q))
    level = np.interp(np.arange(n) / n, blocks, gust, period=1.0)
    amp = 0.35 + 0.65 * ((level + 1) / 2) ** 1.5
    body = _shaped(rng, n, rate, 40.0, 300.0, 2)
    return np.asarray(band * amp[:, None] + 0.25 * body * (0.5 + 0.5 * amp[:, None]),
                      dtype=np.float64)


def _glide(x: Array, rate: int, cutoff: Array, low: float, high: float,
           home: Array | None = None) -> Array:
    """`x` through a resonant low-pass whose cutoff follows `cutoff` (Hz, per frame).

    The glide is a crossfade between fixed low-passes half an octave apart (each run
    around the loop), so a fast or jumping cutoff never upsets a filter's state. Where
    `home` (0…1 per frame) is above 0, the result fades towards the lowest low-pass:
    the loop's seam passes through it."""
    steps = max(1, math.ceil(2 * math.log2(high / low)))
    position = np.clip(2 * np.log2(np.maximum(cutoff, low) / low), 0, steps)
    out = np.zeros_like(x)
    for j in range(steps + 1):
        weight = np.maximum(0.0, 1.0 - np.abs(position - j))
        if home is not None:
            weight = (1 - home) * weight + (home if j == 0 else 0.0)
        if not weight.any():
            continue
        sos = _resonant_lowpass(min(low * 2 ** (j / 2), 0.45 * rate), 2.0, rate)
        used = np.flatnonzero(weight)
        first, last = int(used[0]), int(used[-1])
        if last - first + rate < x.shape[0]:  # filter only the span it sounds in
            span = np.arange(first - rate // 2, last + 1)
            filtered = _sosfilt(sos, np.take(x, span, axis=0, mode="wrap"))
            out[first:last + 1] += weight[first:last + 1, None] * filtered[rate // 2:]
        else:
            out += weight[:, None] * _cyclic(partial(_sosfilt, sos), x, rate // 2)
    return out


def _sosfilt(sos: Array, x: Array) -> Array:
    return np.asarray(sosfilt(sos, x, axis=0), dtype=np.float64)


def _resonant_lowpass(freq: float, q: float, rate: int) -> Array:
    b, a = _biquads("lowpass", np.array([freq]), q, rate)
    return np.concatenate([b, a], axis=1)


def _lift(spec: NoiseSpec, n: int, rate: int, rng: np.random.Generator) -> Array:
    """Risers, downlifters and sweeps: noise through a resonant low-pass whose cutoff and
    level follow the clip (a riser peaks at the clip's end, a downlifter at its start)."""
    kind = spec.kind
    low, high = 180.0, 15000.0 * 2 ** (0.3 * spec.brightness)
    x = np.arange(n) / n
    if kind == "riser":
        shape = x ** 2
    elif kind == "downlifter":
        shape = (1 - x) ** 2
    else:  # sweep: up and back down over the clip
        shape = 0.5 - 0.5 * np.cos(2 * np.pi * x)
    raw = _shaped(rng, n, rate, 0.0, 0.0)
    mid, side = raw[:, :1], raw[:, 1:]
    width = 0.25 + 0.75 * shape[:, None]
    wide = np.concatenate([mid + width * side, mid - width * side], axis=1)
    gain = 10 ** ((-30.0 + 30.0 * shape ** 0.7) / 20)
    # Close the loop: the last (riser) or first (downlifter) 12 ms pass through the quiet,
    # dark sound at the other end of the gesture, so the seam does not jump.
    seam = min(n, int(0.012 * rate))
    home = np.zeros(n)
    ramp = 0.5 - 0.5 * np.cos(np.pi * np.arange(seam) / max(1, seam))
    if kind == "riser":
        home[n - seam:] = ramp
        gain[n - seam:] = gain[n - seam:] * (1 - ramp) + gain[0] * ramp
    elif kind == "downlifter":
        home[:seam] = 1 - ramp
        gain[:seam] = gain[n - 1] * (1 - ramp) + gain[:seam] * ramp
    out = _glide(wide, rate, low * (high / low) ** shape, low, high, home)
    return out * gain[:, None]


def _ocean(spec: NoiseSpec, n: int, rate: int, rng: np.random.Generator) -> Array:
    """Waves: a low surf bed, and swells that brighten and crash, whole waves per loop."""
    waves = _cycles(n, rate, 8.0 - 3.0 * spec.intensity)
    x = (np.arange(n) / n * waves) % 1.0
    offset = rng.uniform(0, 1)
    u = (x + offset) % 1.0
    swell = np.where(u < 0.6, (u / 0.6) ** 2, np.exp(-(u - 0.6) / 0.12))
    blocks = np.arange(0, n, _BLOCK) / n

    def cutoff(phase: Array) -> Array:
        s = np.interp(phase, blocks, swell[::_BLOCK], period=1.0)
        return np.asarray(350.0 * 2 ** (3.8 * s + 0.5 * spec.brightness), dtype=np.float64)

    raw = _shaped(rng, n, rate, 40.0, 16000.0, 1, slope=0.5)
    surf = _unit(_swept(raw, rate, "lowpass", cutoff, 0.8))
    bed = _shaped(rng, n, rate, 40.0, 500.0, 2)
    return surf * (0.25 + swell)[:, None] + 0.3 * bed


def _hum(spec: NoiseSpec, n: int, rate: int, rng: np.random.Generator) -> Array:
    """Mains hum (50 Hz, or 60 when asked) with its harmonics, over a quiet room tone."""
    mains = 60.0 if spec.has("60hz", "60", "american") else 50.0
    cycles = max(1, round(mains * n / rate))  # whole cycles per loop
    t = np.arange(n) / n
    weights = (1.0, 0.5, 0.35, 0.15, 0.12, 0.05, 0.06, 0.02, 0.03)
    if spec.has("buzz", "buzzing", "buzzy"):
        weights = (1.0, 0.4, 0.8, 0.2, 0.6, 0.1, 0.4, 0.1, 0.3)
    tone = sum(w * np.sin(2 * np.pi * cycles * (h + 1) * t + rng.uniform(0, 2 * np.pi))
               for h, w in enumerate(weights))
    wobble = 1.0 + 0.1 * _lfo(rng, n, _cycles(n, rate, 3.0))
    hum = np.asarray(tone * wobble)[:, None] * np.ones((1, 2))
    return _unit(hum) + 0.25 * _room(spec, n, rate, rng)


def _room(spec: NoiseSpec, n: int, rate: int, rng: np.random.Generator) -> Array:
    """Room tone: a dark, slowly breathing air noise."""
    top = 3500.0 * 2 ** (0.6 * spec.brightness)
    air = _shaped(rng, n, rate, 30.0, top, 2, slope=0.9)
    drift = 1.0 + 0.12 * _lfo(rng, n, _cycles(n, rate, 7.0))
    return air * drift[:, None]


def _noise(spec: NoiseSpec, n: int, rate: int, rng: np.random.Generator) -> Array:
    """Plain noise: white (default), pink, brown, or a hiss."""
    slope = 2.0 if spec.has("brown", "brownian") else 1.0 if spec.has("pink") else 0.0
    low = 2500.0 if spec.has("hiss") else 20.0
    return _shaped(rng, n, rate, low, 0.0, 1, slope=slope)


_KINDS: dict[str, Callable[[NoiseSpec, int, int, np.random.Generator], Array]] = {
    "rain": _rain, "vinyl": _vinyl, "wind": _wind, "riser": _lift, "downlifter": _lift,
    "sweep": _lift, "ocean": _ocean, "hum": _hum, "room": _room, "noise": _noise,
}
assert set(_KINDS) == set(NOISE_KINDS)


def render_noise(spec: NoiseSpec, frames: int, sample_rate: int, seed: int) -> np.ndarray:
    """A seamless loop of exactly `frames` float32 stereo frames of `spec`'s texture.

    The same arguments always give the same samples; the level is about −20 dBFS RMS
    (the mixer brings each layer to its loudness)."""
    if spec.kind not in _KINDS:
        raise LivetimbreError(f"Unknown noise texture '{spec.kind}' "
                              f"(known: {', '.join(NOISE_KINDS)}).")
    if frames < 1:
        return np.zeros((0, 2), np.float32)
    rng = np.random.default_rng([seed, NOISE_KINDS.index(spec.kind)])
    out = _KINDS[spec.kind](spec, frames, sample_rate, rng)
    return np.ascontiguousarray((_LEVEL * _unit(out)).astype(np.float32))
