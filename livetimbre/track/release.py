"""Release (AETHER), the last stage of a compose run: write the track, its motif, the
companions asked for (stems, MIDI, picture: see livetimbre.outputs), the plan, recipe
and QA report, and the sidecar, each atomically; keep a copy of each in the artifact
store (track.sink). Every file derived from the track's name must stay in its folder."""

from __future__ import annotations

__all__ = ["file_record", "midi_tracks", "release"]

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from livetimbre import __version__
from livetimbre.files.audio import write_audio
from livetimbre.files.write import write_json
from livetimbre.music.notes import Part
from livetimbre.music.theory import parse_meter
from livetimbre.outputs import (
    Companions,
    NoteTracks,
    companion_entries,
    write_companions,
    write_lrc,
    write_sidecar,
)
from livetimbre.planner.clip import ClipPlan
from livetimbre.planner.trackplan import CompositionPlan
from livetimbre.track import analysis, stages
from livetimbre.track.jobs import Job
from livetimbre.track.requesting import release_paths
from livetimbre.track.runtime import Runtime
from livetimbre.track.sink import keep_released
from livetimbre.track.specs import (
    ArrangementSpec,
    DirectionSpec,
    MasterSpec,
    MixSpec,
    QAReport,
    ReleasedFile,
    ReleaseSpec,
    SoundDesignSpec,
)
from livetimbre.track.storing import compose_recipe_hash, track_meta, track_tags
from livetimbre.track.vocals import track_lines, track_syllables
from livetimbre.voice.lrc import lrc_text
from livetimbre.voice.lyrics import LyricSpec
from livetimbre.voice.score import LyricLine


def file_record(path: Path, kind: str) -> ReleasedFile:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return ReleasedFile(kind=kind, path=str(path), bytes=size, sha256=digest.hexdigest())


def midi_tracks(plan: CompositionPlan, clips: Sequence[Sequence[ClipPlan]],
                parts: dict[tuple[int, str], Part]) -> list[tuple[str, float, Part]]:
    """(layer, start beat, part) for every loop pass of every section, the last pass of a
    section cut at its end."""
    beats_per_bar = int(plan.meter.split("/")[0])
    out = []
    for section, section_clips in zip(plan.sections, clips, strict=True):
        for clip in section_clips:
            part = parts.get((section.index, clip.layer))
            if part is None:
                continue
            for offset in range(0, section.bars, clip.bars):
                remaining = (section.bars - offset) * beats_per_bar
                cut = part if remaining >= part.beats else replace(
                    part, beats=float(remaining),
                    notes=tuple(n for n in part.notes if n.start < remaining))
                out.append((clip.layer, float((section.start_bar + offset) * beats_per_bar),
                            cut))
    return out


def _motif(path: Path, audio: np.ndarray, rate: int, plan: CompositionPlan, mix: MixSpec,
           bit_depth: int) -> dict[str, Any]:
    """Write the motif section as its own WAV; what the sidecar says of it."""
    section = next((s for s in plan.sections if s.motif_seed), plan.sections[0])
    start, end = (round(f * rate / mix.sample_rate) for f in mix.section_frames[section.index])
    motif = audio[start:end]
    write_audio(path, motif, rate, "wav", bit_depth)
    key, key_r = analysis.estimate_key(motif, rate)
    return {"section": section.name, "path": str(path), "start_s": round(start / rate, 4),
            "seconds": round((end - start) / rate, 4), "seed": section.seed,
            "tempo": plan.tempo, "key": plan.key,
            "spectral": {**analysis.spectral(motif, rate),
                         "tempo_estimate_bpm": analysis.estimate_tempo(motif, rate),
                         "key_estimate": key, "key_correlation": key_r}}


def _sections(plan: CompositionPlan, sound: SoundDesignSpec, mix: MixSpec
              ) -> list[dict[str, Any]]:
    rate = mix.sample_rate
    return [{
        "name": section.name, "bars": section.bars, "start_bar": section.start_bar,
        "start_s": round(start / rate, 6), "seconds": round((end - start) / rate, 6),
        "arrangement": section.arrangement,
        "orchestration": section.orchestration.model_dump(),
        "backends": sorted({c.backend for c in render.clips}),
        "placeholder": any(c.fallback for c in render.clips),
        "render_seconds": render.seconds,
        "clips": [{"layer": c.layer, "backend": c.backend, "fallback": c.fallback,
                   "recipe_hash": c.recipe_hash, **c.info} for c in render.clips]}
        for section, render, (start, end) in zip(plan.sections, sound.sections,
                                                 mix.section_frames, strict=True)]


def _mix_entry(mix: MixSpec, rate: int) -> dict[str, Any]:
    return {"section_rms": mix.section_rms,
            "crossfades": [t.model_dump() for t in mix.crossfades],
            "target_rms": mix.target_rms, "sample_rate": rate,
            "mix_sample_rate": mix.sample_rate,
            "layers": {k: v.model_dump() for k, v in mix.layers.items()},
            "reverb": mix.reverb.model_dump(), "gain_db": mix.gain_db}


