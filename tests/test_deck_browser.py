"""The conference decks of the sample district in Chromium: every slide of every deck in every state
(first load, each slide, the presenter view, no JavaScript) passes axe-core and the Nu checker, the
keyboard works (skip link first, Escape leaves the presenter view, the pressed button looks pressed),
the presenter view fits 390 px, and printing never cuts a slide: each deck is printed to PDF and the
last words of every slide are on paper before the next slide begins, with its footer.

Skipped like tests/test_browser.py when Chromium, Playwright, axe-core, the Nu checker or java are
missing (ILP_REQUIRE_BROWSER=1 makes that a failure).
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.browser_support import (  # the fixtures browser, page, server and site, and helpers
    axe,
    browser_fixture,  # noqa: F401
    guarded_tab,
    nu_messages,
    page_fixture,  # noqa: F401
    require,
    server_fixture,  # noqa: F401
    site_fixture,  # noqa: F401
)
from tests.conftest import REPO

STUDENTS = sorted(p.name for p in (REPO / "students").iterdir() if (p / "profile.yml").is_file())
AUDIENCES = ("student", "educator", "family")  # the full views and the conference audience

require()

from playwright.sync_api import Browser, Page  # noqa: E402

# --- Reading a PDF's text, page by page (Chromium's: PDF 1.4, Flate streams, Type0 fonts) -------


def _objects(data: bytes) -> dict[int, tuple[bytes, bytes]]:
    """Each object's dictionary and its stream (read by its /Length: a stream is binary)."""
    found: dict[int, tuple[bytes, bytes]] = {}
    at = 0
    while (start := re.compile(rb"(\d+) 0 obj\b").search(data, at)) is not None:
        end = data.find(b"endobj", start.end())
        opening = data.find(b"stream", start.end(), end)
        if opening < 0:
            found[int(start.group(1))] = (data[start.end() : end], b"")
            at = end
            continue
        head = data[start.end() : opening]
        length = int(re.search(rb"/Length (\d+)", head).group(1))  # type: ignore[union-attr]
        begin = opening + len(b"stream") + (2 if data[opening + 6 : opening + 8] == b"\r\n" else 1)
        raw = data[begin : begin + length]
        found[int(start.group(1))] = (head, zlib.decompress(raw) if b"/FlateDecode" in head else raw)
        at = data.find(b"endobj", begin + length)
    return found


