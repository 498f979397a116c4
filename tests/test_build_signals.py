"""`ilp build` stopped by SIGTERM or SIGHUP (a cancelled CI job, a closed terminal) cleans up as Ctrl+C
does: no rendered page stays in its temporary folders, no staging folder beside the output, and the
previous site is left whole."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.district import make_district

ILP = str(Path(sys.executable).parent / "ilp")


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@pytest.mark.parametrize(
    ("stop", "group"), [(signal.SIGTERM, False), (signal.SIGHUP, False), (signal.SIGTERM, True), (signal.SIGHUP, True)]
)
def test_a_build_stopped_by_a_signal_leaves_nothing_behind(tmp_path: Path, stop: int, group: bool) -> None:
    """`group`: the signal goes to the build and its workers alike, as a cancelled CI job or a closed
    terminal sends it; else to the build only, as `kill PID` does."""
    root, out, scratch = tmp_path / "district", tmp_path / "site", tmp_path / "tmp"
    make_district(root, 12, commits=6)
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    command = [ILP, "build", "--root", str(root), "--out", str(out), "--no-cache", "--jobs", "2"]
    subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    before = _digest(out)
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 60
        while not list(scratch.glob("ilp-docs-*/site-*/change-record")):  # a worker writes a student's site
            assert process.poll() is None, "the build ended before it could be stopped"
            assert time.monotonic() < deadline, "no site was being built within 60 seconds"
            time.sleep(0.02)
        if group:
            os.killpg(process.pid, stop)
        else:
            process.send_signal(stop)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 1  # click's Abort, or an error if a worker's end was seen first
    assert "Aborted" in err or "a worker process stopped while building" in err
    assert "Traceback" not in err
    assert list(scratch.iterdir()) == []  # every temporary folder, with the pages in it, deleted
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")] == []  # no staging left
    assert _digest(out) == before  # the previous site, whole
