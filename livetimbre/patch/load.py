"""Loading a patch file into a Session, with every error pointing at file:line:column."""

from __future__ import annotations

__all__ = ["load_patch", "parse_patch", "patch_to_session"]

from dataclasses import replace
from pathlib import Path

from livetimbre.errors import GenreError, LivetimbreError, PatchError, ValueProblem
from livetimbre.files.quoting import shown_key
from livetimbre.files.read import LYRICS_LIMIT, read_user_text, shown_path
from livetimbre.files.yamlsource import LocatedYaml, load_yaml, validate_located
from livetimbre.genres import GenreRegistry
from livetimbre.music.effects import FX
from livetimbre.music.theory import parse_key
from livetimbre.music.values import DEFAULT_RELEASE_MS, check_lyrics
from livetimbre.patch.schema import ClipSpec, MapEntry, PatchFile
from livetimbre.patterns import PatternError
from livetimbre.patterns.voicing import check_values
from livetimbre.session.learnable import resolve
from livetimbre.session.mapping import Binding, Control
from livetimbre.session.model import ClipSlot, Layer, PatternRef, SampleRef, Scene, Session


def _absolute(path: str, base: Path | None) -> str:
    """A patch's path made absolute: relative ones are relative to the patch's folder."""
    given = Path(path).expanduser()
    return str(given if given.is_absolute() else ((base or Path.cwd()) / given).absolute())


def _slot(clip: ClipSpec, base: Path | None, lyrics: str | None) -> ClipSlot:
    sample = None if clip.sample is None else SampleRef(_absolute(clip.sample, base),
                                                         clip.bpm, clip.key)
    pattern = None if clip.pattern is None else PatternRef(
        clip.pattern, clip.vel, clip.gate, clip.cycles if clip.cycles is not None else "1")
    return ClipSlot(clip.prompt or "", clip.bars, clip.seed, clip.continues, lyrics, sample,
                    pattern)


def _check_patterns(session: Session, located: LocatedYaml) -> None:
    """Each pattern clip's values are sounds its layer can play (drum names on drums)."""
    key = parse_key(session.key)
    for index, scene in enumerate(session.scenes):
        for name, slot in scene.clips.items():
            if slot.pattern is not None:
                try:
                    check_values(slot.pattern.text, session.layer(name).role, key)
                except PatternError as exc:
                    where = located.where(("scenes", index, "clips", name, "pattern"))
                    raise PatchError(f"{where}: {exc}") from None


def _check_references(patch: PatchFile, located: LocatedYaml) -> None:
    names = list(patch.layers)
    seen: set[str] = set()
    for index, scene in enumerate(patch.scenes):
        if scene.name in seen:
            where = located.where(("scenes", index, "name"))
            raise PatchError(f"{where}: scene name '{scene.name}' is used twice.")
        seen.add(scene.name)
        for layer in scene.clips:
            if layer not in patch.layers:
                where = located.where(("scenes", index, "clips", layer))
                raise PatchError(
                    f"{where}: scene '{scene.name}' has a clip for unknown layer "
                    f"{shown_key(layer)} (layers: {', '.join(names)})."
                )
    clips = {f"{layer}@{scene.name}" for scene in patch.scenes for layer in scene.clips}
    for index, scene in enumerate(patch.scenes):
        for layer, clip in scene.clips.items():
            if clip.continues is not None and clip.continues not in clips:
                where = located.where(("scenes", index, "clips", layer, "continue"))
                raise PatchError(f"{where}: 'continue: {clip.continues}' names no clip of "
                                 "this patch (LAYER@SCENE).")


def _lyrics(clip: ClipSpec, located: LocatedYaml, at: tuple[str | int, ...]) -> str | None:
    """A clip's own words: `lyrics`, or the text of `lyrics_file` (beside the patch when
    relative; a regular file of at most LYRICS_LIMIT bytes, never echoed)."""
    if clip.lyrics_file is None:
        return clip.lyrics
    where = located.where((*at, "lyrics_file"))
    if clip.lyrics is not None:
        raise PatchError(f"{where}: give lyrics or lyrics_file, not both.")
    path = Path(clip.lyrics_file).expanduser()
    if not path.is_absolute():
        path = Path(located.source).parent / path
    text = read_user_text(path, f"{where}: lyrics file", PatchError, LYRICS_LIMIT)
    try:
        return check_lyrics(text, f"{where}: lyrics file {shown_path(path)}").strip() or None
    except ValueProblem as exc:
        raise PatchError(str(exc)) from None