def _cmap(text: bytes) -> dict[int, str]:
    table: dict[int, str] = {}
    for part in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", part):
            table[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for part in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
        for low, high, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", part):
            first = int(dst, 16)
            for i, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                table[code] = chr(first + i)
    return table


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page, in the order it is drawn."""
    objects = _objects(data)
    catalog = next(head for head, _ in objects.values() if b"/Type /Catalog" in head)
    root = int(re.search(rb"/Pages (\d+) 0 R", catalog).group(1))  # type: ignore[union-attr]

    def leaves(number: int) -> Iterator[int]:
        body = objects[number][0]
        if b"/Type /Pages" in body:
            kids = re.search(rb"/Kids \[(.*?)\]", body, re.S).group(1)  # type: ignore[union-attr]
            for kid in re.findall(rb"(\d+) 0 R", kids):
                yield from leaves(int(kid))
        else:
            yield number

    maps: dict[int, dict[int, str]] = {}
    pages = []
    for number in leaves(root):
        body = objects[number][0]
        fonts: dict[bytes, dict[int, str]] = {}
        block = re.search(rb"/Font <<(.*?)>>", body, re.S)
        for name, ref in re.findall(rb"/(\w+) (\d+) 0 R", block.group(1) if block else b""):
            if int(ref) not in maps:
                unicode = re.search(rb"/ToUnicode (\d+) 0 R", objects[int(ref)][0])
                maps[int(ref)] = _cmap(objects[int(unicode.group(1))][1]) if unicode else {}
            fonts[name] = maps[int(ref)]
        contents = re.search(rb"/Contents (\d+) 0 R", body)
        stream = objects[int(contents.group(1))][1] if contents else b""
        font: dict[int, str] = {}
        text = []
        for op in re.finditer(rb"/(\w+) [\d.]+ Tf|(\[.*?\])\s*TJ|<([0-9A-Fa-f]*)>\s*Tj|(ET)", stream, re.S):
            if op.group(1):
                font = fonts.get(op.group(1), {})
                continue
            runs = re.findall(rb"<([0-9A-Fa-f]*)>", op.group(2)) if op.group(2) else [op.group(3) or b""]
            for run in runs:
                text += [font.get(int(run[i : i + 4], 16), "") for i in range(0, len(run), 4)]
            if op.group(4):
                text.append("\n")
        pages.append("".join(text))
    return pages


def squeeze(text: str) -> str:
    """Text to compare across layouts: ligatures undone, no white space."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def decks(site: Path) -> list[str]:
    return [f"{a}/{s}" for a in AUDIENCES for s in STUDENTS if (site / a / s / "conference" / "index.html").is_file()]


def snapshot(page: Page, folder: Path, name: str) -> None:
    """The document as the browser holds it now, for the Nu checker."""
    html = page.evaluate("'<!doctype html>\\n' + document.documentElement.outerHTML")
    (folder / f"{name}.html").write_text(html, encoding="utf-8")


def nu_errors(*paths: Path) -> list[str]:
    messages = nu_messages("--errors-only", "--skip-non-html", *paths)
    return [f"{m.get('url', '')}: {m.get('message')}" for m in messages if m.get("type") == "error"]


def current(page: Page) -> str:
    return page.locator("section.slide.current h2").inner_text()


# --- Every slide of every deck, in every state ------------------------------------------------------


def test_every_slide_of_every_deck_in_every_state_passes_axe_and_nu(
    browser: Browser, server: str, site: Path, tmp_path: Path
) -> None:
    every = decks(site)
    assert len(every) == 3 * len(STUDENTS)
    violations: dict[str, Any] = {}
    outside: list[str] = []
    tab = guarded_tab(browser, server, outside)
    # The page as it is without JavaScript: deck.js is not loaded (axe needs JavaScript to run at all;
    # test_without_javascript_no_control_shows_and_the_deck_is_one_page turns it off).
    quiet = guarded_tab(browser, server, outside)
    quiet.route("**/deck.js", lambda route: route.abort())
    for deck in every:
        name = deck.replace("/", "-")
        url = f"{server}/{deck}/conference/"
        tab.goto(url)
        total = tab.locator("section.slide").count()
        if found := axe(tab):
            violations[f"{deck} first load"] = found
        snapshot(tab, tmp_path, f"{name}-0")
        for index in range(1, total):
            tab.keyboard.press("ArrowRight")
            assert re.fullmatch(rf"\D*\b{index + 1}\b\D+\b{total}\b\D*", tab.locator(".deck-counter").inner_text())
            if found := axe(tab):
                violations[f"{deck} slide {index + 1}"] = found
            snapshot(tab, tmp_path, f"{name}-{index}")
        broken = tab.evaluate(
            "Array.from(document.querySelectorAll('section.slide img')).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
        )
        assert broken == [], deck
        if deck.startswith("student/"):
            tab.keyboard.press("Home")
            tab.keyboard.press("p")
            tab.locator(".presenter-panel").wait_for(state="visible")
            for index in range(total):
                if found := axe(tab):
                    violations[f"{deck} presenter view, slide {index + 1}"] = found
                snapshot(tab, tmp_path, f"{name}-presenter-{index}")
                tab.keyboard.press("ArrowRight")
            tab.keyboard.press("Escape")
        quiet.goto(url)
        assert quiet.locator("section.slide:visible").count() == total
        if found := axe(quiet):
            violations[f"{deck} without JavaScript"] = found
    tab.context.close()
    quiet.context.close()
    assert outside == []
    assert violations == {}
    assert nu_errors(tmp_path) == []
    # Without JavaScript the page is the file as built: the checker reads those too.
    assert nu_errors(*(site / deck / "conference" / "index.html" for deck in every)) == []


# --- The keyboard, the controls, the presenter view ------------------------------------------------


def test_first_tab_reaches_the_skip_link_and_escape_leaves_the_presenter_view(page: Page, server: str) -> None:
    page.goto(f"{server}/student/emily-tran/conference/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.url.endswith("/conference/")  # loading changes no address
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowRight")
    assert page.url.endswith("#slide-2")
    button = page.locator(".deck-presenter")
    style = "(b) => { const s = getComputedStyle(b), t = getComputedStyle(b, '::before'); return [s.backgroundColor, s.boxShadow, s.fontWeight, t.content]; }"
    released = button.evaluate(style)
    page.keyboard.press("p")
    page.locator(".presenter-panel").wait_for(state="visible")
    assert button.get_attribute("aria-pressed") == "true"
    pressed = button.evaluate(style)
    assert pressed[0] != released[0]  # another colour,
    assert pressed[1] != "none"  # sunk in,
    assert pressed[1] != released[1]
    assert "✓" in pressed[3]  # and ticked: not colour alone
    assert "✓" not in released[3]
    page.keyboard.press("Escape")
    assert page.locator(".presenter-panel").count() == 0
    assert button.get_attribute("aria-pressed") == "false"
    assert "presenter" not in (page.locator("body").get_attribute("class") or "")
    assert current(page) == "Who I am"


def test_without_javascript_no_control_shows_and_the_deck_is_one_page(browser: Browser, server: str) -> None:
    outside: list[str] = []
    tab = guarded_tab(browser, server, outside, java_script_enabled=False)
    tab.goto(f"{server}/student/emily-tran/conference/")
    assert not tab.locator(".deck-controls").is_visible()
    assert not tab.locator(".deck-help").is_visible()
    for name in ("Previous", "Next", "Presenter view"):
        assert not tab.get_by_role("button", name=name).is_visible()
    slides = tab.locator("section.slide")
    assert all(slides.nth(i).is_visible() for i in range(slides.count()))
    assert tab.locator(".notes").first.is_visible()  # the student's own notes, under their slides
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.className") == "skip-link"
    tab.context.close()
    assert outside == []


def test_presenter_view_is_usable_at_390_px(browser: Browser, server: str) -> None:
    outside: list[str] = []
    tab = guarded_tab(browser, server, outside, viewport={"width": 390, "height": 844}, has_touch=True)
    tab.goto(f"{server}/student/emily-tran/conference/#slide-4")
    tab.keyboard.press("p")
    panel = tab.locator(".presenter-panel")
    panel.wait_for(state="visible")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    for selector in ("section.slide.current", ".presenter-panel", ".deck-controls"):
        box = tab.locator(selector).bounding_box()
        assert box is not None, selector
        assert box["x"] >= 0, selector
        assert box["x"] + box["width"] <= 390, selector
    slide = tab.locator("section.slide.current").bounding_box()
    notes = panel.bounding_box()
    assert slide is not None
    assert notes is not None
    assert notes["y"] >= slide["y"] + slide["height"] - 1  # under the slide, not squeezed beside it
    assert "calibration error" in panel.locator(".presenter-notes").inner_text()
    for name in ("Previous", "Next", "Presenter view"):
        button = tab.get_by_role("button", name=name)
        assert button.is_visible()
        box = button.bounding_box()
        assert box is not None, name
        assert min(box["height"], box["width"]) >= 24, name
    tab.get_by_role("button", name="Next").tap()
    assert tab.locator(".deck-counter").inner_text().startswith("Slide 5 of")
    assert tab.locator(".presenter-next").is_visible()
    assert axe(tab) == []
    tab.context.close()
    assert outside == []


# --- Printing ---------------------------------------------------------------------------------


def _printed_slides(page: Page) -> list[dict[str, str]]:
    """Each slide as print lays it out: its title, its last words (notes are not printed) and its footer."""
    page.emulate_media(media="print")
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('section.slide')).map(s => {
            const walker = document.createTreeWalker(s.querySelector('.slide-body'), NodeFilter.SHOW_TEXT);
            let text = '';
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const shown = node.parentElement && node.parentElement.getClientRects().length > 0;
                if (shown && node.textContent.trim()) { text = node.textContent; }
            }
            const words = text.trim().split(/\\s+/);
            return {title: s.querySelector('h2').innerText, last: words.slice(-4).join(' '),
                    footer: s.querySelector('.slide-footer').innerText};
        })"""
    )


def assert_every_slide_printed_whole(pages: list[str], slides: list[dict[str, str]], where: str) -> None:
    """Each slide's title, last words and footer, in that order and before the next slide's title, which
    starts a later page."""
    text = "".join(squeeze(page) for page in pages)
    starts = []
    offset = 0
    for page in pages:
        starts.append(offset)
        offset += len(squeeze(page))

    def page_of(position: int) -> int:
        return max(i for i, start in enumerate(starts) if start <= position)

    at = 0
    previous_page = -1
    for number, slide in enumerate(slides, 1):
        title = text.find(squeeze(slide["title"]), at)
        assert title >= 0, f"{where}: slide {number} ({slide['title']}) is not printed"
        assert page_of(title) > previous_page, f"{where}: slide {number} does not start a page"
        last = text.find(squeeze(slide["last"]), title)
        assert last >= 0, f"{where}: slide {number} ({slide['title']}) is cut: '{slide['last']}' is not printed"
        footer = text.find(squeeze(slide["footer"]), last)
        assert footer >= 0, f"{where}: slide {number} ({slide['title']}) has no footer after its last words"
        following = slides[number]["title"] if number < len(slides) else None
        if following is not None:
            assert text.find(squeeze(following), footer) >= 0, f"{where}: slide {number + 1} comes too early"
        at = footer + len(squeeze(slide["footer"]))
        previous_page = page_of(footer)


def test_printing_every_deck_cuts_no_slide(browser: Browser, server: str, site: Path) -> None:
    outside: list[str] = []
    tab = guarded_tab(browser, server, outside)
    for deck in decks(site):
        tab.emulate_media(media="screen")
        tab.goto(f"{server}/{deck}/conference/")
        slides = _printed_slides(tab)
        total = len(slides)
        for number, slide in enumerate(slides, 1):  # "Ava · Slide 2 of 9", in the site's language
            assert re.fullmatch(rf".+ · \D*\b{number}\b\D+\b{total}\b\D*", slide["footer"]), (deck, slide["footer"])
        pages = pdf_pages(tab.pdf(prefer_css_page_size=True))
        assert len(pages) >= len(slides)
        assert_every_slide_printed_whole(pages, slides, deck)
        if deck == "family/emily-tran":
            # A link prints its address: the whole one, as the deck is served.
            printed = "".join(squeeze(page) for page in pages)
            assert (
                squeeze(f"My college search ({server}/family/emily-tran/postsecondary-career-planning/college-search/)")
                in printed
            )
    tab.context.close()
    assert outside == []


def test_handout_pdf_prints_every_slide_whole(browser: Browser, server: str, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    pdf = tmp_path / "handout.pdf"
    result = CliRunner().invoke(main, ["conference", "emily-tran", "--pdf", str(pdf), "--root", str(REPO)])
    assert result.exit_code == 0, result.output
    count = int(re.search(r"(\d+) slides", result.output).group(1))  # type: ignore[union-attr]
    outside: list[str] = []
    tab = guarded_tab(browser, server, outside)
    tab.goto(f"{server}/family/emily-tran/conference/")
    slides = _printed_slides(tab)
    assert len(slides) == count
    pages = pdf_pages(pdf.read_bytes())
    assert len(pages) >= count
    assert_every_slide_printed_whole(pages, slides, "ilp conference --pdf")
    # The handout is a file: a link prints its address in the portfolio.
    printed = "".join(squeeze(page) for page in pages)
    assert squeeze("My college search (postsecondary-career-planning/college-search/)") in printed
    tab.context.close()
