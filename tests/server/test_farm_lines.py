"""`livetimbre farm FILE`'s lines, checked before anything runs: a bad line is named by
its number and its bad token, never by the rest of the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from livetimbre.cli import main
from livetimbre.cli.farm import _jobs
from livetimbre.remote.models import TrackRequest, job_id_of

SECRET = "never-shown-words"


def _refused(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> str:
    farm = tmp_path / "album.txt"
    farm.write_text(text)
    assert main(["farm", str(farm), "--out", str(tmp_path / "out")]) == 2
    said = capsys.readouterr().err
    assert SECRET not in said and not (tmp_path / "out").exists()
    return said


@pytest.mark.parametrize(("line", "problem"), [
    (f'"{SECRET}" --stems stems', "line 3: --stems is not for a farm line"),
    (f'"{SECRET}" -o x.wav', "line 3: --output is not for a farm line"),
    (f'"{SECRET}" --duration soon', "line 3: argument --duration: invalid float value"),
    (f'"{SECRET}" --nosuch', "line 3: unrecognized arguments: --nosuch"),
    (f'"{SECRET} --short', "line 3: No closing quotation"),
    (f'"{SECRET}" --genre "Not A Genre"', "line 3: genre: String should match pattern"),
    ("--duration 30", "line 3: a compose line needs a PROMPT"),
    ("missing.yaml --bars 2", "line 3: patch file not found"),  # the bad token, shown
    (f'"{SECRET}" -h', "line 3: help is not a job"),
])
def test_a_bad_line_is_named_by_number(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       line: str, problem: str) -> None:
    said = _refused(tmp_path, f"# the album\n\"a good one\" --short\n{line}\n", capsys)
    assert f"album.txt {problem}" in said, said


def test_a_file_with_no_job_is_refused(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert "holds no job" in _refused(tmp_path, "# nothing\n\n", capsys)


def test_a_compose_line_is_the_servers_job(tmp_path: Path) -> None:
    farm = tmp_path / "album.txt"
    farm.write_text('"night drive" --duration 30 --short --seed 3 --genre synthwave\n'
                    "\n'warm pad' --backend musicgen:facebook/musicgen-small\n")
    first, second = _jobs(farm)
    assert (first.line, second.line) == (1, 3)
    assert first.job_id == job_id_of(TrackRequest(
        kind="track", prompt="night drive", duration=30, short=True, seed=3,
        genre="synthwave"))
    assert TrackRequest.model_validate_json(second.request).model == "facebook/musicgen-small"


def test_a_patch_lines_id_follows_its_text_and_options(tmp_path: Path) -> None:
    (tmp_path / "set.yaml").write_text("session: {tempo: 100}\n")
    farm = tmp_path / "album.txt"
    farm.write_text("set.yaml --bars 2\nset.yaml --bars 4\nset.yaml --bars 2\n")
    one, other, same = _jobs(farm)
    assert one.job_id == same.job_id != other.job_id and one.kind == "patch"
    (tmp_path / "set.yaml").write_text("session: {tempo: 101}\n")
    assert _jobs(farm)[0].job_id != one.job_id
