"""The stage pipeline with state: direction → composition → arrangement → sound design →
mixing → mastering → QA → release. Each stage saves its spec (and audio) in the job's
folder as it completes; sound design saves each section as it is rendered. A run that
was killed or failed resumes from the first unfinished stage or section and, with
deterministic backends, ends with the same audio as an uninterrupted run."""

from __future__ import annotations

__all__ = ["ComposeResult", "QAFailed", "Runtime", "resume", "run_job", "start"]

import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from livetimbre import __version__
from livetimbre.errors import LivetimbreError, RenderError
from livetimbre.files.audio import write_audio
from livetimbre.files.write import write_json
from livetimbre.genres import GenreRegistry
from livetimbre.mastering import master
from livetimbre.music.notes import Part
from livetimbre.planner.longform import CompositionPlan, plan_track
from livetimbre.render.backends import Backends, split_spec
from livetimbre.track import analysis
from livetimbre.track.dsp import apply_eq, tilt_sos
from livetimbre.track.jobs import Job, new_job, open_job
from livetimbre.track.mixdown import mix_track
from livetimbre.track.progress import SectionProgress
from livetimbre.track.qa import check_track
from livetimbre.track.release import (
    NO_STORE,
    ArtifactSink,
    contained,
    file_record,
    keep_released,
    midi_tracks,
)
from livetimbre.track.request import ComposeRequest
from livetimbre.track.sections import clip_plans, part_from_json, part_to_json
from livetimbre.track.specs import (
    ArrangementSpec,
    ClipRecord,
    DirectionSpec,
    MasterSpec,
    MixSpec,
    QAReport,
    ReleasedFile,
    ReleaseSpec,
    SectionRender,
    SoundDesignSpec,
)
from livetimbre.track.storing import compose_recipe_hash, track_meta, track_tags

CEILING_DBTP = -1.0
TILT_DB, TILT_HZ = 1.0, 4000.0


class QAFailed(LivetimbreError):
    """QA failed a render; the report was written."""

    def __init__(self, message: str, report: QAReport, path: Path | None) -> None:
        super().__init__(message)
        self.report = report
        self.path = path


@dataclass
class Runtime:
    genres: GenreRegistry
    backends: Backends
    progress: SectionProgress = field(default_factory=SectionProgress)
    sink: ArtifactSink = NO_STORE


@dataclass
class ComposeResult:
    job: Job
    plan: CompositionPlan
    qa: QAReport
    files: list[ReleasedFile]
    seconds: float


# --- stages ---------------------------------------------------------------------------
def _direction(job: Job, rt: Runtime) -> DirectionSpec:
    r = job.request
    plan = plan_track(r.prompt, rt.genres, duration=r.duration, short=r.short, genre=r.genre,
                      key=r.key, meter=r.meter, seed=r.seed, backend=r.backend,
                      backend_for=r.backend_for)
    mood = [w for w in plan.theme.words if w not in plan.theme.ignored]
    return DirectionSpec(prompt=r.prompt, title=" ".join(r.prompt.split()[:6]).title(),
                         form=plan.form, genre=plan.genre, tempo=plan.tempo, key=plan.key,
                         meter=plan.meter, seed=plan.seed, requested_seconds=r.duration,
                         seconds=plan.seconds, mood=mood, theme=plan.theme, notes=plan.notes)


def _composition(job: Job, rt: Runtime) -> CompositionPlan:
    r = job.request
    d = job.load_spec("direction", DirectionSpec)
    plan = plan_track(r.prompt, rt.genres, duration=r.duration, short=r.short, genre=d.genre,
                      key=d.key, meter=d.meter, seed=d.seed, backend=r.backend,
                      backend_for=r.backend_for)
    return plan.model_copy(update={"notes": d.notes})


def _arrangement(job: Job, rt: Runtime) -> ArrangementSpec:
    plan = job.load_spec("composition", CompositionPlan)
    return ArrangementSpec(sample_rate=job.request.sample_rate,
                           clips=clip_plans(plan, rt.genres, job.request.sample_rate))


