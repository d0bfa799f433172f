"""Who plays in each section of a track plan: the layers, the sounds the prompt names
for them (else the genre's), their clip prompts, and the section's arrangement sentence."""

from __future__ import annotations

__all__ = ["SECTION_LAYERS", "SUNG_SECTIONS", "Sound", "arrangement", "layer_words",
           "orchestrate", "section_layers", "spec_sounds"]

from collections.abc import Collection
from typing import NamedTuple

from livetimbre.director.spec import SongSpec
from livetimbre.genres.profile import GenreProfile
from livetimbre.music.instruments import DRUM_KITS, GM_KEYWORDS, find_drum_kit, find_program
from livetimbre.planner.theme import prompt_words
from livetimbre.planner.trackplan import PARTS, OrchestraPart, Orchestration, SectionLayer
from livetimbre.planner.vocabulary import find_entries

# Which layers play in each section, and the words their clip prompts start with.
# Layer → (orchestration part, layer role words for the composer).
_LAYER_PART: dict[str, OrchestraPart] = {"drums": "rhythm", "bass": "bass", "chords": "harmony",
                                "pad": "harmony", "lead": "lead", "texture": "textures",
                                "choir": "vocals", "vocals": "vocals"}
SECTION_LAYERS: dict[str, dict[str, str]] = {
    "intro": {"pad": "soft sustained", "texture": "soft", "drums": "sparse soft no kick"},
    "motif": {"drums": "", "bass": "", "chords": "", "lead": ""},
    "chorus": {"drums": "energetic crash", "bass": "driving", "chords": "full",
               "lead": "high", "texture": "", "choir": "sustained"},
    "bridge": {"drums": "half-time sparse", "bass": "sustained", "pad": "lush",
               "choir": "soft sustained", "texture": ""},
    "outro": {"pad": "fade sustained", "lead": "soft sparse fade", "texture": "fade",
              "bass": "soft sustained fade"},
    "resolve": {"chords": "sustained", "bass": "sustained", "pad": "fade",
                "lead": "soft fade"},
}
# With a singer, the vocals part sings these sections (what they are in a song), and the
# lead rests where it sings: the singer carries the melody.
SUNG_SECTIONS: dict[str, str] = {"motif": "verse", "chorus": "chorus", "bridge": "bridge"}
_SENTENCES: dict[str, tuple[str, tuple[OrchestraPart, ...], tuple[OrchestraPart, ...]]] = {
    # name: (sentence, parts named first, parts named second)
    "intro": ("Open with {0}, leaving space before the motif.",
              ("textures", "harmony", "rhythm"), ()),
    "motif": ("State the motif on {0} over {1}.", ("lead", "vocals"),
              ("rhythm", "bass", "harmony")),
    "chorus": ("Elevate the arrangement with {0}: the fullest section.", PARTS, ()),
    "bridge": ("Contrast: the lead rests while {0} hold back.",
               ("rhythm", "bass", "harmony", "vocals", "textures"), ()),
    "outro": ("Let the motif fade on {0} over {1}.", ("lead",),
              ("harmony", "bass", "textures")),
    "resolve": ("Resolve home on {0} as {1} fades.", ("harmony", "bass"), ("lead",)),
}
_PROGRAM_NAMES: dict[int, str] = {}
for _word, _program in GM_KEYWORDS.items():
    _PROGRAM_NAMES.setdefault(_program, _word)
_KIT_NAMES = {number: f"{name} kit" for name, number in reversed(DRUM_KITS.items())}


class Sound(NamedTuple):
    """A sound the director chose for a layer from the prompt's words: the words (for
    the clip prompt and MusicGen), its GM program (a bank-128 kit on the drums layer) and,
    for a hand drum or other percussion, its GM percussion key."""

    words: str
    program: int | None
    percussion: int | None = None


def spec_sounds(spec: SongSpec) -> dict[str, Sound]:
    """The sounds a SongSpec took from the prompt's words, by layer ('rhodes' → chords,
    '808 kit' → drums, 'tabla' → a percussion key on the drums layer, 'rain' → the
    texture layer's words); a layer the prompt only names ('bass') keeps the genre's
    sound."""
    found: dict[str, Sound] = {}
    for choice in spec.instruments:
        if not choice.named or choice.layer in found:
            continue
        if choice.source == "genre":
            if choice.layer == "texture":  # 'rain', 'vinyl crackle': the texture's words
                found["texture"] = Sound(choice.named, None)
        elif choice.kind == "percussion":
            found[choice.layer] = Sound(choice.named, None, choice.number)
        else:
            found[choice.layer] = Sound(_words(choice.named, choice.number, choice.substitute),
                                        choice.number)
    return found


