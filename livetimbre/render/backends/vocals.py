"""Vocals clips: the composer sets words to a singable melody, the singer sings it and
the vocal chain mixes it; without a singer a wordless choir (GM voice oohs) plays the
same melody, and the clip's info says why."""

from __future__ import annotations

__all__ = ["SINGER", "WORDLESS", "VocalClip", "clip_section", "clip_voice", "render_vocals",
           "singer_version"]

import re
from dataclasses import dataclass
from fractions import Fraction
from importlib.metadata import PackageNotFoundError, version

import numpy as np

from livetimbre.genres.profile import GenreProfile
from livetimbre.music.notes import Part
from livetimbre.music.theory import parse_meter
from livetimbre.planner.clip import ClipPlan
from livetimbre.render.info import ClipInfo
from livetimbre.synth.base import Synth
from livetimbre.voice.info import vocal_info
from livetimbre.voice.lyrics_read import read_lyrics
from livetimbre.voice.score import VOICE_TYPES, VocalLine, VoiceType
from livetimbre.voice.singing import sing, singer_status
from livetimbre.voice.stem import mix_vocal_stem
from livetimbre.voice.writing import compose_vocals

SINGER = "espeak-ng phonemes sung by the WORLD vocoder"
WORDLESS = "a wordless choir (GM voice oohs)"
_SECTIONS = ("chorus", "verse", "bridge", "hook", "refrain")
_SAME = {"hook": "chorus", "refrain": "chorus"}
_VOICE_WORDS: dict[str, VoiceType] = {
    **{v: v for v in VOICE_TYPES}, "mezzo": "alto", "contralto": "alto", "female": "alto",
    "male": "tenor"}


@dataclass(frozen=True)
class VocalClip:
    """A vocals clip before balancing: stereo audio of the loop and what rings after it,
    the melody as notes (the MIDI export), and its info."""

    audio: np.ndarray
    part: Part
    info: ClipInfo


def singer_version() -> str:
    """Who sings a vocals clip here, for the recipe's versions: a render made without a
    singer is not taken for one made with it."""
    status = singer_status()
    if status is not None:
        return f"none ({status})"
    try:
        return f"espeak-ng, pyworld {version('pyworld')}"
    except PackageNotFoundError:  # importable but not installed as a distribution
        return "espeak-ng, pyworld"


def clip_voice(plan: ClipPlan) -> VoiceType | None:
    """The voice type the layer's instrument ('alto', 'female vocal') or the clip's
    prompt names; None: the composer's choice."""
    for text in (plan.instrument, plan.prompt):
        for word in re.findall(r"[a-z]+", text.lower()):
            if word in _VOICE_WORDS:
                return _VOICE_WORDS[word]
    return None


def clip_section(plan: ClipPlan) -> str:
    """The part of a song a clip sings: named in its prompt ('soft hopeful chorus'), else
    by its scene ('chorus'), else a verse."""
    for text in (plan.prompt, plan.scene):
        words = re.findall(r"[a-z]+(?:-[a-z]+)?", text.lower())
        for section in _SECTIONS:
            if section in words or section + "s" in words:
                return _SAME.get(section, section)
    return "verse"


def _sung(plan: ClipPlan, line: VocalLine) -> np.ndarray | str:
    """The line sung and mixed as a vocal stem (stereo), or why the singer failed: like
    every provider, it has a fallback (the wordless choir), and the clip says why."""
    beat_tempo = plan.tempo * parse_meter(plan.meter).unit / 4  # a 7/8 beat: an eighth
    try:
        voice = sing(line, tempo=beat_tempo, sample_rate=plan.sample_rate, seed=plan.seed)
        return mix_vocal_stem(voice, sample_rate=plan.sample_rate, tempo=beat_tempo,
                              voice_type=line.voice)
    except Exception as exc:  # a provider's failure: the fallback sings, the note says
        return f"the singer failed ({type(exc).__name__}: {str(exc)[:120]})"


def render_vocals(plan: ClipPlan, genre: GenreProfile, synth: Synth,
                  samples_per_beat: Fraction) -> VocalClip:
    """Compose and sing `plan` (its own words when it has them); the audio is the loop
    and its tail, longer than `plan.frames` (fold it into the loop)."""
    where = f"the lyrics of {plan.layer}@{plan.scene}"
    lyric = read_lyrics(plan.lyrics, where) if plan.lyrics else None
    composition = compose_vocals(plan, genre, lyric=lyric, section=clip_section(plan),
                                 voice=clip_voice(plan))
    line, part = composition.line, composition.part
    status = singer_status()
    sung = _sung(plan, line) if status is None else f"no singer: {status}"
    if isinstance(sung, str):  # why not: the wordless choir plays the melody
        audio = synth.render(part, samples_per_beat, plan.frames)
        info = vocal_info(line, singer=WORDLESS, sung=False, own_words=lyric is not None,
                          note=sung, spec=composition.spec)
    else:
        audio = sung
        info = vocal_info(line, singer=SINGER, sung=True, own_words=lyric is not None,
                          spec=composition.spec)
    audio = np.asarray(audio, dtype=np.float32)
    if audio.shape[0] < plan.frames:
        audio = np.concatenate([audio, np.zeros((plan.frames - audio.shape[0], 2),
                                                np.float32)])
    return VocalClip(audio, part, ClipInfo(notes=len(part.notes), vocal=info))