def _warm_up(specs: list[str], rt: Runtime) -> dict[str, float]:
    """Build each backend (the procedural one loads its SoundFont) and load each model,
    so section renders start without waiting for weights."""
    out = {}
    for spec in specs:
        started = time.perf_counter()
        backend = rt.backends.get(spec)
        name, model = split_spec(spec)
        if name == "musicgen":
            try:
                from livetimbre.render.backends.musicgen.loading import load_model

                load_model(model or str(getattr(backend, "model_id", "")))
            except Exception as exc:  # the render falls back and says why
                rt.progress.say(f"warm-up of {spec}: {type(exc).__name__}: {str(exc)[:160]}")
        out[spec] = round(time.perf_counter() - started, 3)
    return out


def _sound_design(job: Job, rt: Runtime) -> SoundDesignSpec:
    plan = job.load_spec("composition", CompositionPlan)
    arrangement = job.load_spec("arrangement", ArrangementSpec)
    done: list[SectionRender] = []
    spec_so_far: SoundDesignSpec | None = None
    if job.record.sections and job.spec_path("sound-design").exists():
        spec_so_far = job.load_spec("sound-design", SoundDesignSpec)
        done = [s for s in spec_so_far.sections if s.index in job.record.sections]
        rt.progress.say(f"resuming: {len(done)} of {len(plan.sections)} sections already "
                        "rendered")
    todo = [s for s in plan.sections if s.index not in {d.index for d in done}]
    specs = list(dict.fromkeys(c.backend for s in todo for c in arrangement.clips[s.index]))
    warm = {**(spec_so_far.warm_up if spec_so_far else {}), **_warm_up(specs, rt)}
    versions = dict(spec_so_far.backends) if spec_so_far else {}
    notes = list(spec_so_far.notes) if spec_so_far else []
    for section in todo:
        plans = arrangement.clips[section.index]
        started = time.perf_counter()
        rt.progress.section(section.index + 1, len(plan.sections), section.name)
        rt.progress.start(f"[{section.index + 1}/{len(plan.sections)}] {section.name} "
                          f"({section.bars} bars)")
        records = []
        for number, clip in enumerate(plans):
            backend = rt.backends.get(clip.backend)

            def report(fraction: float, number: int = number, count: int = len(plans)
                       ) -> None:
                rt.progress.update((number + fraction) / count)

            rendered = backend.render(clip, report)
            if backend.note and backend.note not in notes:
                notes.append(backend.note)
            versions[clip.backend] = backend.versions()
            job.save_array(f"s{section.index:02d}-{clip.layer}", rendered.audio)
            info = rendered.info
            records.append(ClipRecord(
                layer=clip.layer, recipe_hash=rendered.recipe_hash,
                backend=info.backend or split_spec(clip.backend)[0],
                fallback=bool(info.fallback),
                exact=rendered.audio.shape[0] == clip.frames, frames=rendered.audio.shape[0],
                info=_jsonable(info.sidecar()), part=part_to_json(rendered.part)))
        done.append(SectionRender(index=section.index, name=section.name, clips=records,
                                  seconds=round(time.perf_counter() - started, 3)))
        rt.progress.done(f"  {len(plans)} clips")
        # the spec first, then the record that names the section done
        job.save_spec("sound-design", SoundDesignSpec(warm_up=warm, backends=versions,
                                                      notes=notes, sections=done))
        job.update(sections=sorted({*job.record.sections, section.index}))
    return SoundDesignSpec(warm_up=warm, backends=versions, notes=notes,
                           sections=sorted(done, key=lambda s: s.index))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, float | int | str | bool) or value is None:
        return value if not (isinstance(value, float) and not math.isfinite(value)) else None
    if isinstance(value, np.generic):
        return _jsonable(value.item())
    return str(value)


def _mixing(job: Job, rt: Runtime) -> MixSpec:
    plan = job.load_spec("composition", CompositionPlan)
    arrangement = job.load_spec("arrangement", ArrangementSpec)
    sound = job.load_spec("sound-design", SoundDesignSpec)
    rt.progress.say("mixing: EQ, compression and reverb send per layer")
    result = mix_track(plan, rt.genres.get(plan.genre), arrangement.clips, sound,
                       lambda index, layer: job.load_array(f"s{index:02d}-{layer}"),
                       arrangement.sample_rate, keep_stems=job.request.stems is not None)
    job.save_array("mix", result.mix)
    for name, stem in result.stems.items():
        job.save_array(f"stem-{name}", stem)
    return result.spec


