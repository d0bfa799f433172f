"""The user's own sounds in a clip plan: a loop (`SamplePlan`) and a kit of one-shots
(`KitPlan`). Each names its files with their size and modification time, so the plan
(and the recipe hash, and the render cache) changes when a file does; the headers are
checked here, so a bad file is refused when the clip is planned, before any render.

A kit is a folder of one-shots named after their voice (`kick.wav`, `snare.wav`,
`hat.wav`, `open-hat.wav`, `clap.wav`, `rim.wav`, `tom.wav`, `crash.wav`, `ride.wav`,
`perc.wav`; a number or a suffix may follow: `kick_01.wav`), or mapped in a
`kit.yaml` of `VOICE: FILE` lines in the folder.
"""

from __future__ import annotations

__all__ = ["AUDIO_SUFFIXES", "KIT_MAP", "KIT_SAMPLER_VERSION", "VOICES", "KitPlan", "KitVoice",
           "SamplePlan",
           "plan_kit", "plan_sample", "voice_of"]

import os
import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from livetimbre.errors import AudioFileError, ValueProblem
from livetimbre.files.read import read_user_text, shown_path
from livetimbre.files.sound_in import LOOP, ONE_SHOT, AudioLimits, probe_user_audio
from livetimbre.session.model import SampleRef

AUDIO_SUFFIXES = (".wav", ".wave", ".aif", ".aiff", ".flac", ".ogg", ".mp3")
KIT_MAP = "kit.yaml"
KIT_SAMPLER_VERSION = "1"  # synth.kit's: a change to how kits play changes the recipe
_MAX_ENTRIES = 1000  # a kit folder's entries looked at
VOICES: dict[str, tuple[str, ...]] = {  # voice: the names its files may have
    "kick": ("kick", "bd", "bassdrum"), "snare": ("snare", "sd"), "clap": ("clap", "cp"),
    "rim": ("rim", "rimshot", "sidestick"), "hat": ("hat", "hihat", "hh", "closedhat", "ch"),
    "openhat": ("openhat", "openhihat", "oh", "ohh"), "tom": ("tom", "lowtom", "midtom",
                                                            "hightom"),
    "crash": ("crash", "cymbal"), "ride": ("ride",), "perc": ("perc", "shaker", "cowbell",
                                                               "tambourine"),
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SamplePlan(_Frozen):
    """A loop file in a clip: where, which version of it, and what to do with it."""

    path: str
    size: int
    mtime_ns: int
    sample_rate: int
    channels: int
    frames: int
    bpm: float | None = None  # the loop's own tempo, when given
    key: str | None = None  # None: no shift; 'auto': estimated; else the loop's key


class KitVoice(_Frozen):
    """One one-shot of a kit."""

    voice: str
    path: str
    size: int
    mtime_ns: int


class KitPlan(_Frozen):
    """A folder of one-shots that plays a drum clip's notes."""

    folder: str
    voices: tuple[KitVoice, ...]
    sampler: str = KIT_SAMPLER_VERSION


def _stat(path: Path, limits: AudioLimits) -> tuple[int, int]:
    probe_user_audio(path, limits)
    info = os.stat(path)
    return info.st_size, info.st_mtime_ns


def plan_sample(ref: SampleRef) -> SamplePlan:
    """The loop `ref` names, its header checked (AudioFileError naming the file)."""
    path = Path(ref.path)
    header = probe_user_audio(path, LOOP)
    info = os.stat(path)
    return SamplePlan(path=ref.path, size=info.st_size, mtime_ns=info.st_mtime_ns,
                      sample_rate=header.sample_rate, channels=header.channels,
                      frames=header.frames, bpm=ref.bpm, key=ref.key)


def voice_of(name: str) -> str | None:
    """The voice a file or mapping name stands for ('Kick_01.wav' → 'kick'), or None."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    word = re.sub(r"[\s_\-.]+", "", stem.lower())
    word = re.sub(r"\d+$", "", word)
    for voice, names in VOICES.items():
        if word in names or word == voice:
            return voice
    return None


def _mapped(folder: Path) -> dict[str, str]:
    """kit.yaml's voice → file name, checked (names of files in the folder only)."""
    where = shown_path(folder / KIT_MAP)
    text = read_user_text(folder / KIT_MAP, "kit map", AudioFileError, limit=64 * 1024)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        raise AudioFileError(f"{where} is not YAML (VOICE: FILE lines).") from None
    if not isinstance(data, dict):
        raise AudioFileError(f"{where} must map voices to files, e.g. 'kick: bd01.wav'.")
    mapping: dict[str, str] = {}
    for name, file in data.items():
        voice = voice_of(str(name))
        if voice is None:
            raise AudioFileError(f"{where}: unknown voice {str(name)[:30]!r} (voices: "
                                 f"{', '.join(VOICES)}).")
        if not isinstance(file, str) or "/" in file or "\\" in file or file in ("", ".",
                                                                                 ".."):
            raise AudioFileError(f"{where}: {voice} names no file of the kit's folder.")
        mapping[voice] = file
    return mapping


def plan_kit(path: str) -> KitPlan:
    """The one-shots of the kit folder `path`, each header checked."""
    folder = Path(path)
    where = shown_path(folder)
    if not folder.is_dir():
        raise AudioFileError(f"Kit folder not found: {where}.")
    if (folder / KIT_MAP).exists():
        chosen = _mapped(folder)
    else:
        chosen = {}
        try:
            with os.scandir(folder) as entries:
                names = sorted(e.name for _, e in zip(range(_MAX_ENTRIES), entries,
                                                      strict=False))
        except OSError as exc:
            raise AudioFileError(f"Cannot read kit folder {where}: {exc.strerror}.") from None
        for name in names:
            voice = voice_of(name)
            if voice is not None and name.lower().endswith(AUDIO_SUFFIXES):
                chosen.setdefault(voice, name)
    if not chosen:
        raise ValueProblem(f"Kit folder {where} holds no one-shot livetimbre knows: name "
                           "them kick.wav, snare.wav, hat.wav, ... or map them in kit.yaml.")
    voices = []
    for voice, name in sorted(chosen.items()):
        size, mtime = _stat(folder / name, ONE_SHOT)
        voices.append(KitVoice(voice=voice, path=str(folder / name), size=size,
                               mtime_ns=mtime))
    return KitPlan(folder=path, voices=tuple(voices))
