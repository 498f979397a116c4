"""`ilp serve`: the live preview rebuilds within a couple of seconds of a save, and shows the errors of the
student's files (and of the district's configuration) in the browser until they are fixed."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator.commands.conference import FLAGS
from generator.commands.serve import preview_server
from generator.errors import IlpError
from generator.render.names import MY_GOALS
from tests.conftest import TODAY, TODAY_DATE, District

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [flag for flag in FLAGS if flag != "--headless" and "pdf" not in flag]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - a loopback URL the test made
        return str(response.read().decode("utf-8"))


def test_preview_reloads_after_a_save(district: District) -> None:
    messages: list[str] = []
    server, url, serve_dir = preview_server(
        district.root, "ava", "family", "127.0.0.1", free_port(), TODAY_DATE, messages.append
    )
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    try:
        goals = url + MY_GOALS.removesuffix(".md") + "/"
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
        shutil.rmtree(serve_dir, ignore_errors=True)  # as ilp serve does when it stops


def test_unknown_student(district: District) -> None:
    with pytest.raises(IlpError, match="students/nobody does not exist"):
        preview_server(district.root, "nobody", "student", "127.0.0.1", free_port())


def test_unknown_audience(district: District) -> None:
    result = district.run("serve", "ava", "--as", "famly", "--root", str(district.root))
    assert result.exit_code == 1
    assert "--as famly: unknown audience" in result.output


BAD_DOMAIN = "domain: <b>acedemic</b>"


@contextlib.contextmanager
def serving(district: District, *args: str) -> Iterator[str]:
    """`ilp serve ava ARGS` in a process of its own, on a free loopback port: the preview's URL."""
    port = free_port()
    command = [str(Path(sys.executable).parent / "ilp"), "serve", "ava", *args]
    command += ["--root", str(district.root), "--today", TODAY, "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/family/ava/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                answer(url)
                break
            except OSError:
                assert process.poll() is None, process.communicate()[0]
                assert time.monotonic() < deadline, "ilp serve did not start within 30 seconds"
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def answer(url: str) -> tuple[int, str]:
    """The status and text of a GET, whatever the status."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - a loopback URL the test made
            return int(response.status), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def break_goals(district: District) -> tuple[Path, str]:
    path = district.root / "students/ava/goals.yml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("domain: academic", BAD_DOMAIN), encoding="utf-8")
    return path, good


def test_the_browser_shows_the_errors_and_the_page_comes_back_once_fixed(district: District) -> None:
    path, good = break_goals(district)
    with serving(district, "--as", "family") as url:
        status, page = answer(url)
        assert status == 404
        assert "students/ava/goals.yml:" in page
        assert "unknown domain" in page
        assert "&lt;b&gt;acedemic&lt;/b&gt;" in page  # escaped, as written
        assert "<b>acedemic" not in page
        assert 'name="ilp-build"' in page  # the page asks again until there is a page here
        assert "unknown domain" in answer(url + "career-exploration/nurse/")[1]  # every page of the portfolio
        path.write_text(good, encoding="utf-8")
        deadline = time.monotonic() + 10
        while (found := answer(url))[0] != 200:
            assert time.monotonic() < deadline, "the preview did not come back within 10 seconds of the fix"
            time.sleep(0.2)
        assert "Ava Reyes" in found[1]
        assert "livereload" in found[1]


def test_a_configuration_error_is_shown_and_the_preview_comes_back(district: District) -> None:
    messages: list[str] = []
    server, url, serve_dir = preview_server(
        district.root, "ava", "family", "127.0.0.1", free_port(), TODAY_DATE, messages.append
    )
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    config = district.root / "mkdocs.yml"
    good = config.read_text(encoding="utf-8")
    try:
        wait_for(lambda: answer(url)[0] == 200, "the preview did not start")
        config.write_text(good.replace("audiences: [", "audiences: [[", 1), encoding="utf-8")
        wait_for(lambda: answer(url)[0] == 404, "the preview kept the last good page after a broken mkdocs.yml")
        assert "mkdocs.yml:" in answer(url)[1]
        config.write_text(good, encoding="utf-8")
        wait_for(lambda: answer(url)[0] == 200, "the preview did not come back once mkdocs.yml was fixed")
    finally:
        server.shutdown()
        thread.join(timeout=5)
        shutil.rmtree(serve_dir, ignore_errors=True)  # as ilp serve does when it stops


def wait_for(condition: Callable[[], bool], message: str, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while True:
        with contextlib.suppress(OSError):  # not listening yet
            if condition():
                return
        assert time.monotonic() < deadline, message
        time.sleep(0.2)


def test_the_error_page_reloads_itself_in_the_browser(district: District) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("needs /usr/bin/chromium")
    path, good = break_goals(district)
    with serving(district, "--as", "family") as url, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            tab = browser.new_page()
            tab.goto(url)
            assert "unknown domain" in tab.locator("main").inner_text()
            path.write_text(good, encoding="utf-8")
            # No navigation by the test: the error page itself reloads once the portfolio is back.
            tab.locator("text=Ava Reyes").first.wait_for(timeout=15000)
            assert "unknown domain" not in tab.content()
        finally:
            browser.close()


def test_the_public_preview_opens_the_students_opaque_public_folder(district: District) -> None:
    """The public portfolio lives at public/p-<hex>/ (or the student's public_path), not public/<id>/."""
    from generator.sites import folder_for_public

    district.write("students/ava/sharing.yml", "links: []\n")
    goals = district.root / "students/ava/goals.yml"
    goals.write_text(
        goals.read_text(encoding="utf-8").replace("status: in-progress", "status: in-progress\n    visibility: public"),
        encoding="utf-8",
    )
    messages: list[str] = []
    server, url, serve_dir = preview_server(
        district.root, "ava", "public", "127.0.0.1", free_port(), TODAY_DATE, messages.append
    )
    try:
        assert "/public/ava/" not in url
        assert url.endswith("/public/" + folder_for_public("ava", {}, _salt(district)) + "/")
        assert any("Rebuilt students/ava as the public view." in m for m in messages), messages
    finally:
        server.server_close()
        shutil.rmtree(serve_dir, ignore_errors=True)


def _salt(district: District) -> str:
    from generator.check.options import load_options

    return load_options(district.root)[0].public_salt


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP])
def test_a_preview_stopped_by_a_signal_leaves_no_page_on_disk(district: District, tmp_path: Path, stop: int) -> None:
    """A process manager's SIGTERM or a closed terminal's SIGHUP deletes the preview's rendered pages,
    as Ctrl+C does."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    port = free_port()
    command = [str(Path(sys.executable).parent / "ilp"), "serve", "ava", "--as", "family", "--root", str(district.root)]
    command += ["--today", TODAY, "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _ = answer(f"http://127.0.0.1:{port}/family/ava/")
                break
            except OSError:
                assert process.poll() is None, process.communicate()[0]
                assert time.monotonic() < deadline, "ilp serve did not start within 30 seconds"
                time.sleep(0.2)
        assert status == 200
        pages = list(scratch.rglob("index.html"))
        assert pages, "the preview's pages are under TMPDIR while it runs"
        process.send_signal(stop)
        process.wait(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
    assert list(scratch.rglob("index.html")) == []
    assert [p.name for p in scratch.iterdir() if p.name.startswith(("ilp-serve-", "ilp-docs-"))] == []