def _lyrics_entry(lyrics: LyricSpec | None, lines: list[LyricLine]) -> dict[str, Any]:
    """The sidecar's `lyrics` (the song's LyricSpec) and `sung_lines` (each line as sung,
    its start in beats), when the track sings."""
    if lyrics is None:
        return {}
    return {"lyrics": lyrics.model_dump(mode="json"),
            "sung_lines": [{"start_beat": x.start, "text": x.text, "section": x.section}
                           for x in lines]}


def release(job: Job, rt: Runtime) -> ReleaseSpec:
    """Write and keep every file of the run; the list of them, with their hashes."""
    r = job.request
    plan = job.load_spec("composition", CompositionPlan)
    arrangement = job.load_spec("arrangement", ArrangementSpec)
    sound = job.load_spec("sound-design", SoundDesignSpec)
    mix = job.load_spec("mixing", MixSpec)
    mastered = job.load_spec("mastering", MasterSpec)
    report = job.load_spec("qa", QAReport)
    audio = job.load_array("master")
    paths = release_paths(r)
    rate = mastered.sample_rate
    rt.progress.say(f"release: writing {paths['audio'].name} and its companions")
    write_audio(paths["audio"], audio, rate, r.format, r.bit_depth)
    motif = _motif(paths["motif"], audio, rate, plan, mix, r.bit_depth)
    files: list[tuple[Path, str]] = [(paths["audio"], "track"), (paths["motif"], "motif")]
    tracks = midi_tracks(plan, arrangement.clips, stages.parts(job))
    gain = np.float32(10 ** (mastered.gain_db / 20))

    def stems() -> Iterator[tuple[str, np.ndarray]]:
        for name in mix.layers:
            yield name, job.load_array(f"stem-{name}") * gain

    def picture(path: Path) -> None:
        from livetimbre.pictures.track import draw_track

        curves = {"momentary (400 ms)": analysis.loudness_curve(audio, rate, 0.4),
                  "short-term (3 s)": analysis.loudness_curve(audio, rate, 3.0)}
        draw_track(path, audio, rate, plan, tracks, curves, mastered.target_lufs)

    asked = Companions(Path(r.stems) if r.stems else None, Path(r.midi) if r.midi else None,
                       Path(r.png) if r.png else None)
    written = write_companions(asked, stems=stems, stem_rate=mix.sample_rate,
                               notes=NoteTracks(tracks, plan.tempo, plan.meter,
                                                track_syllables(plan, sound)),
                               picture=picture, export_rate=r.export_sample_rate)
    lines = track_lines(plan, sound)
    if lines:  # the synchronised lyrics beside the track
        title = job.load_spec("direction", DirectionSpec).title
        written.append(write_lrc(paths["audio"], lrc_text(lines, plan.tempo,
                                                          parse_meter(plan.meter),
                                                          title=title)))
    files += written
    write_json(paths["plan"], plan.model_dump(mode="json"))
    recipe = {"livetimbre": __version__, "kind": "compose-recipe", "plan_version": "v3",
              "request": r.model_dump(mode="json"), "backends": sound.backends,
              "clips": [[c.recipe_hash for c in s.clips] for s in sound.sections],
              "direction": job.load_spec("direction", DirectionSpec).model_dump(mode="json"),
              "plan": plan.model_dump(mode="json")}
    write_json(paths["recipe"], recipe)
    write_json(paths["qa"], report.model_dump(mode="json"))
    files += [(paths["plan"], "plan"), (paths["recipe"], "recipe"), (paths["qa"], "qa")]
    sidecar = {
        "livetimbre": __version__, "kind": "compose", "job": job.id,
        "file": {"path": str(paths["audio"]), "format": r.format, "sample_rate": rate,
                 "bit_depth": r.bit_depth},
        "sample_rate": rate, "frames": int(audio.shape[0]),
        "duration_s": round(audio.shape[0] / rate, 6), "plan": plan.model_dump(mode="json"),
        "recipe": recipe, "sections": _sections(plan, sound, mix),
        "mix": _mix_entry(mix, rate), "mastering": mastered.model_dump(),
        "motif_seed": motif, "qa": report.model_dump(), "warm_up": sound.warm_up,
        "notes": [*plan.notes, *sound.notes], **companion_entries(written),
        **_lyrics_entry(arrangement.lyrics, lines),
        "files": {kind: str(path) for path, kind in files},
    }
    tags = track_tags(plan, job.id, r.format)
    ids = keep_released(rt.sink, files, track_meta=track_meta(sidecar, report),
                        recipe=recipe, recipe_hash=compose_recipe_hash(recipe), tags=tags,
                        clip_hashes=[c.recipe_hash for s in sound.sections for c in s.clips])
    sidecar["artifacts"] = ids
    sidecar_file = write_sidecar(paths["audio"], sidecar)
    if ids:
        rt.sink.add(sidecar_file, "sidecar", name=sidecar_file.name,
                    meta={"file": sidecar_file.name, "track": ids["track"]},
                    tags=tags, parents=[ids["track"]])
    if rt.sink.problem:
        rt.progress.warn(rt.sink.problem)
    files.append((sidecar_file, "sidecar"))
    return ReleaseSpec(released=True, files=[file_record(path, kind) for path, kind in files])
