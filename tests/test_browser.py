"""Browser tests: the sample district's sites in Debian's chromium, driven by Playwright.

Every audience's portfolio is opened, its navigation followed and its search used; every type of
page of every audience is checked at 1280 and 390 px with axe-core (0 violations of WCAG 2.1 A and
AA and of best practice, of any impact) and for sideways scrolling at 390 and 320 px; the menu
button opens the navigation on a phone, with and without JavaScript; the W3C Nu checker reads every
built page (0 errors, 0 warnings about a page's language). `.ci/run` installs chromium and the npm
tools; elsewhere these tests are skipped unless ILP_REQUIRE_BROWSER=1, which makes a missing tool a
failure.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from generator.render import names
from tests.browser_support import (  # the fixtures browser, page, server and site, and helpers
    axe,
    browser_fixture,  # noqa: F401
    nu_messages,
    page_fixture,  # noqa: F401
    require,
    server_fixture,  # noqa: F401
    site_fixture,  # noqa: F401
)
from tests.conftest import REPO, TODAY_DATE

require()

from playwright.sync_api import Browser, Page  # noqa: E402


def nav_links(page: Page) -> list[str]:
    return page.eval_on_selector_all("nav.site-nav a", "links => links.map(a => a.href)")


STUDENT = "emily-tran"


@pytest.mark.parametrize("audience", ["student", "educator", "family", "advisory", "public"])
def test_portfolio_navigation(page: Page, server: str, site: Path, audience: str) -> None:
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
    for url in links:
        response = page.goto(url)
        assert response is not None, url
        assert response.ok, url
        assert page.locator("main h1").count() >= 1, url


def _address(name: str) -> str:
    """A generated page's address in a student's folder, from its source name (generator/render/names.py)."""
    return name.removesuffix(".md") + "/"


# The pages every portfolio may have, by type, at their address in the student's folder.
GENERATED = {
    "home": "",
    "this year": _address(names.THIS_YEAR),
    "goals": _address(names.MY_GOALS),
    "courses": _address(names.MY_COURSES),
    "experiences": _address(names.MY_EXPERIENCES),
    "résumé": _address(names.MY_RESUME),
    "evidence files": _address(names.EVIDENCE_FILES),
    "change record": _address(names.CHANGE_RECORD),
}
# Not checked here: the conference deck has its own tests (below and tests/test_deck_browser.py).
NOT_PAGES = {"conference", "search", "artifacts"}
AUDIENCES = ["student", "educator", "family", "advisory", "public"]


@pytest.fixture(scope="module")
def portfolios() -> dict[str, list[str]]:
    """Each audience's portfolio folders (the public ones at the opaque paths the build names), STUDENT's first."""
    from generator.pipeline import corpus
    from generator.sites import public_folder

    loaded = corpus(REPO, TODAY_DATE, history=False)
    students = sorted(loaded.students, key=lambda s: (s.id != STUDENT, s.id))
    folders = {audience: [s.id for s in students] for audience in AUDIENCES}
    folders["public"] = [public_folder(s, loaded.district.options.public_salt) for s in students]
    return folders


def page_types(site: Path, audience: str, folders: list[str]) -> dict[str, str]:
    """One page of each type built for `audience` (its path from the output root): of portfolios, the
    first student's that has it; and the audience's own pages (dashboards, start pages, lessons, the
    district's pages)."""
    found: dict[str, str] = {}
    generated = {address.strip("/") for address in GENERATED.values()} | NOT_PAGES
    for folder in folders:
        base = site / audience / folder
        for kind, address in GENERATED.items():
            if kind not in found and (base / address / "index.html").is_file():
                found[kind] = f"{audience}/{folder}/{address}"
        for page in sorted(base.glob("*/index.html")):
            if page.parent.name not in generated:
                found.setdefault("section overview", f"{audience}/{folder}/{page.parent.name}/")
        for page in sorted(base.glob("*/*/index.html")):
            if page.parent.parent.name not in generated:
                found.setdefault("page", f"{audience}/{folder}/{page.parent.relative_to(base).as_posix()}/")

    def first(pattern: str, text: str = "") -> str | None:
        """The first page (as its folder) matching `pattern` whose HTML holds `text`."""
        for page in sorted(site.glob(pattern)):
            if text in page.read_text(encoding="utf-8"):
                return page.parent.relative_to(site).as_posix() + "/"
        return None

    own = {
        "educator": {
            "dashboard": first("educator/_*/index.html"),
            "lessons": first("educator/curriculum/index.html"),
            "lesson": first("educator/curriculum/grade-*/*/index.html"),
        },
        "family": {
            "family's start page": first("family/_*/index.html"),
            "portfolio in Spanish": first("family/*/index.html", '<html lang="es"'),
        },
        "advisory": {"advisory group's page": first("advisory/_*/index.html")},
        "public": {
            "district home": first("public/index.html"),
            "district page": first("public/how-to-edit/index.html"),
            "district page in Spanish": first("public/*/index.html", '<html lang="es"'),
            "reference": first("public/reference/*/index.html", "<table"),
            "lessons": first("public/curriculum/index.html"),
            "ASCA standards": first("public/curriculum/asca/index.html"),
            "lesson": first("public/curriculum/grade-*/*/index.html"),
        },
    }
    for kind, path in own.get(audience, {}).items():
        if path is not None:
            found[kind] = path
        else:
            assert "Spanish" in kind, f"no {kind} in the {audience} pages"  # only the district's choice
    return found


def check_page(page: Page, url: str) -> dict[str, Any]:
    """axe at 1280 and 390 px, and whether the page scrolls sideways at 390 and 320 px (WCAG 1.4.10)."""
    response = page.goto(url)
    assert response is not None, url
    assert response.ok, url
    found: dict[str, Any] = {}
    for width in (1280, 390, 320):
        page.set_viewport_size({"width": width, "height": 800})
        if width != 320:
            found[f"axe at {width} px"] = axe(page)
        if width != 1280:
            scroll, screen = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if scroll > screen:
                found[f"{scroll} px wide at {width} px"] = widest(page)
    return {key: value for key, value in found.items() if value}


def widest(page: Page) -> list[str]:
    """The elements that stand out past the screen's right edge (none inside a region that scrolls)."""
    return list(
        page.evaluate(
            """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5 && !e.closest('.table-scroll, pre'))
            .slice(-3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))"""
        )
    )


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_page_type_on_a_desktop_and_a_phone(
    page: Page, server: str, site: Path, portfolios: dict[str, list[str]], audience: str
) -> None:
    """Each type of page of each audience: 0 axe violations (WCAG 2.1 A and AA, best practice) at 1280 and
    390 px, and no sideways scrolling at 390 and 320 px."""
    pages = page_types(site, audience, portfolios[audience])
    kinds = set(pages)
    assert {"home", "section overview", "page", "evidence files", "change record"} <= kinds
    if audience in ("student", "educator"):  # they see the whole ILP: every type of portfolio page
        assert set(GENERATED) - {"résumé"} <= kinds
    problems = {}
    for kind, path in pages.items():
        found = check_page(page, f"{server}/{path}")
        if found:
            problems[f"{kind}: {path}"] = found
    assert problems == {}


@pytest.mark.parametrize("path", ["", "404.html"])
def test_the_root_pages_on_a_desktop_and_a_phone(page: Page, server: str, path: str) -> None:
    assert check_page(page, f"{server}/{path}") == {}


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
    tab.goto(f"{server}/family/{STUDENT}/my-goals/")
    assert tab.locator("main h1").inner_text() == "My goals"
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


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_the_menu_button_opens_the_navigation_at_the_top_on_a_phone(
    browser: Browser, server: str, javascript: bool
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=javascript)
    tab = context.new_page()
    tab.goto(f"{server}/family/{STUDENT}/{_address(names.MY_COURSES)}")
    button = tab.locator("summary.site-menu__button")
    links = tab.locator("nav.site-nav a")
    heading = tab.locator("main h1")
    assert button.is_visible()
    assert not links.first.is_visible()
    assert _top(button) < _top(heading) < 844  # the button is above the page's content, on the first screen
    # The keyboard: the skip link first, then the menu button before anything in the page.
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.className") == "skip-link"
    for _ in range(4):
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
    assert tab.evaluate("document.activeElement.className") == "site-menu__button"
    tab.keyboard.press("Enter")
    assert links.first.is_visible()
    assert tab.locator("details.site-menu").get_attribute("open") is not None
    assert _top(links.first) < _top(heading)  # the navigation opens at the top, above the page
    assert links.count() > 8
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    button.click()  # and closes again
    assert not links.first.is_visible()
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_on_a_wide_screen_the_navigation_stands_beside_the_page(
    browser: Browser, server: str, site: Path, javascript: bool
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, java_script_enabled=javascript)
    tab = context.new_page()
    tab.goto(f"{server}/family/{STUDENT}/")
    links = tab.locator("nav.site-nav a")
    assert not tab.locator("summary.site-menu__button").is_visible()
    assert links.first.is_visible()
    assert links.count() > 8
    link, main = links.first.bounding_box(), tab.locator("main").bounding_box()
    assert link is not None
    assert main is not None
    assert link["x"] + link["width"] <= main["x"]
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.className") == "skip-link"
    start = sorted(site.glob("family/_*/index.html"))[0].parent.relative_to(site).as_posix()
    tab.goto(f"{server}/{start}/")  # a family's start page has no navigation: its content takes the width
    assert tab.locator("nav.site-nav").count() == 0
    assert tab.locator("main").evaluate("main => main.getBoundingClientRect().width") > 600
    context.close()


def _top(locator: Any) -> float:
    box = locator.bounding_box()
    assert box is not None
    return float(box["y"])


def test_nu_checker_on_every_page(site: Path) -> None:
    messages = nu_messages("--skip-non-html", site)
    # Errors, and the warnings that a page's text is not in the language its `lang` says (the checker
    # guesses each page's language from its words); other warnings are advice.
    errors = [
        f"{m.get('url', '')}:{m.get('lastLine', '')}: {m.get('message')}"
        for m in messages
        if m.get("type") in ("error", "non-document-error")
        or (m.get("subType") == "warning" and "lang" in str(m.get("message", "")).lower())
    ]
    assert errors == []
    pages = list(site.rglob("*.html"))
    assert len(pages) > 500


def current_heading(page: Page) -> str:
    return page.locator("section.slide.current").locator("h1, h2").first.inner_text()


def test_deck_by_keyboard_click_and_url(page: Page, server: str) -> None:
    page.goto(f"{server}/family/{STUDENT}/conference/")
    counter = page.locator(".deck-counter")
    total = page.locator("section.slide").count()
    assert counter.inner_text() == f"Slide 1 of {total}"
    assert current_heading(page) == "Emily's senior conference"
    page.keyboard.press("ArrowRight")
    assert counter.inner_text() == f"Slide 2 of {total}"
    assert page.url.endswith("#slide-2")
    assert current_heading(page) == "Who I am"
    page.keyboard.press("End")
    assert current_heading(page) == "Questions"
    page.keyboard.press("Home")
    assert counter.inner_text() == f"Slide 1 of {total}"
    page.keyboard.press("PageDown")
    page.keyboard.press("Space")
    assert counter.inner_text() == f"Slide 3 of {total}"
    page.reload()
    assert page.locator(".deck-counter").inner_text() == f"Slide 3 of {total}"
    page.keyboard.press("ArrowLeft")
    assert counter.inner_text() == f"Slide 2 of {total}"
    page.locator(".deck-next").click()
    assert counter.inner_text() == f"Slide 3 of {total}"
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
    assert pages >= slides  # each slide starts a page; a long one goes on to the next (tests/test_deck_browser.py)
    assert slides >= 8
