"""What the browser tests share: Debian's chromium driven by Playwright, the sample district built and
served on 127.0.0.1, tabs that may not reach another host, axe-core and the W3C Nu checker.

A test module calls `require()` before it imports Playwright: without the tools it needs, the module
is skipped, or fails where ILP_REQUIRE_BROWSER=1 (`.ci/run` installs them and sets it). It imports
the fixtures it uses from here: `browser` (as `browser_fixture`), and for the sample district `site`,
`server` and `page` (as `site_fixture`, `server_fixture`, `page_fixture`: named apart, so that a
test's argument does not hide the import).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from generator.commands.conference import FLAGS
from generator.pipeline import build
from tests.conftest import REPO, TODAY_DATE

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
TOOLS = REPO / "tests" / "browser" / "node_modules"
AXE = TOOLS / "axe-core" / "axe.min.js"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
# The same flags `ilp conference` starts Chromium with, less the ones for printing.
LAUNCH_ARGS = [flag for flag in FLAGS if flag != "--headless" and "pdf" not in flag]
# axe-core's rules the pages are held to: WCAG 2.1 A and AA and its best practices, of any impact.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def missing(checkers: bool = True) -> str | None:
    """The first tool that is not here: Playwright, chromium, and with `checkers` axe-core, the Nu
    checker and java; None when all are."""
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package"
    if not CHROMIUM.exists():
        return "/usr/bin/chromium"
    if checkers and (not AXE.exists() or not VNU.exists()):
        return "tests/browser/node_modules (npm install --prefix tests/browser)"
    if checkers and shutil.which("java") is None:
        return "java"
    return None


def require(checkers: bool = True) -> None:
    """Skip the calling test module (call it at the module's top level) when a tool it needs is missing
    (`missing`); with ILP_REQUIRE_BROWSER=1 a missing tool is an error instead. The message names the
    module, as pytest reports the skip at this line."""
    tool = missing(checkers)
    if tool is not None:
        module = sys._getframe(1).f_globals.get("__name__", "")
        if os.environ.get("ILP_REQUIRE_BROWSER") == "1":
            raise RuntimeError(f"{module}: browser tests need {tool}; run .ci/run, which installs it")
        pytest.skip(f"{module}: browser tests need {tool} (.ci/run installs it)", allow_module_level=True)


@pytest.fixture(scope="module", name="browser")
def browser_fixture() -> Iterator[Browser]:
    """The machine's chromium, started once for the module with LAUNCH_ARGS."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module", name="site")
def site_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample district built with `ilp build`'s engine, without errors, once for the module."""
    out = tmp_path_factory.mktemp("browser") / "site"
    result = build(REPO, out, TODAY_DATE)
    assert not result.errors, [d.format() for d in result.errors]
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module", name="server")
def server_fixture(site: Path) -> Iterator[str]:
    """The address (`http://127.0.0.1:PORT`) at which `site` is served, by a quiet server of the module's."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def guarded_tab(browser: Browser, allowed: str, outside: list[str], **options: Any) -> Page:
    """A tab in a new browser context (made with `options`) whose requests go through only when their
    address starts with `allowed` (the server's address, or `file:`); any other is aborted and its
    address added to `outside`, which the test then asserts is empty. Close it with `tab.context.close()`."""
    context = browser.new_context(**options)
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(allowed)
            else (outside.append(route.request.url), route.abort())[1]
        ),
    )
    return context.new_page()


@pytest.fixture(name="page")
def page_fixture(browser: Browser, server: str) -> Iterator[Page]:
    """A guarded tab of its own for the test, on `server`; the test fails if a page asked another host."""
    outside: list[str] = []
    tab = guarded_tab(browser, server, outside)
    yield tab
    tab.context.close()
    assert outside == [], f"requests to another host: {outside}"


def axe(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations of the rules of AXE_TAGS on the page as it is now (each with its impact
    and its first three elements); [] when there are none."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):  # evaluated, not a <script>: the page may run none
        page.evaluate("(source) => { (0, eval)(source); }", AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async tags => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]


def nu_messages(*arguments: str | Path) -> list[dict[str, Any]]:
    """The W3C Nu checker's messages (its JSON) on the files or folders and with the options given."""
    run = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", *map(str, arguments)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages: list[dict[str, Any]] = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    return messages