def _control(entry: MapEntry) -> Control:
    if entry.osc is not None:
        return Control("osc", address=entry.osc)
    if entry.cc is not None:
        return Control("cc", entry.channel, entry.cc)
    return Control("note", entry.channel, entry.note or 0)


def _midi_map(patch: PatchFile, session: Session, located: LocatedYaml
              ) -> tuple[Binding, ...]:
    """The patch's `midi_map:`, each target checked against the session it maps."""
    bindings: dict[Control, Binding] = {}
    for index, entry in enumerate(patch.midi_map):
        try:
            binding = Binding(_control(entry), entry.target, entry.encoder, entry.takeover)
            resolve(binding.target, session)
        except LivetimbreError as exc:
            raise PatchError(f"{located.where(('midi_map', index))}: {exc}") from None
        if binding.control in bindings:
            where = located.where(("midi_map", index))
            raise PatchError(f"{where}: {binding.control} is mapped twice.")
        bindings[binding.control] = binding
    return tuple(bindings.values())


def _off_default(fx: dict[str, float]) -> dict[str, float]:
    """The effect values that differ from their default (what a Session keeps)."""
    return {name: value for name, value in fx.items() if value != FX[name].default}


def patch_to_session(patch: PatchFile, genres: GenreRegistry, located: LocatedYaml,
                     base: Path | None = None) -> Session:
    """Build the Session a patch describes; the genre fills in what the patch leaves out.
    Relative paths of samples and kits are relative to `base` (the patch's folder)."""
    try:
        genre = genres.get(patch.session.genre)
    except GenreError as exc:
        raise PatchError(f"{located.where(('session', 'genre'))}: {exc}") from None
    spec = patch.session
    layers = tuple(
        Layer(name, (s.instrument if s else ""), (s.gain if s else 0.0), bool(s and s.mute),
              bool(s and s.solo), s.backend if s else None,
              s.release if s else DEFAULT_RELEASE_MS, dict(s.sampling) if s else {},
              kit=_absolute(s.kit, base) if s and s.kit else None,
              fx=_off_default(s.fx) if s else {})
        for name, s in patch.layers.items()
    )
    scenes = tuple(
        Scene(
            scene.name,
            {layer: _slot(clip, base, _lyrics(clip, located, ("scenes", index, "clips", layer)))
             for layer, clip in scene.clips.items()},
            scene.bars,
        )
        for index, scene in enumerate(patch.scenes)
    )
    session = Session(
        tempo=spec.tempo if spec.tempo is not None else genre.rhythm.tempo,
        key=spec.key or genre.harmony.common_keys[0],
        meter=spec.meter or genre.rhythm.time_signatures[0],
        genre=genre.id,
        seed=spec.seed,
        quantize=spec.quantize,
        bars=spec.bars,
        layers=layers,
        scenes=scenes,
        controller=patch.controller,
        backend=spec.backend,
        sampling=dict(spec.sampling),
        duration=spec.duration,
        director=spec.director,
        render_server=spec.render_server,
        fx=_off_default(patch.fx),
    )
    _check_patterns(session, located)
    return replace(session, midi_map=_midi_map(patch, session, located))


def parse_patch(text: str, source: str, genres: GenreRegistry, base: Path | None = None
                ) -> Session:
    """Parse patch YAML text (named `source` in errors) into a Session; relative paths
    of samples and kits are relative to `base` (else the working folder)."""
    located = load_yaml(text, source, PatchError)
    if located.data is not None and not isinstance(located.data, dict):
        raise PatchError(f"{located.where(())}: a patch must be a mapping with session, "
                         "layers and scenes.")
    patch = validate_located(PatchFile, located, "patch", PatchError)
    _check_references(patch, located)
    return patch_to_session(patch, genres, located, base)


def load_patch(path: Path, genres: GenreRegistry) -> Session:
    """Load and validate a patch file."""
    return parse_patch(read_user_text(path, "patch file", PatchError), str(path), genres,
                       path.parent.absolute())
