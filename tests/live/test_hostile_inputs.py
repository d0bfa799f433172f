"""Hostile and careless inputs, each through the REPL (real prompt_toolkit on pipe input),
OSC `/livetimbre/command` (real UDP) and the patch watcher where it applies.

Every row: a clear one-line error, no traceback on the terminal, the session still
answering, the audio still playing (frames advance), the app process's memory grown by
under 50 MB, and no file outside the target changed (nor the target, when refused).
Nothing of a fake secret file (shadow-style, PEM, .pgpass) appears in the REPL, an OSC
reply, a background message or the log.
"""

from __future__ import annotations

import asyncio
import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from livetimbre.app import App
from livetimbre.controllers.feedback import Feedback
from livetimbre.controllers.osc.server import OscServer
from tests.e2e.osc_client import OscClient, osc_datagram, reply
from tests.hardening.secret_files import KINDS, leaks, write_secrets
from tests.live._support import SMALL_PATCH, make_app, started, until, write_patch
from tests.live.test_repl import Repl, repl

pytestmark = pytest.mark.timeout(300)

SECRET = "hunter2-must-never-be-echoed"
BOMB_LEVELS = 9


def alias_bomb(levels: int = BOMB_LEVELS) -> str:
    """The classic 'billion laughs' in YAML: each level ten aliases of the one before."""
    lines = ['a0: &a0 ["lol"]']
    for level in range(1, levels + 1):
        refs = ",".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    """(mode, size, mtime_ns) of everything under `folder`, links not followed."""
    out = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        out[str(path.relative_to(folder))] = (info.st_mode, info.st_size, info.st_mtime_ns)
    return out


@dataclass(frozen=True)
class Row:
    """One hostile input: the slash line (built from the scene's folder), what the error
    must say, and the surfaces it goes through."""

    name: str
    line: Callable[[Path], str]
    says: str
    osc: bool = True


def _fifo(folder: Path) -> str:
    fifo = folder / "pipe.yaml"
    if not fifo.exists():
        os.mkfifo(fifo)
    return f"/load {fifo}"


def _sparse(folder: Path) -> str:
    big = folder / "sparse.yaml"
    if not big.exists():
        with open(big, "wb") as handle:
            handle.truncate(1 << 30)  # 1 GB, no blocks on disk
    return f"/load {big}"


def _loop(folder: Path) -> str:
    a, b = folder / "loop-a.yaml", folder / "loop-b.yaml"
    if not a.is_symlink():
        a.symlink_to(b)
        b.symlink_to(a)
    return f"/load {a}"


def _secret(kind: str) -> Callable[[Path], str]:
    def line(folder: Path) -> str:
        made = folder / "secrets"
        paths = write_secrets(made) if not made.exists() else {
            p.stem: p for p in made.glob("*.yaml")}
        return f"/load {paths[kind]}"

    return line


def _quoted_secrets(folder: Path, *answers: str) -> list[str]:
    """Runs of any fake secret file in `folder`/secrets found in `answers`."""
    made = folder / "secrets"
    if not made.exists():
        return []
    text = "\n".join(answers)
    return [f"{p.name}: {run!r}" for p in sorted(made.iterdir()) if not p.is_symlink()
            for run in leaks(text, p)]


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