def _words(named: str, program: int, substitute: bool) -> str:
    """The prompt's words for a sound, or the GM keyword of its program when they only
    name a layer ('pads' → 'warm pad')."""
    if substitute or find_program(named) is not None or find_drum_kit(named) is not None:
        return named
    return _PROGRAM_NAMES.get(program, named)


def _stand_in(layer: str, section: str, sounds: dict[str, Sound]) -> Sound | None:
    """The prompt's chords sound for a pad (or its pad sound for chords) in a section
    without the other harmony layer."""
    other = {"pad": "chords", "chords": "pad"}.get(layer)
    if other is None or other in SECTION_LAYERS[section]:
        return None
    return sounds.get(other)


def _default_sound(layer: str, genre: GenreProfile) -> str:
    if layer == "drums":
        return _KIT_NAMES.get(genre.instrumentation.drum_kit, "standard kit")
    if layer == "choir":
        return "choir"
    if layer == "vocals":
        return "voice"
    role = {"texture": "texture"}.get(layer, layer)
    program = genre.instrumentation.program_for(role)  # type: ignore[arg-type]
    return _PROGRAM_NAMES.get(program, "piano")


def _mood_words(prompt: str, role: str) -> str:
    """The prompt's vocabulary phrases that steer `role` (no instrument words)."""
    words = prompt_words(prompt)
    entries, _used = find_entries(words)
    phrases = [e.name for e in entries if role in e.roles]
    return " ".join(phrases)


def _role(layer: str) -> str:
    return {"choir": "pad"}.get(layer, layer)


def _loop_bars(layer: str, bars: int) -> int:
    """4-bar loops (a phrase of the composer's form); the last pass may be cut short. A
    sung line is not looped: it sings its section's lines over its whole length."""
    return bars if layer == "vocals" else min(4, bars)


def layer_words(section: str, sung: bool = False) -> dict[str, str]:
    """The layers of `section` and their clip prompts' first words; with a singer
    (`sung`), a vocals layer sings in SUNG_SECTIONS instead of the choir, the lead resting."""
    words = dict(SECTION_LAYERS[section])
    if not sung or section not in SUNG_SECTIONS:
        return words
    sung_words = f"{words.pop('choir', '')} {SUNG_SECTIONS[section]}".strip()
    words.pop("lead", None)
    return {**words, "vocals": sung_words}


def _listed(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def arrangement(name: str, layers: list[SectionLayer]) -> str:
    """The section's arrangement sentence, naming its sounds."""
    text, first, second = _SENTENCES[name]

    def sounds(parts: tuple[OrchestraPart, ...]) -> str:
        named = [la.instrument for part in parts for la in layers if la.part == part]
        return _listed(list(dict.fromkeys(named))) if named else "silence"

    return text.format(sounds(first), sounds(second))


def section_layers(name: str, bars: int, prompt: str, genre: GenreProfile,
                   sounds: dict[str, Sound], backends: dict[str, str],
                   left_out: Collection[str] = (), sung: bool = False) -> list[SectionLayer]:
    """The layers of section `name` (`bars` long): their sounds (`sounds`, from
    `spec_sounds`, else the genre's), clip prompts and backends (by layer). Layers in
    `left_out` ('no drums'; 'choir' leaves out the vocals too) do not play, unless the
    section would be left empty. `sung`: a singer sings (see `layer_words`)."""
    table = layer_words(name, sung)
    out = {*left_out, *(("vocals",) if "choir" in left_out else ())}
    playing = [la for la in table if la not in out]
    layers = []
    for layer in playing or list(table):
        words = table[layer]
        sound = sounds.get(layer) or _stand_in(layer, name, sounds)
        if sound is not None and sound.percussion is not None:  # a hand drum on the kit
            instrument = f"{_default_sound(layer, genre)} with {sound.words}"
        else:
            instrument = sound.words if sound is not None else _default_sound(layer, genre)
        mood = _mood_words(prompt, _role(layer))
        clip_prompt = " ".join(f"{words} {mood} {instrument}".split())
        layers.append(SectionLayer(name=layer, part=_LAYER_PART[layer], instrument=instrument,
                                   prompt=clip_prompt[:200], backend=backends[layer],
                                   loop_bars=_loop_bars(layer, bars),
                                   program=sound.program if sound is not None else None,
                                   percussion=sound.percussion if sound is not None else None))
    return layers


def orchestrate(layers: list[SectionLayer]) -> Orchestration:
    """Timbre's orchestration of a section: its sounds grouped by part."""
    return Orchestration(**{
        part: [f"{la.instrument} ({la.name})" for la in layers if la.part == part]
        for part in PARTS})