def _mastering(job: Job, rt: Runtime) -> MasterSpec:
    r = job.request
    plan = job.load_spec("composition", CompositionPlan)
    mix = job.load_array("mix")
    rate = r.sample_rate
    rt.progress.say("mastering: high tilt, loudness, true-peak limiter")
    audio = apply_eq(mix, tilt_sos(rate, TILT_DB, TILT_HZ))
    export_rate = r.export_sample_rate or rate
    if export_rate != rate:
        from scipy.signal import resample_poly

        g = math.gcd(export_rate, rate)
        audio = np.asarray(resample_poly(audio, export_rate // g, rate // g, axis=0),
                           np.float32)
    target = rt.genres.get(plan.genre).production.target_lufs
    result = master(audio, export_rate, target, CEILING_DBTP)
    job.save_array("master", result.audio)
    return MasterSpec(target_lufs=target, ceiling_dbtp=CEILING_DBTP, tilt_db=TILT_DB,
                      tilt_hz=TILT_HZ, sample_rate=export_rate, bit_depth=r.bit_depth,
                      format=r.format, input_lufs=round(result.input_lufs, 3),
                      gain_db=round(result.gain_db, 3), lufs=round(result.lufs, 3),
                      true_peak_dbtp=round(result.true_peak_db, 3),
                      max_limiter_reduction_db=round(result.max_reduction_db, 3))


def _parts(job: Job) -> dict[tuple[int, str], Part]:
    sound = job.load_spec("sound-design", SoundDesignSpec)
    out = {}
    for section in sound.sections:
        for clip in section.clips:
            part = part_from_json(clip.part)
            if part is not None:
                out[(section.index, clip.layer)] = part
    return out


def _qa(job: Job, rt: Runtime) -> QAReport:
    plan = job.load_spec("composition", CompositionPlan)
    arrangement = job.load_spec("arrangement", ArrangementSpec)
    mix = job.load_spec("mixing", MixSpec)
    spec = job.load_spec("mastering", MasterSpec)
    audio = job.load_array("master")
    rt.progress.say("QA: loudness, peaks, clipping, silence, bar grid, key and tempo")
    return check_track(audio, spec.sample_rate, plan, spec.target_lufs, spec.ceiling_dbtp,
                       mix, arrangement.clips, list(_parts(job).values()),
                       measured=(spec.lufs, spec.true_peak_dbtp))


def _paths(request: ComposeRequest) -> dict[str, Path]:
    out = Path(request.output)
    folder = out.parent
    stem = out.name.rsplit(".", 1)[0] if "." in out.name else out.name
    return {"audio": out, "sidecar": contained(folder, out.name + ".json", "sidecar"),
            "motif": contained(folder, f"{stem}.motif.wav", "motif"),
            "plan": contained(folder, f"{stem}.plan.json", "plan"),
            "recipe": contained(folder, f"{stem}.recipe.json", "recipe"),
            "qa": contained(folder, f"{stem}.qa.json", "QA report")}


def _release(job: Job, rt: Runtime) -> ReleaseSpec:
    r = job.request
    plan = job.load_spec("composition", CompositionPlan)
    arrangement = job.load_spec("arrangement", ArrangementSpec)
    sound = job.load_spec("sound-design", SoundDesignSpec)
    mix = job.load_spec("mixing", MixSpec)
    mastered = job.load_spec("mastering", MasterSpec)
    report = job.load_spec("qa", QAReport)
    audio = job.load_array("master")
    paths = _paths(r)
    rate = mastered.sample_rate
    files: list[tuple[Path, str]] = []
    rt.progress.say(f"release: writing {paths['audio'].name} and its companions")
    write_audio(paths["audio"], audio, rate, r.format, r.bit_depth)
    files.append((paths["audio"], "track"))
    motif_section = next((s for s in plan.sections if s.motif_seed), plan.sections[0])
    start, end = (round(f * rate / mix.sample_rate)
                  for f in mix.section_frames[motif_section.index])
    motif_audio = audio[start:end]
    write_audio(paths["motif"], motif_audio, rate, "wav", r.bit_depth)
    files.append((paths["motif"], "motif"))
    key, key_r = analysis.estimate_key(motif_audio, rate)
    motif = {"section": motif_section.name, "path": str(paths["motif"]),
             "start_s": round(start / rate, 4), "seconds": round((end - start) / rate, 4),
             "seed": motif_section.seed, "tempo": plan.tempo, "key": plan.key,
             "spectral": {**analysis.spectral(motif_audio, rate),
                          "tempo_estimate_bpm": analysis.estimate_tempo(motif_audio, rate),
                          "key_estimate": key, "key_correlation": key_r}}
    parts = _parts(job)
    tracks = midi_tracks(plan, arrangement.clips, parts)
    if r.stems is not None:
        folder = Path(r.stems)
        for name in mix.layers:
            path = contained(folder, f"{name}.wav", "--stems")
            gain = np.float32(10 ** (mastered.gain_db / 20))
            write_audio(path, job.load_array(f"stem-{name}") * gain, mix.sample_rate, "wav",
                        32, r.export_sample_rate)
            files.append((path, f"stem:{name}"))
    if r.midi is not None:
        from livetimbre.compose.midi import write_midi
        from livetimbre.music.theory import parse_meter

        write_midi(Path(r.midi), tracks, plan.tempo, parse_meter(plan.meter))
        files.append((Path(r.midi), "midi"))
    if r.png is not None:
        from livetimbre.pictures.track import draw_track

        curves = {"momentary (400 ms)": analysis.loudness_curve(audio, rate, 0.4),
                  "short-term (3 s)": analysis.loudness_curve(audio, rate, 3.0)}
        draw_track(Path(r.png), audio, rate, plan, tracks, curves, mastered.target_lufs)
        files.append((Path(r.png), "picture"))
    write_json(paths["plan"], plan.model_dump(mode="json"))
    files.append((paths["plan"], "plan"))
    recipe = {"livetimbre": __version__, "kind": "compose-recipe", "plan_version": "v3",
              "request": r.model_dump(mode="json"), "backends": sound.backends,
              "clips": [[c.recipe_hash for c in s.clips] for s in sound.sections],
              "direction": job.load_spec("direction", DirectionSpec).model_dump(mode="json"),
              "plan": plan.model_dump(mode="json")}
    write_json(paths["recipe"], recipe)
    files.append((paths["recipe"], "recipe"))
    write_json(paths["qa"], report.model_dump(mode="json"))
    files.append((paths["qa"], "qa"))
    sections = []
    for section, render, (s_start, s_end) in zip(plan.sections, sound.sections,
                                                 mix.section_frames, strict=True):
        sections.append({
            "name": section.name, "bars": section.bars, "start_bar": section.start_bar,
            "start_s": round(s_start / mix.sample_rate, 6),
            "seconds": round((s_end - s_start) / mix.sample_rate, 6),
            "arrangement": section.arrangement,
            "orchestration": section.orchestration.model_dump(),
            "backends": sorted({c.backend for c in render.clips}),
            "placeholder": any(c.fallback for c in render.clips),
            "render_seconds": render.seconds,
            "clips": [{"layer": c.layer, "backend": c.backend, "fallback": c.fallback,
                       "recipe_hash": c.recipe_hash, **c.info} for c in render.clips]})
    sidecar = {
        "livetimbre": __version__, "kind": "compose", "job": job.id,
        "file": {"path": str(paths["audio"]), "format": r.format, "sample_rate": rate,
                 "bit_depth": r.bit_depth},
        "sample_rate": rate, "frames": int(audio.shape[0]),
        "duration_s": round(audio.shape[0] / rate, 6), "plan": plan.model_dump(mode="json"),
        "recipe": recipe, "sections": sections,
        "mix": {"section_rms": mix.section_rms,
                "crossfades": [t.model_dump() for t in mix.crossfades],
                "target_rms": mix.target_rms, "sample_rate": rate,
                "mix_sample_rate": mix.sample_rate,
                "layers": {k: v.model_dump() for k, v in mix.layers.items()},
                "reverb": mix.reverb.model_dump(), "gain_db": mix.gain_db},
        "mastering": mastered.model_dump(), "motif_seed": motif, "qa": report.model_dump(),
        "warm_up": sound.warm_up, "notes": [*plan.notes, *sound.notes],
        "files": {kind: str(path) for path, kind in files},
    }
    ids = keep_released(rt.sink, files, track_meta=track_meta(sidecar, report),
                        recipe=recipe, recipe_hash=compose_recipe_hash(recipe),
                        tags=track_tags(plan, job.id, r.format),
                        clip_hashes=[c.recipe_hash for s in sound.sections for c in s.clips])
    sidecar["artifacts"] = ids
    write_json(paths["sidecar"], sidecar)
    if ids:
        rt.sink.add(paths["sidecar"], "sidecar", name=paths["sidecar"].name,
                    meta={"file": paths["sidecar"].name, "track": ids["track"]},
                    tags=track_tags(plan, job.id, r.format), parents=[ids["track"]])
    if rt.sink.problem:
        rt.progress.warn(rt.sink.problem)
    files.append((paths["sidecar"], "sidecar"))
    records = [file_record(path, kind) for path, kind in files]
    return ReleaseSpec(released=True, files=records)


def _qa_failed(job: Job, report: QAReport) -> QAFailed:
    path = _paths(job.request)["qa"]
    write_json(path, report.model_dump(mode="json"))
    message = (f"QA failed the track, so it was not released: {'; '.join(report.failures)}. "
               f"The report is in {path} (and job {job.id}); --qa warn releases anyway.")
    return QAFailed(message, report, path)


_STAGES = {"direction": _direction, "composition": _composition,
           "arrangement": _arrangement, "sound-design": _sound_design, "mixing": _mixing,
           "mastering": _mastering, "qa": _qa, "release": _release}


def run_job(job: Job, rt: Runtime) -> ComposeResult:
    """Run `job`'s unfinished stages in order."""
    started = time.perf_counter()
    job.update(state="running", error=None)
    try:
        while (stage := job.record.next_stage) is not None:
            rt.progress.stage(stage)
            spec = _STAGES[stage](job, rt)
            if stage == "qa":
                assert isinstance(spec, QAReport)
                job.save_spec("qa", spec)
                if not spec.passed:
                    if job.request.qa == "fail":
                        raise _qa_failed(job, spec)
                    rt.progress.say("QA failed (released anyway, --qa warn): "
                                    + "; ".join(spec.failures))
                for warning in spec.warnings:
                    rt.progress.say(f"QA warning: {warning}")
            job.finish_stage(stage, spec)
    except QAFailed as exc:
        job.update(state="qa-failed", error=str(exc))
        raise
    except LivetimbreError as exc:
        job.update(state="failed", error=str(exc))
        raise
    except KeyboardInterrupt:
        job.update(state="failed", error="interrupted")
        raise
    except Exception as exc:
        job.update(state="failed", error=f"{type(exc).__name__}: {exc}")
        raise RenderError(f"Job {job.id} failed: {type(exc).__name__}: {exc} "
                          f"(livetimbre compose --resume {job.id} retries).") from exc
    job.drop_audio()
    job.update(state="done")
    plan = job.load_spec("composition", CompositionPlan)
    return ComposeResult(job, plan, job.load_spec("qa", QAReport),
                         job.load_spec("release", ReleaseSpec).files,
                         time.perf_counter() - started)


def start(request: ComposeRequest, home: Path, rt: Runtime) -> ComposeResult:
    job = new_job(home, request)
    rt.progress.say(f"job {job.id} (livetimbre compose --resume {job.id} continues it)")
    return run_job(job, rt)


def resume(job_id: str, home: Path, rt: Runtime) -> ComposeResult:
    job = open_job(home, job_id)
    if job.record.state == "done":
        raise RenderError(f"Job {job_id} is already done: its files are listed in "
                          f"{job.spec_path('release')}.")
    rt.progress.say(f"resuming job {job_id} at {job.record.next_stage}")
    return run_job(job, rt)
