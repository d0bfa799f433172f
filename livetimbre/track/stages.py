"""The stages of a compose run before its release: direction → composition →
arrangement → sound design → mixing → mastering → QA. Each takes the job (the specs and
audio of the stages before it, saved in its folder) and the runtime, and returns its own
spec; sound design saves each section as it is rendered, so a stopped run resumes at the
first section not done."""

from __future__ import annotations

__all__ = ["CEILING_DBTP", "arrangement", "composition", "direction", "mastering", "mixing",
           "parts", "qa", "sound_design"]

import math
import time
from typing import Any

import numpy as np

from livetimbre.mastering import master
from livetimbre.music.notes import Part
from livetimbre.planner.longform import plan_track
from livetimbre.planner.trackplan import CompositionPlan
from livetimbre.render.backends import split_spec
from livetimbre.track.dsp import apply_eq, tilt_sos
from livetimbre.track.jobs import Job
from livetimbre.track.mixdown import mix_track
from livetimbre.track.qa import check_track
from livetimbre.track.requesting import plan_request
from livetimbre.track.runtime import Runtime
from livetimbre.track.sections import clip_plans, part_from_json, part_to_json
from livetimbre.track.specs import (
    ArrangementSpec,
    ClipRecord,
    DirectionSpec,
    MasterSpec,
    MixSpec,
    QAReport,
    SectionRender,
    SoundDesignSpec,
)
from livetimbre.track.vocals import sing_song, singer_sings

CEILING_DBTP = -1.0
TILT_DB, TILT_HZ = 1.0, 4000.0


def direction(job: Job, rt: Runtime) -> DirectionSpec:
    r = job.request
    plan = plan_request(r, rt.genres)
    mood = [w for w in plan.theme.words if w not in plan.theme.ignored]
    return DirectionSpec(prompt=r.prompt, title=" ".join(r.prompt.split()[:6]).title(),
                         form=plan.form, genre=plan.genre, tempo=plan.tempo, key=plan.key,
                         meter=plan.meter, seed=plan.seed, requested_seconds=r.duration,
                         seconds=plan.seconds, mood=mood, theme=plan.theme, notes=plan.notes,
                         spec=plan.spec)


def composition(job: Job, rt: Runtime) -> CompositionPlan:
    r = job.request
    d = job.load_spec("direction", DirectionSpec)
    plan = plan_track(r.prompt, rt.genres, duration=r.duration, short=r.short, genre=d.genre,
                      key=d.key, meter=d.meter, seed=d.seed, backend=r.backend,
                      backend_for=r.backend_for, director=r.director, spec=d.spec,
                      sung=singer_sings())
    return plan.model_copy(update={"notes": d.notes})


def arrangement(job: Job, rt: Runtime) -> ArrangementSpec:
    plan = job.load_spec("composition", CompositionPlan)
    clips = clip_plans(plan, rt.genres, job.request.sample_rate)
    clips, lyrics = sing_song(plan, rt.genres.get(plan.genre), clips, job.request.lyrics)
    return ArrangementSpec(sample_rate=job.request.sample_rate, clips=clips, lyrics=lyrics)


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


def sound_design(job: Job, rt: Runtime) -> SoundDesignSpec:
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


def mixing(job: Job, rt: Runtime) -> MixSpec:
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


def mastering(job: Job, rt: Runtime) -> MasterSpec:
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


def parts(job: Job) -> dict[tuple[int, str], Part]:
    sound = job.load_spec("sound-design", SoundDesignSpec)
    out = {}
    for section in sound.sections:
        for clip in section.clips:
            part = part_from_json(clip.part)
            if part is not None:
                out[(section.index, clip.layer)] = part
    return out


def qa(job: Job, rt: Runtime) -> QAReport:
    plan = job.load_spec("composition", CompositionPlan)
    arrangement = job.load_spec("arrangement", ArrangementSpec)
    mix = job.load_spec("mixing", MixSpec)
    spec = job.load_spec("mastering", MasterSpec)
    audio = job.load_array("master")
    rt.progress.say("QA: loudness, peaks, clipping, silence, bar grid, key and tempo")
    return check_track(audio, spec.sample_rate, plan, spec.target_lufs, spec.ceiling_dbtp,
                       mix, arrangement.clips, list(parts(job).values()),
                       measured=(spec.lufs, spec.true_peak_dbtp))
