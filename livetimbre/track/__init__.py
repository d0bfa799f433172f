"""Long-form tracks: AETHER's stage pipeline around Timbre's orchestrator.

A `ComposeRequest` goes through creative direction → composition (planner v3) →
arrangement (v4 clip plans) → sound design (section renders) → mixing → mastering →
QA → release; each stage's spec is saved in the job's folder as it completes, so a
killed or failed run resumes where it stopped (`livetimbre compose --resume ID`).
"""
