"""Composing a vocal: a clip plan (and words, or the grammar's) → the notes a singer
reads (`VocalLine`), the melody as a `Part` for the MIDI export, the lyric and the
VocalSpec.

Phrases are two bars with a breath at the end (voice.setting); a grammar lyric gets
lines of exactly the syllables each phrase has notes for; the user's lines are set as
they come (a line too long for a phrase is split at a word, a short one held or sung
as a melisma). Lines repeat when a section has fewer lines than the clip has phrases.
"""

from __future__ import annotations

__all__ = ["VOICE_PROGRAM", "VocalComposition", "compose_vocals", "lyric_slot",
           "section_of_prompt", "voice_for"]

import re
from dataclasses import dataclass, replace

from livetimbre.compose.direction import Direction, direct
from livetimbre.compose.harmony import ChordSpan, chord_at, plan_harmony
from livetimbre.director.spec import SongSpec
from livetimbre.genres.profile import GenreProfile
from livetimbre.music.notes import NoteEvent, Part, clamp_velocity
from livetimbre.music.seeds import stable_seed
from livetimbre.planner.clip import ClipPlan
from livetimbre.voice.lyrics import LyricSlot, LyricSpec, write_lyrics
from livetimbre.voice.lyrics_words import Syllable, word_syllables, words_of
from livetimbre.voice.melody import (
    MelodyNote,
    VocalPhrase,
    VocalSpec,
    motif_contour,
    write_pitches,
)
from livetimbre.voice.score import VOICE_RANGES, LyricLine, SungNote, VocalLine, VoiceType
from livetimbre.voice.setting import Onset, Phrase, phrases, set_line, syllable_capacity

VOICE_PROGRAM = 53  # General MIDI "Voice Oohs": the vocal part in a MIDI export
_RATE = {"verse": 2.4, "chorus": 1.9, "bridge": 2.1}  # syllables a second
_LIFT = {"verse": 0, "chorus": 2, "bridge": 1}  # scale steps above the verse's arch


@dataclass(frozen=True)
class VocalComposition:
    """A composed vocal: the sung notes, the melody as a Part, the words, the plan."""

    line: VocalLine
    part: Part
    lyric: LyricSpec
    spec: VocalSpec


def section_of_prompt(prompt: str) -> str:
    """The section a clip prompt names: chorus, bridge or verse (the default)."""
    words = set(re.findall(r"[a-z]+", prompt.lower()))
    for name, calls in (("chorus", {"chorus", "refrain", "hook"}), ("bridge", {"bridge"}),
                        ("verse", {"verse"})):
        if words & calls:
            return name
    return "verse"


def voice_for(song: SongSpec | None, seed: int) -> VoiceType:
    """The SongSpec's voice type, else alto or tenor by the seed."""
    if song is not None and song.voice is not None:
        return song.voice.voice
    return "alto" if stable_seed(seed, "voice") % 2 == 0 else "tenor"


def _phrases(d: Direction, spans: list[ChordSpan]) -> list[Phrase]:
    """The clip's phrases; when the loop's last chord has no tone of the tonic triad (a
    VII leading back to i), the last phrase ends where that chord begins, so the line
    comes home over the chord before it."""
    out = phrases(d.bars, d.meter, d.seconds_per_beat)
    home = {d.key.tonic, d.key.degree_pitch_class(2), d.key.degree_pitch_class(4)}
    last = out[-1]
    for span in reversed(spans):
        if span.start < last.start + d.beats_per_bar - 1e-9:
            break
        if home & set(chord_at(spans, span.start - 1e-6).pitch_classes()) and not home & set(
                chord_at(spans, last.sing_end - 1e-6).pitch_classes()):
            out[-1] = replace(last, sing_end=min(last.sing_end, span.start))
            break
    return out


def _kind(section: str) -> str:
    return section if section in _RATE else "verse"