ROWS = [
    Row("save into /proc", lambda d: "/save /proc/livetimbre-nope/set.yaml", "Cannot"),
    Row("save over /dev/null", lambda d: "/save /dev/null", "not a regular file"),
    Row("save onto a folder", lambda d: f"/save {d}", "a folder"),
    Row("save below a file", lambda d: f"/save {d}/live.yaml/set.yaml", "Cannot"),
    Row("load a secret", lambda d: f"/load {_write(d, 'secret.yaml', f'password: {SECRET}')}",
        "Extra inputs"),
    Row("load /dev/zero", lambda d: "/load /dev/zero", "character device"),
    Row("load a FIFO", _fifo, "FIFO"),
    Row("load a 1 GB sparse file", _sparse, "limit"),
    Row("load a symlink loop", _loop, "Cannot read patch file"),
    Row("load with ..", lambda d: f"/load {d}/../{d.name}/missing.yaml", "not found"),
    Row("load a vanished file", lambda d: f"/load {d}/vanished.yaml", "not found"),
    Row("load an alias bomb", lambda d: f"/load {_write(d, 'bomb.yaml', alias_bomb())}",
        "aliases"),
    Row("load a recursive alias", lambda d: f"/load {_write(d, 'rec.yaml', 'a: &a [*a]')}",
        "aliases"),
    Row("load a 5 MB prompt", lambda d: "/load " + str(_write(
        d, "prompt.yaml", SMALL_PATCH.replace('"stabs"', '"' + "x" * 5_000_000 + '"'))),
        "limit"),
    Row("load a 1 MB prompt", lambda d: "/load " + str(_write(
        d, "long.yaml", SMALL_PATCH.replace('"stabs"', '"' + "y" * 1_000_000 + '"'))),
        "at most 500 characters"),
    Row("load binary", lambda d: f"/load {_write_bytes(d)}", "not UTF-8"),
    Row("load a shadow-style file", _secret("shadow"), "Extra inputs"),
    Row("load a shadow file with a user twice", _secret("shadow-repeated-user"),
        "duplicate key"),
    Row("load a PEM private key", _secret("pem"), "must be a mapping"),
    Row("load a .pgpass line", _secret("pgpass"), "invalid YAML"),
    Row("record into /proc", lambda d: "/record start /proc/livetimbre-nope.wav", "Cannot"),
    Row("record onto a folder", lambda d: f"/record start {d}", "a folder"),
]


def _write_bytes(folder: Path) -> Path:
    path = folder / "binary.yaml"
    path.write_bytes(b"session: {genre: house}\n\xff\xfe\x00garbage")
    return path


async def _check_alive(app: App, shell: Repl, client: OscClient) -> None:
    frame = app.engine.frame
    shell.send("/status\r")
    count = shell.printed.count("bar ")
    await until(lambda: shell.printed.count("bar ") > count, 10, "the REPL answering")
    client.send("/livetimbre/get/state")
    await reply(client, "/livetimbre/state")
    await until(lambda: app.engine.frame > frame + app.engine.sample_rate // 20, 5,
                "the audio advancing")
    assert not shell.task.done()


def test_hostile_rows_through_the_repl_and_osc(tmp_path: Path) -> None:
    scene = tmp_path / "scene"
    scene.mkdir()
    patch = write_patch(scene)
    app = make_app(patch, watch=True)
    figures: list[tuple[str, float, float]] = []

    async def scenario() -> None:
        async with started(app) as messages:
            ctx = app.surface_context()
            osc = OscServer(ctx, Feedback(ctx.view, ctx.clock), "127.0.0.1", 0, files="any")
            await osc.start()
            client = OscClient(osc.port)
            try:
                async with repl(app) as shell:
                    await _check_alive(app, shell, client)
                    baseline = rss_mb()
                    for row in ROWS:
                        line = row.line(scene)
                        before_files = snapshot(tmp_path)
                        before = app.session
                        started_at = time.perf_counter()
                        errors = shell.printed.count("error:")
                        shell.send(line + "\r")
                        await until(lambda e=errors: shell.printed.count("error:") > e, 30,
                                    f"{row.name}: the REPL's error")
                        seconds = time.perf_counter() - started_at
                        said = shell.printed.split("error:")[-1].split("\n")[0]
                        assert row.says in said, f"{row.name}: {said[:300]!r}"
                        assert len(said) < 1000, f"{row.name}: a {len(said)}-character error"
                        assert SECRET not in shell.printed
                        assert "Traceback" not in shell.printed
                        if row.osc:
                            client.send("/livetimbre/command", line)
                            error = (await reply(client, "/livetimbre/error"))[0]
                            assert row.says in error, f"{row.name} over OSC: {error!r}"
                            assert SECRET not in error and "\n" not in error
                            assert _quoted_secrets(scene, error) == [], row.name
                        assert _quoted_secrets(scene, shell.printed) == [], row.name
                        assert app.session == before, row.name
                        await _check_alive(app, shell, client)
                        growth = rss_mb() - baseline
                        assert growth < 50, f"{row.name}: memory grew {growth:.0f} MB"
                        after_files = snapshot(tmp_path)
                        assert after_files == before_files, f"{row.name} changed files"
                        figures.append((row.name, seconds, growth))
                    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
                    log = app.boundary.log_path
                    logged = log.read_text(encoding="utf-8") if log.exists() else ""
                    assert _quoted_secrets(scene, logged, *messages) == []
            finally:
                client.close()
                osc.close()

    asyncio.run(scenario())
    worst = max(figures, key=lambda f: f[1])
    print(f"\n{len(figures)} rows passed; slowest {worst[0]!r} {worst[1] * 1e3:.0f} ms; "
          f"peak memory growth {max(f[2] for f in figures):.1f} MB")


