"""The singer in a compose: whether one sings, the song's one LyricSpec (the user's
`--lyrics`, else written for the plan's sung sections), its words handed to each vocals
clip, and the sung lines and syllables gathered back along the track for the `.lrc`
file, the sidecar and the MIDI export's lyric events."""

from __future__ import annotations

__all__ = ["check_song_words", "lyric_text", "sing_song", "singer_sings", "track_lines",
           "track_syllables"]

from collections.abc import Sequence

from livetimbre.genres.profile import GenreProfile
from livetimbre.planner.clip import ClipPlan
from livetimbre.planner.trackplan import CompositionPlan
from livetimbre.track.specs import SoundDesignSpec
from livetimbre.voice.info import VocalInfo
from livetimbre.voice.lyrics import LyricSpec, lyric_section, write_lyrics
from livetimbre.voice.lyrics_read import read_lyrics
from livetimbre.voice.score import LyricLine
from livetimbre.voice.singing import singer_status
from livetimbre.voice.writing import lyric_slot


def singer_sings() -> bool:
    """Whether a singer is available (espeak-ng and pyworld): a plan's vocals part is
    then sung; else it stays a wordless choir, and the plan's notes say why."""
    return singer_status() is None


def check_song_words(words: str | None, where: str) -> str | None:
    """The user's words, if they can be sung (ValueProblem naming `where` otherwise);
    None when there are none."""
    if words is None:
        return None
    read_lyrics(words, where)
    return words


def lyric_text(spec: LyricSpec) -> str:
    """A LyricSpec as lyrics-file text: a `[section]` header before each section's lines."""
    return "\n\n".join(f"[{s.name}]\n" + "\n".join(s.lines) for s in spec.sections) + "\n"


def sing_song(plan: CompositionPlan, genre: GenreProfile, clips: list[list[ClipPlan]],
              words: str | None) -> tuple[list[list[ClipPlan]], LyricSpec | None]:
    """`clips` with the song's words given to every vocals clip, and the song's
    LyricSpec: `words` (the user's) read, else lines written for the sung sections from
    the plan's SongSpec (choruses sing the same words, verses move on). Unchanged, and
    None, when no vocals clip sings."""
    sung = [(section, clip) for section, row in zip(plan.sections, clips, strict=True)
            for clip in row if clip.role == "vocals"]
    if not sung:
        return clips, None
    if words is not None:
        spec = read_lyrics(words, "--lyrics")
    else:
        form = [lyric_slot(clip, genre, lyric_section(section.name) or "verse")
                for section, clip in sung]
        spec = write_lyrics(plan.spec, form, seed=plan.seed)
    update: dict[str, object] = {"lyrics": lyric_text(spec)}
    if plan.spec is not None and plan.spec.voice is not None:  # 'a soprano sings'
        update["instrument"] = f"{plan.spec.voice.voice} voice"
    out = [[clip.model_copy(update=update) if clip.role == "vocals" else clip
            for clip in row] for row in clips]
    return out, spec


def _vocal(info: dict[str, object]) -> VocalInfo | None:
    data = info.get("vocal")
    return VocalInfo.model_validate(data) if isinstance(data, dict) else None


def track_lines(plan: CompositionPlan, sound: SoundDesignSpec) -> list[LyricLine]:
    """Every line sung along the track, its start in beats from the track's start."""
    per_bar = int(plan.meter.split("/")[0])
    lines = []
    for section, render in zip(plan.sections, sound.sections, strict=True):
        for clip in render.clips:
            vocal = _vocal(clip.info)
            if vocal is not None and vocal.sung:
                start = section.start_bar * per_bar
                lines += [LyricLine(start + x.start, x.text, x.section) for x in vocal.lines]
    return sorted(lines, key=lambda line: line.start)


def track_syllables(plan: CompositionPlan, sound: SoundDesignSpec
                    ) -> Sequence[tuple[str, float, str]]:
    """(layer, beat from the track's start, syllable): the MIDI export's lyric events."""
    per_bar = int(plan.meter.split("/")[0])
    return [(clip.layer, section.start_bar * per_bar + beat, text)
            for section, render in zip(plan.sections, sound.sections, strict=True)
            for clip in render.clips if (vocal := _vocal(clip.info)) is not None
            for beat, text in vocal.events]
