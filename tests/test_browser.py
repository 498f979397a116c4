"""Browser tests: the sample district's sites in Debian's chromium, driven by Playwright.

Every audience's portfolio is opened, its navigation followed and its search used; axe-core runs
on every page type (0 violations of any impact) and the W3C Nu checker on every built page
(0 errors). `.ci/run` installs chromium and the npm tools; elsewhere these tests are skipped
unless ILP_REQUIRE_BROWSER=1, which makes a missing tool a failure.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.commands.conference import FLAGS
from generator.pipeline import build
from tests.conftest import REPO, TODAY_DATE

CHROMIUM = Path("/usr/bin/chromium")
TOOLS = REPO / "tests" / "browser" / "node_modules"
AXE = TOOLS / "axe-core" / "axe.min.js"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
# The same flags `ilp conference` starts Chromium with, less the ones for printing.
LAUNCH_ARGS = [flag for flag in FLAGS if flag != "--headless" and "pdf" not in flag]


def _missing() -> str | None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package"
    if not CHROMIUM.exists():
        return "/usr/bin/chromium"
    if not AXE.exists() or not VNU.exists():
        return "tests/browser/node_modules (npm install --prefix tests/browser)"
    if shutil.which("java") is None:
        return "java"
    return None


missing = _missing()
if missing is not None:
    if os.environ.get("ILP_REQUIRE_BROWSER") == "1":
        raise RuntimeError(f"browser tests need {missing}; run .ci/run, which installs it")
    pytest.skip(f"browser tests need {missing} (.ci/run installs it)", allow_module_level=True)

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "site"
    result = build(REPO, out, TODAY_DATE)
    assert not result.errors, [d.format() for d in result.errors]
    return out


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context()
    outside: list[str] = []
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(server)
            else (outside.append(route.request.url), route.abort())[1]
        ),
    )
    tab = context.new_page()
    yield tab
    context.close()
    assert outside == [], f"requests to another host: {outside}"


def axe(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]


def nav_links(page: Page) -> list[str]:
    return page.eval_on_selector_all("nav.site-nav a", "links => links.map(a => a.href)")


STUDENT = "emily-tran"


@pytest.mark.parametrize("audience", ["student", "educator", "family", "advisory", "public"])
def test_portfolio_navigation_and_accessibility(page: Page, server: str, site: Path, audience: str) -> None:
    folder = STUDENT
    if audience == "public":  # public portfolios live at opaque paths: the student's, as the build names it
        from generator.pipeline import corpus, public_folder

        loaded = corpus(REPO, TODAY_DATE, only={STUDENT}, history=False)
        folder = public_folder(loaded.students[0], loaded.district.options.public_salt)
        assert (site / "public" / folder / "index.html").is_file()
    page.goto(f"{server}/{audience}/{folder}/")
    assert page.locator("h1").first.is_visible()
    label = {
        "student": "Student view",
        "educator": "Educator view",
        "family": "Family view",
        "advisory": "Advisory view",
        "public": "Public view",
    }
    assert page.locator(".view-label strong").inner_text() == label[audience]
    links = nav_links(page)
    assert links, "no navigation"
    violations: dict[str, Any] = {}
    for url in links:
        response = page.goto(url)
        assert response is not None, url
        assert response.ok, url
        assert page.locator("main h1").count() >= 1, url
        found = axe(page)
        if found:
            violations[url] = found
    assert violations == {}


@pytest.mark.parametrize(
    "path",
    [
        "",
        "public/",
        "public/curriculum/",
        "public/curriculum/asca/",
        "educator/_mrivera/",
        "educator/curriculum/grade-09/g9-credits-and-transcripts/",
        "public/how-to-edit/",
        "404.html",
    ],
)
def test_district_pages_accessibility(page: Page, server: str, path: str) -> None:
    page.goto(f"{server}/{path}")
    assert axe(page) == []


def test_search_finds_only_what_the_view_has(page: Page, server: str) -> None:
    page.goto(f"{server}/family/{STUDENT}/")
    box = page.locator("#search-input")
    box.wait_for(state="visible")
    box.fill("marsh")
    results = page.locator(".search-results a")
    results.first.wait_for()
    assert results.count() >= 1
    target = results.first.get_attribute("href")
    results.first.click()
    page.wait_for_load_state()
    assert target is not None
    assert page.url.split("#")[0] == f"{server}/family/{STUDENT}/{target.split('/', 1)[-1]}".split("#")[0]
    # The student's money worries are private: the family's search does not find them.
    box = page.locator("#search-input")
    box.fill("worried")
    page.wait_for_timeout(500)
    family_hits = page.locator(".search-results a").all_inner_texts()
    page.goto(f"{server}/student/{STUDENT}/")
    box = page.locator("#search-input")
    box.wait_for(state="visible")
    box.fill("worried")
    page.locator(".search-results a").first.wait_for()
    student_hits = page.locator(".search-results a").all_inner_texts()
    assert len(student_hits) > len(family_hits)


def test_readable_without_javascript(browser: Browser, server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{server}/family/{STUDENT}/my_goals/")
    assert tab.locator("main h1").inner_text() == "Goals"
    assert tab.locator("nav.site-nav a").count() > 3
    assert not tab.locator("form.search").is_visible()
    context.close()


def test_skip_link_and_focus(page: Page, server: str) -> None:
    page.goto(f"{server}/family/{STUDENT}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_nu_checker_on_every_page(site: Path) -> None:
    run = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--skip-non-html", "--format", "json", str(site)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    errors = [f"{m.get('url', '')}: {m.get('message')}" for m in messages if m.get("type") == "error"]
    assert errors == []
    pages = list(site.rglob("*.html"))
    assert len(pages) > 500


def current_heading(page: Page) -> str:
    return page.locator("section.slide.current").locator("h1, h2").first.inner_text()


def test_deck_by_keyboard_click_and_url(page: Page, server: str) -> None:
    page.goto(f"{server}/family/{STUDENT}/conference/")
    counter = page.locator(".deck-counter")
    total = page.locator("section.slide").count()
    assert counter.inner_text() == f"1 / {total}"
    assert current_heading(page) == "Emily's senior conference"
    page.keyboard.press("ArrowRight")
    assert counter.inner_text() == f"2 / {total}"
    assert page.url.endswith("#slide-2")
    assert current_heading(page) == "Who I am"
    page.keyboard.press("End")
    assert current_heading(page) == "Questions"
    page.keyboard.press("Home")
    assert counter.inner_text() == f"1 / {total}"
    page.keyboard.press("PageDown")
    page.keyboard.press("Space")
    assert counter.inner_text() == f"3 / {total}"
    page.reload()
    assert page.locator(".deck-counter").inner_text() == f"3 / {total}"
    page.keyboard.press("ArrowLeft")
    assert counter.inner_text() == f"2 / {total}"
    page.locator(".deck-next").click()
    assert counter.inner_text() == f"3 / {total}"
    assert page.locator("section.slide:not(.current)").first.is_hidden()
    assert axe(page) == []
    assert "Only for me" not in page.content()


def test_presenter_view_in_the_students_deck(page: Page, server: str) -> None:
    page.goto(f"{server}/student/{STUDENT}/conference/#slide-4")
    assert current_heading(page) == "The marsh project"
    page.keyboard.press("p")
    panel = page.locator(".presenter-panel")
    panel.wait_for(state="visible")
    assert "calibration error" in panel.locator(".presenter-notes").inner_text()
    assert re.fullmatch(r"\d\d:\d\d", panel.locator(".presenter-timer").inner_text())
    assert panel.locator(".presenter-next").inner_text() == "Next: My goals this year"
    page.keyboard.press("ArrowRight")
    assert "No notes for this slide." in panel.locator(".presenter-notes").inner_text()
    assert axe(page) == []


def test_deck_reads_as_one_page_without_javascript(browser: Browser, server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{server}/family/{STUDENT}/conference/")
    sections = tab.locator("section.slide")
    assert sections.count() >= 8
    assert all(sections.nth(i).is_visible() for i in range(sections.count()))
    context.close()


def test_handout_pdf_has_one_page_per_slide(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    pdf = tmp_path / "handout.pdf"
    result = CliRunner().invoke(main, ["conference", STUDENT, "--pdf", str(pdf), "--root", str(REPO)])
    assert result.exit_code == 0, result.output
    slides = int(re.search(r"(\d+) slides", result.output).group(1))  # type: ignore[union-attr]
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert pages == slides
    assert slides >= 8