def test_osc_may_not_name_files_outside_the_patch_folder_and_home(tmp_path: Path) -> None:
    scene = tmp_path / "scene"
    scene.mkdir()
    secret = _write(tmp_path, "elsewhere.yaml", f"password: {SECRET}")
    app = make_app(write_patch(scene), watch=True)

    async def scenario() -> None:
        async with started(app):
            ctx = app.surface_context()
            osc = OscServer(ctx, Feedback(ctx.view, ctx.clock), "127.0.0.1", 0)
            await osc.start()
            client = OscClient(osc.port)
            try:
                for line in (f"/load {secret}", f"/save {tmp_path}/out.yaml",
                             f"/record start {tmp_path}/take.wav",
                             f'/compose "pads" -o {tmp_path}/track.wav',
                             f"/load {scene}/../elsewhere.yaml"):
                    client.send("/livetimbre/command", line)
                    error = (await reply(client, "/livetimbre/error"))[0]
                    assert "OSC may only name files in" in error, error
                    assert SECRET not in error
                client.send("/livetimbre/command", f"/save {scene}/copy.yaml")
                assert "saved" in (await reply(client, "/livetimbre/command/reply"))[0]
            finally:
                client.close()
                osc.close()

    asyncio.run(scenario())
    assert not (tmp_path / "out.yaml").exists() and not (tmp_path / "take.wav").exists()
    assert not (tmp_path / "track.wav").exists() and not app.composer.running
    assert (scene / "copy.yaml").is_file()


def test_an_osc_argument_cut_short_is_refused(tmp_path: Path) -> None:
    app = make_app(write_patch(tmp_path))

    async def scenario() -> None:
        async with started(app):
            ctx = app.surface_context()
            osc = OscServer(ctx, Feedback(ctx.view, ctx.clock), "127.0.0.1", 0)
            await osc.start()
            client = OscClient(osc.port)
            try:
                whole = osc_datagram("/livetimbre/layer/gain", "bass", -3.0)
                client.send_raw(whole[:-2])
                error = (await reply(client, "/livetimbre/error"))[0]
                assert "cut short" in error
                assert app.session.layer("bass").gain_db == -2.0  # unchanged
            finally:
                client.close()
                osc.close()

    asyncio.run(scenario())


@pytest.mark.parametrize("text", [alias_bomb(6), "a: &a [*a]", "session: [\n",
                                  *(make() for make in KINDS.values())],
                         ids=["bomb", "recursive", "cut", *KINDS])
def test_hot_reload_survives_a_bad_save_and_keeps_watching(tmp_path: Path, text: str) -> None:
    patch = write_patch(tmp_path, name="hot.yaml")
    app = make_app(patch, watch=True)

    async def scenario() -> None:
        async with started(app) as messages:
            await asyncio.sleep(0.5)  # the watcher is up
            baseline = rss_mb()
            started_at = time.perf_counter()
            patch.write_text(text, encoding="utf-8")
            await until(lambda: any("not reloaded" in m for m in messages), 15,
                        "the bad save reported")
            assert leaks("\n".join(messages), text) == []
            assert time.perf_counter() - started_at < 5
            assert rss_mb() - baseline < 50
            patch.write_text(SMALL_PATCH.replace("tempo: 124", "tempo: 126"), encoding="utf-8")
            await until(lambda: app.session.tempo == 126, 15, "the next good save loaded")

    asyncio.run(scenario())
