"""The API's contract: the documented schemas are the models, job ids come from the
canonical request, and neither `import livetimbre` nor `livetimbre --help` loads the
server's libraries."""

from __future__ import annotations

import ast
import json
import subprocess
import sys

import pytest
from pydantic import ValidationError

from livetimbre.remote.models import GenerationRequest, job_id_of, schemas
from tests.server.conftest import REPO

SCHEMAS = REPO / "docs" / "schemas"
SERVER_LIBRARIES = ("fastapi", "uvicorn", "starlette", "prometheus_client", "httpx")


@pytest.mark.parametrize("name", sorted(schemas()))
def test_the_documented_schema_is_the_model(name: str) -> None:
    documented = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    assert documented == schemas()[name]


def test_the_request_schema_offers_clips_and_tracks() -> None:
    schema = schemas()["generation_request.json"]
    assert schema["discriminator"]["propertyName"] == "kind"
    assert set(schema["discriminator"]["mapping"]) == {"clip", "track"}


def _request(body: dict[str, object]) -> str:
    return job_id_of(GenerationRequest.model_validate(body).root)


def test_a_job_id_is_the_canonical_request_not_its_spelling() -> None:
    base = {"kind": "clip", "prompt": "warm pad", "bars": 2}
    same = {"bars": 2.0, "prompt": "warm pad", "kind": "clip", "layer": "lead",
            "backend": "procedural", "sampling": {}}
    assert _request(base) == _request(same)
    assert len(_request(base)) == 64 and int(_request(base), 16) >= 0
    for change in ({"bars": 3}, {"seed": 1}, {"prompt": "warm pads"}, {"tempo": 100}):
        assert _request({**base, **change}) != _request(base), change
    track = _request({"kind": "track", "prompt": "warm pad"})
    assert track != _request(base)


@pytest.mark.parametrize("body", [
    {"kind": "clip", "prompt": ""},
    {"kind": "clip", "prompt": "x" * 501},
    {"kind": "clip", "prompt": "x", "bars": 2, "duration": 4},
    {"kind": "clip", "prompt": "x", "layer": "../etc"},
    {"kind": "clip", "prompt": "x", "genre": "../../x"},
    {"kind": "clip", "prompt": "x", "model": "/etc/passwd"},
    {"kind": "clip", "prompt": "x", "sampling": {"top_k": 1e9}},
    {"kind": "clip", "prompt": "x", "extra": 1},
    {"kind": "track", "prompt": "x", "duration": -1},
    {"kind": "track", "prompt": "x", "format": "exe"},
    {"kind": "track", "prompt": "x", "seed": 2**40},
])
def test_bad_requests_are_refused_by_the_model(body: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        GenerationRequest.model_validate(body)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("code", [
    "import livetimbre",
    "import io, contextlib\nfrom livetimbre.cli import main\n"
    "with contextlib.redirect_stdout(io.StringIO()):\n"
    "    try:\n        main(['--help'])\n    except SystemExit:\n        pass\n",
    "import io, contextlib\nfrom livetimbre.cli import main\n"
    "with contextlib.redirect_stdout(io.StringIO()):\n"
    "    try:\n        main(['serve', '--help'])\n    except SystemExit:\n        pass\n",
])
def test_the_package_and_the_help_load_no_server_library(code: str) -> None:
    probe = (f"{code}\nimport sys\nprint(sorted(m for m in sys.modules "
             f"if m.split('.')[0] in {SERVER_LIBRARIES!r}))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60, cwd=REPO, check=True)
    assert ast.literal_eval(done.stdout.strip().splitlines()[-1]) == []


@pytest.mark.timeout(60)
def test_serve_without_the_server_extra_says_how_to_install_it() -> None:
    probe = ("import sys\nsys.modules['uvicorn'] = None  # as if not installed\n"
             "from livetimbre.cli import main\nsys.exit(main(['serve', '--port', '0']))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60, cwd=REPO)
    assert done.returncode == 2
    assert "livetimbre[server]" in done.stderr and "uvicorn" in done.stderr