def _beats(d: Direction, phrase: Phrase) -> int:
    """The pulses a phrase sings on (where its stressed syllables go)."""
    return max(1, int((phrase.sing_end - phrase.start) // _pulse(d)))


def _slot(d: Direction, phrase_list: list[Phrase], section: str) -> LyricSlot:
    """A line a phrase, as many syllables as it sings comfortably at this tempo."""
    rate = _RATE[_kind(section)] * (0.8 + 0.4 * d.density)
    out = []
    for p in phrase_list:
        seconds = (p.sing_end - p.start) * d.seconds_per_beat
        most = min(12, syllable_capacity(p, d.meter) - 1, 2 * _beats(d, p) + 1)
        out.append(max(3, min(most, round(seconds * rate))))
    return LyricSlot(_kind(section), tuple(out), strong=tuple(_beats(d, p) for p in phrase_list),
                     per_beat=max(1, d.pulses[0].length // 2))


def _pulse(d: Direction) -> float:
    """The length of the meter's pulse in beats (a dotted quarter in 6/8)."""
    return d.pulses[0].length / d.meter.steps_per_beat


def lyric_slot(plan: ClipPlan, genre: GenreProfile, section: str = "verse") -> LyricSlot:
    """The slot `compose_vocals` fills for this clip: a line a phrase, each of the
    syllables its phrase sets (for `write_lyrics` over a whole song's form)."""
    d = direct(plan, genre)
    return _slot(d, _phrases(d, plan_harmony(d)), section)


Sung = list[tuple[str, int, Syllable]]  # (word, syllable index in the word, syllable)


def _sung(text: str) -> Sung:
    return [(w, i, s) for w in words_of(text) for i, s in enumerate(word_syllables(w))]


def _chunks(lines: list[str], capacity: int) -> list[tuple[str, Sung]]:
    """The lines as phrase-long pieces: a line with more syllables than `capacity` is
    cut at words into pieces that fit (a word longer than that, at its syllables)."""
    out: list[tuple[str, Sung]] = []
    for line in lines:
        whole = _sung(line)
        if len(whole) <= capacity:
            if whole:
                out.append((line, whole))
            continue
        piece: Sung = []
        texts: list[str] = []
        for word in words_of(line):
            sung = _sung(word)
            if piece and len(piece) + len(sung) > capacity:
                out.append((" ".join(texts), piece))
                piece, texts = [], []
            while len(sung) > capacity:  # one very long word: a phrase per part of it
                part, sung = sung[:capacity], sung[capacity:]
                out.append(("-".join(s.text for _w, _i, s in part) + "-", part))
            piece += sung
            texts.append(word if len(sung) == len(_sung(word)) else
                         "-" + "-".join(s.text for _w, _i, s in sung))
        if piece:
            out.append((" ".join(texts), piece))
    return out


def compose_vocals(plan: ClipPlan, genre: GenreProfile, *, lyric: LyricSpec | None = None,
                   section: str = "verse", song: SongSpec | None = None,
                   occurrence: int = 0, voice: VoiceType | None = None) -> VocalComposition:
    """The vocal for a clip (or a long-form section's loop): `section` (verse, chorus,
    bridge) of `lyric` (its `occurrence`-th), or grammar words from the SongSpec; the
    voice from `voice`, the SongSpec or the plan's seed."""
    d = direct(plan, genre)
    spans = plan_harmony(d)
    phrase_list = _phrases(d, spans)
    kind = _kind(section)
    grammar = lyric is None
    if lyric is None:
        seed = stable_seed(plan.motif_seed, "lyrics", kind,
                           0 if kind == "chorus" else f"{plan.scene}/{occurrence}")
        lyric = write_lyrics(song, [_slot(d, phrase_list, kind)], seed=seed)
    chosen = lyric.section(section, occurrence)
    lines = chosen.lines if chosen is not None else []
    capacity = min(syllable_capacity(p, d.meter, 1) for p in phrase_list)
    pieces = _chunks(lines, max(1, capacity * 3 // 4))
    singer = voice or voice_for(song, plan.motif_seed)
    motif = motif_contour(d.motif_rng("vocal-motif"))
    onsets: list[tuple[Phrase, str, Sung, list[Onset]]] = []
    for phrase in phrase_list if pieces else []:
        text, sung = pieces[phrase.index % len(pieces)]
        stresses = [s.stress for _w, _i, s in sung]
        notes = len(sung)
        pulses_free = syllable_capacity(phrase, d.meter, d.meter.steps_per_beat)
        if grammar and (phrase.index % 2 == 1 or phrase.index == len(phrase_list) - 1):
            notes += 1  # a melisma at the line's end
        notes = max(notes, pulses_free // 2)  # a short line: held over melismas
        notes = min(notes, syllable_capacity(phrase, d.meter, 1))
        onsets.append((phrase, text, sung, set_line(phrase, d.meter, stresses, notes)))
    melody_notes = []
    for phrase, *_words, line_onsets in onsets:
        for k, onset in enumerate(line_onsets):
            in_motif = kind == "chorus" and k < len(motif)
            melody_notes.append(MelodyNote(onset.start, onset.weight, phrase.index,
                                           k == len(line_onsets) - 1, k if in_motif else -1))
    pitches = write_pitches(melody_notes, d.key, spans, singer, d.rng("vocal-melody"),
                            motif=motif, lift=_LIFT[kind])
    return _assemble(plan, d, section, singer, motif, lyric, onsets, pitches)


def _assemble(plan: ClipPlan, d: Direction, section: str, singer: VoiceType,
              motif: list[int], lyric: LyricSpec,
              onsets: list[tuple[Phrase, str, Sung, list[Onset]]],
              pitches: list[int]) -> VocalComposition:
    sung_notes: list[SungNote] = []
    lines: list[LyricLine] = []
    vocal_phrases: list[VocalPhrase] = []
    feed = iter(pitches)
    for phrase, text, sung, line_onsets in onsets:
        lines.append(LyricLine(line_onsets[0].start, text, section))
        for k, onset in enumerate(line_onsets):
            word, index, syllable = sung[onset.syllable]
            velocity = 84 + (10 if syllable.stress == 2 else 0) + (
                6 if section == "chorus" else 0) - (6 if onset.melisma else 0)
            sung_notes.append(SungNote(
                start=onset.start, duration=onset.end - onset.start, pitch=next(feed),
                velocity=clamp_velocity(velocity * (0.8 + 0.3 * d.bar_energy(
                    int(onset.start // d.beats_per_bar)))),
                syllable=syllable.text, word=word, syllable_index=index,
                phonemes=syllable.phonemes, stressed=syllable.stress == 2,
                melisma=onset.melisma, breath_after=k == len(line_onsets) - 1))
        vocal_phrases.append(VocalPhrase(start=phrase.start, beats=phrase.beats, text=text,
                                         syllables=len(sung), notes=len(line_onsets),
                                         cadence=sung_notes[-1].pitch))
    line = VocalLine(singer, float(d.total_beats), tuple(sung_notes), tuple(lines))
    part = Part("vocals", 0, VOICE_PROGRAM, float(d.total_beats),
                tuple(NoteEvent(n.start, n.duration, n.pitch, n.velocity) for n in sung_notes),
                reverb=0.35)
    spec = VocalSpec(voice=singer, range=VOICE_RANGES[singer], key=str(d.key),
                     meter=str(d.meter), section=section, motif=motif,
                     phrases=vocal_phrases, source=lyric.source)
    return VocalComposition(line, part, lyric, spec)
