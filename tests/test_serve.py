"""`ilp serve`: the live preview rebuilds within a couple of seconds of a save."""

from __future__ import annotations

import socket
import threading
import time
import urllib.request

import pytest

from generator.commands.serve import preview_server
from generator.errors import IlpError
from tests.conftest import TODAY_DATE, District


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - a loopback URL the test made
        return str(response.read().decode("utf-8"))


def test_preview_reloads_after_a_save(district: District) -> None:
    messages: list[str] = []
    server, url, _ = preview_server(
        district.root, "ava", "family", "127.0.0.1", free_port(), TODAY_DATE, messages.append
    )
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    try:
        goals = url + "my_goals/"
        deadline = time.monotonic() + 5
        while True:
            try:
                page = fetch(goals)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        assert "Get a B in math this semester." in page
        assert "livereload" in page
        path = district.root / "students/ava/goals.yml"
        path.write_text(
            path.read_text(encoding="utf-8").replace("Get a B in math", "Get an A in math"), encoding="utf-8"
        )
        deadline = time.monotonic() + 3
        while "Get an A in math" not in fetch(goals):
            assert time.monotonic() < deadline, "the preview did not rebuild within 3 seconds"
            time.sleep(0.1)
        assert any("Rebuilt students/ava as the family view." in m for m in messages)
    finally:
        server.shutdown()
        thread.join(timeout=5)


def test_unknown_student(district: District) -> None:
    with pytest.raises(IlpError, match="students/nobody does not exist"):
        preview_server(district.root, "nobody", "student", "127.0.0.1", free_port())


def test_unknown_audience(district: District) -> None:
    result = district.run("serve", "ava", "--as", "famly", "--root", str(district.root))
    assert result.exit_code == 1
    assert "--as famly: unknown audience" in result.output
