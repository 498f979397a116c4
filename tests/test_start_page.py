"""The output root's start page and 404 page: for everyone, styled by the theme, naming no student.

The root is public: it links the district's pages and the lessons, and says where each reader finds a
portfolio (the addresses behind sign-in, as patterns), but never lists, links or names a student.
axe-core and the Nu Html Checker run on both pages when the browser tools are installed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.pipeline import build
from tests.conftest import REPO, TODAY_DATE, District

CHROMIUM = Path("/usr/bin/chromium")
TOOLS = REPO / "tests" / "browser" / "node_modules"
AXE = TOOLS / "axe-core" / "axe.min.js"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.lang = ""
        self.stylesheets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang") or ""
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
        if tag == "link" and found.get("rel") == "stylesheet":
            self.stylesheets.append(str(found["href"]))


def read(page: Path) -> _Page:
    parser = _Page()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def built(district: District, file_urls: bool = False) -> Path:
    if file_urls:
        config = district.root / "mkdocs.yml"
        config.write_text("use_directory_urls: false\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    out = district.root.parent / "site"
    result = build(district.root, out, TODAY_DATE)
    assert not result.errors, [d.format() for d in result.errors]
    return out


def test_the_start_page_links_the_public_sites_and_says_where_portfolios_are(district: District) -> None:
    out = built(district)
    text = (out / "index.html").read_text(encoding="utf-8")
    page = read(out / "index.html")
    assert page.lang == "en"
    assert page.stylesheets == ["assets/ilp.css"]
    assert (out / "assets" / "ilp.css").is_file()
    assert "Harbor View School District ILP" in text
    assert set(page.links) == {"#content", "public/", "public/curriculum/"}
    for link in page.links[1:]:
        assert (out / link / "index.html").is_file(), link
    for reader in ("Students", "Families", "Educators", "Advisory groups"):
        assert f"<dt>{reader}</dt>" in text
    assert "<code>student/&lt;id&gt;/</code>" in text
    assert "<code>educator/_&lt;id&gt;/</code>" in text


def test_the_start_page_names_no_student(district: District) -> None:
    out = built(district)
    text = (out / "index.html").read_text(encoding="utf-8")
    for private in ("Ava", "Reyes", "ava", "Harbor View Middle School", "mrivera", "Rivera"):
        assert not re.search(rf"\b{re.escape(private)}\b", text), private
    starts = list(out.glob("*/_*"))
    assert starts
    for start in starts:  # nor any educator's, family's or group's start page
        assert start.name not in text
    assert not [link for link in read(out / "index.html").links if link.startswith(("student", "family", "educator"))]


def test_with_file_urls_the_root_pages_link_files(district: District) -> None:
    out = built(district, file_urls=True)
    assert set(read(out / "index.html").links) == {"#content", "public/index.html", "public/curriculum/index.html"}
    for link in ("public/index.html", "public/curriculum/index.html"):
        assert (out / link).is_file()
    missing = read(out / "404.html")
    assert missing.links == ["index.html"]
    assert missing.stylesheets == ["assets/ilp.css"]


def test_the_404_page_is_styled_and_leads_to_the_start_page(district: District) -> None:
    out = built(district)
    page = read(out / "404.html")
    assert page.lang == "en"
    assert page.links == ["/"]
    assert page.stylesheets == ["/assets/ilp.css"]  # served for any missing address, at any depth
    assert "<h1>Page not found</h1>" in (out / "404.html").read_text(encoding="utf-8")


def test_the_root_pages_follow_the_districts_language(district: District) -> None:
    config = district.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"^( +)language: .*$", r"\1language: es", text, flags=re.M)
    if "language: es" not in text:
        text = text.replace("  - ilp:\n", "  - ilp:\n      language: es\n")
    config.write_text(text, encoding="utf-8")
    out = built(district)
    assert read(out / "index.html").lang == "es"
    assert read(out / "404.html").lang == "es"


def _browser_tools() -> str | None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package"
    if not CHROMIUM.exists() or not AXE.exists() or not VNU.exists() or shutil.which("java") is None:
        return "chromium, java and tests/browser/node_modules (.ci/run installs them)"
    return None


@pytest.mark.parametrize("file_urls", [False, True])
def test_the_root_pages_pass_axe_and_the_nu_checker(district: District, file_urls: bool) -> None:
    missing = _browser_tools()
    if missing is not None:
        pytest.skip(f"needs {missing}")
    from playwright.sync_api import sync_playwright

    out = built(district, file_urls)
    run = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", str(out / "index.html"), str(out / "404.html")],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    assert [m.get("message") for m in messages if m.get("type") == "error"] == []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            tab = browser.new_page()
            for name in ("index.html", "404.html"):
                tab.goto((out / name).as_uri())
                tab.add_script_tag(content=AXE.read_text(encoding="utf-8"))
                result = tab.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
                assert [v["id"] for v in result["violations"]] == [], name
                if name == "index.html" or file_urls:  # from disk, the 404 page's CSS is found only as a file
                    font = tab.evaluate("getComputedStyle(document.body).fontFamily")
                    assert "system-ui" in font, name
        finally:
            browser.close()
