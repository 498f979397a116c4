"""`ilp export`'s site/: the student's own view as a site that works opened from disk.

Every link and every loaded file of every exported page is checked: a fragment, or a relative path to a
file inside site/ (never a folder, never above site/, no scheme, no leading slash). Strings planted where
the student's own view does not reach are searched for in every exported file. A browser opens the
export from file:// and follows its navigation and its search, and the pages read without JavaScript.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest

from generator.commands.conference import FLAGS
from generator.commands.export_site import page_url, portfolio_site, write_student_site
from generator.errors import IlpError
from generator.model.site import SitePage
from generator.pipeline import Corpus, build, corpus
from generator.site.plugin import file_link
from tests.conftest import REPO, TODAY_DATE, District

SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
SAMPLE_STUDENTS = ("emily-tran", "amara-osei")


class _Urls(HTMLParser):
    """Every href and src of a page, and the text of its main content."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.urls.append((tag, value))


def urls(page: Path) -> list[tuple[str, str]]:
    parser = _Urls()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.urls


def bad_links(site: Path) -> list[str]:
    """Every href or src in site/ that is not a fragment or a relative link to a file inside site/."""
    root = site.resolve()
    bad = []
    for page in sorted(root.rglob("*.html")):
        for tag, url in urls(page):
            if url.startswith("#"):
                continue
            path = url.partition("#")[0]
            where = f"{page.relative_to(root)}: <{tag}> {url}"
            if not path or SCHEME.match(url) or url.startswith(("/", "\\")) or "?" in path:
                bad.append(where)
                continue
            target = (page.parent / unquote(path)).resolve()
            if not target.is_relative_to(root) or not target.is_file() or path.endswith("/"):
                bad.append(where)
    return bad


@pytest.fixture(scope="module")
def sample() -> Corpus:
    return corpus(REPO, TODAY_DATE)


@pytest.fixture(scope="module")
def exported(sample: Corpus, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    found = {}
    for student_id in SAMPLE_STUDENTS:
        out = tmp_path_factory.mktemp(student_id) / "site"
        assert write_student_site(sample, student_id, out) > 10
        found[student_id] = out
    return found


# --- Links, assets, search --------------------------------------------------------------------------


@pytest.mark.parametrize("student_id", SAMPLE_STUDENTS)
def test_every_link_names_a_file_inside_the_export(exported: dict[str, Path], student_id: str) -> None:
    site = exported[student_id]
    assert (site / "index.html").is_file()
    assert (site / "404.html").is_file()
    assert bad_links(site) == []
    assert sum(len(urls(page)) for page in site.rglob("*.html")) > 100


@pytest.mark.parametrize("student_id", SAMPLE_STUDENTS)
def test_nothing_is_loaded_from_another_host(exported: dict[str, Path], student_id: str) -> None:
    site = exported[student_id]
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "//" not in "".join(url for _, url in urls(page)), page
        assert "/assets/" not in text.replace('"assets/', "").replace("/../assets/", "").replace("./assets/", "")
    for sheet in site.rglob("*.css"):
        text = sheet.read_text(encoding="utf-8")
        assert "@import" not in text, sheet
        assert "url(" not in text, sheet
    for script in site.rglob("*.js"):
        if script.name != "lunr.js":  # lunr's comments name its sources; it loads nothing
            assert "http" not in script.read_text(encoding="utf-8"), script
    for page in site.rglob("*.html"):  # the index comes as a script first, so search.js never fetches it
        text = page.read_text(encoding="utf-8")
        if "search.js" in text:
            assert text.index("search/search_index.js") < text.index("assets/search.js"), page


def test_the_pages_are_named_as_page_url_says(sample: Corpus, exported: dict[str, Path]) -> None:
    site = exported["emily-tran"]
    student = next(s for s in sample.students if s.id == "emily-tran")
    pages = portfolio_site(sample, student).pages
    assert {"index.md", "my-goals.md", "conference.md", "change-record.md"} <= {p.path for p in pages}
    for page in pages:
        assert (site / page_url(page.path)).is_file(), page.path
    assert page_url("postsecondary-career-planning/index.md") == "postsecondary-career-planning/index.html"
    assert page_url("postsecondary-career-planning/resume.md") == "postsecondary-career-planning/resume.html"
    with pytest.raises(ValueError, match="not the name of a page"):
        page_url("artifacts/chart.svg")


def test_navigation_lessons_deck_and_404_link_files(exported: dict[str, Path]) -> None:
    site = exported["emily-tran"]
    home = {url: tag for tag, url in urls(site / "index.html")}
    assert {"my-goals.html", "this-year.html", "change-record.html", "conference.html"} <= set(home)
    assert "./assets/ilp.css" in home
    assert "./search/search_index.js" in home
    nested = [url for _, url in urls(site / "postsecondary-career-planning" / "resume.html")]
    assert "../index.html" in nested
    assert "../assets/ilp.css" in nested
    # The lessons the student's "This year" links to are in the export, with a way back.
    lessons = [url for _, url in urls(site / "this-year.html") if url.startswith("curriculum/")]
    assert lessons
    assert all(url.endswith(".html") and (site / url).is_file() for url in lessons)
    lesson = site / lessons[0]
    assert "../../index.html" in [url for _, url in urls(lesson)]
    assert "Facilitator" not in lesson.read_text(encoding="utf-8")
    assert "./index.html" in [url for _, url in urls(site / "conference.html")]
    assert [url for _, url in urls(site / "404.html")] == ["assets/ilp.css", "index.html"]
    evidence = [url for _, url in urls(site / "evidence-files.html") if url.startswith("artifacts/")]
    assert evidence
    assert all((site / url).is_file() for url in evidence)


def test_search_reads_its_index_from_a_script(exported: dict[str, Path]) -> None:
    site = exported["emily-tran"]
    assert not list(site.rglob("search_index.json"))
    for index in (site / "search" / "search_index.js", site / "curriculum" / "search" / "search_index.js"):
        text = index.read_text(encoding="utf-8")
        assert text.startswith("window.ilpSearchIndex = {")
        assert text.endswith("};\n")
        locations = re.findall(r'"location":"([^"]*)"', text)
        assert locations
        assert all(loc.split("#")[0].endswith(".html") for loc in locations)
    assert '"location":"my-goals.html' in (site / "search" / "search_index.js").read_text(encoding="utf-8")
    assert "ilpSearchIndex" in (site / "assets" / "search.js").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("url", "page_dir", "expected"),
    [
        ("#top", "x", "#top"),
        ("goals.html#a", ".", "goals.html#a"),
        ("./", ".", "index.html"),
        ("..", "x", "../index.html"),
        ("../x/", "x", "../x/index.html"),
        ("curriculum/grade-07/lesson/", ".", "curriculum/grade-07/lesson.html"),
        ("my%20chart.svg", ".", "my%20chart.svg"),
        ("goals/", ".", "goals.html"),
        ("../outside.html", ".", None),
        ("missing.html", ".", None),
        ("https://example.org/", ".", None),
        ("/goals.html", ".", None),
        ("goals.html?q=1", ".", None),
    ],
)
def test_a_file_link_names_a_file_or_nothing(url: str, page_dir: str, expected: str | None) -> None:
    known = frozenset(
        ["index.html", "goals.html", "x/index.html", "my chart.svg", "curriculum/grade-07/lesson.html", "x/a.html"]
    )
    assert file_link(url, page_dir, known) == expected


def test_the_normal_build_keeps_folder_urls_and_shared_assets(district: District, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(district.root, out, TODAY_DATE)
    page = (out / "student" / "ava" / "index.html").read_text(encoding="utf-8")
    assert 'href="my-goals/"' in page
    assert 'search_index.js"' not in page
    assert "fetch(" in (out / "assets" / "search.js").read_text(encoding="utf-8")


# --- Extra pages and errors -------------------------------------------------------------------------


def test_extra_pages_join_the_navigation_after_home(district: District, tmp_path: Path) -> None:
    loaded = corpus(district.root, TODAY_DATE)
    summary = SitePage(
        "my-years.md", "# My years\n\nSee [my goals](my-goals.md#academic).\n", meta={"title": "My years"}
    )
    site = tmp_path / "site"
    pages = write_student_site(loaded, "ava", site, [summary])
    assert (site / "my-years.html").is_file()
    home = [url for _, url in urls(site / "index.html")]
    nav = [url for url in home if url.endswith(".html") and not url.startswith(("assets", "search"))]
    assert nav[:3] == ["index.html", "index.html", "my-years.html"]  # the site title, Home, then the extra page
    assert "my-goals.html#academic" in [url for _, url in urls(site / "my-years.html")]
    assert bad_links(site) == []
    assert pages == write_student_site(loaded, "ava", site) + 1  # built again: replaced whole


def test_an_extra_page_may_not_take_a_name(district: District, tmp_path: Path) -> None:
    loaded = corpus(district.root, TODAY_DATE)
    for name in ("my-goals.md", "curriculum/x.md", "notes.txt"):
        with pytest.raises(IlpError, match=f"cannot add the page {re.escape(name)}"):
            write_student_site(loaded, "ava", tmp_path / "site", [SitePage(name, "# X\n")])
    assert not (tmp_path / "site").exists()


def test_an_unknown_or_skipped_student_is_an_error(district: District, tmp_path: Path) -> None:
    district.write("students/bob/profile.yml", "name: Bob\ngraduation_year: nope\n")
    loaded = corpus(district.root, TODAY_DATE)
    assert "bob" in loaded.skipped
    with pytest.raises(IlpError, match=r"students/bob has errors and was left out; fix them"):
        write_student_site(loaded, "bob", tmp_path / "site")
    with pytest.raises(IlpError, match=r"there is no student 'avaa' in students/ \(did you mean 'ava'\?\)"):
        write_student_site(loaded, "avaa", tmp_path / "site")
    assert not (tmp_path / "site").exists()


# --- What the student's own view does not hold ------------------------------------------------------

HIDDEN = {
    "email": "canary.mail.5521@students.example.org",
    "family_email": "canary.family.6632@example.org",
    "public_path": "canary-public-path-7743",
    "comment": "canaryComment8854",
    "facilitator": "canaryFacilitator9965",
    "other_student": "canaryOtherStudent1076",
}


def test_nothing_outside_the_students_own_view_is_exported(district: District, tmp_path: Path) -> None:
    c = HIDDEN
    district.write(
        "students/ava/profile.yml",
        f"""\
        name: Ava Reyes
        graduation_year: 2032
        school: Harbor View Middle School
        educators: [mrivera]
        public_path: {c["public_path"]}
        emails: [{c["email"]}]
        family:
          - name: Rosa Reyes
            relationship: mother
            emails: [{c["family_email"]}]
        """,
    )
    district.write(
        "students/ava/self-awareness/me.md", f"---\ntitle: About me\n---\nHello.\n\n<!-- {c['comment']} -->\n"
    )
    district.write(
        "students/ava/conference.md",
        "---\nvisibility: family\n---\n## My robot\n\nIt picks up cups.\n\nNotes: canaryOwnNotes2187\n",
    )
    district.write(
        "curriculum/grade-07/g7-test-lesson.md",
        "---\nid: g7-test-lesson\ntitle: A test lesson\ngrade: 7\nasca: [M 4]\nactivities: [g7-career-research]\n---\n"
        f"Students research two careers.\n\n## Facilitator notes {{: .facilitator }}\n\n{c['facilitator']}\n",
    )
    district.write("students/zoe/profile.yml", f"name: Zoe Park\ngraduation_year: 2031\nabout: {c['other_student']}\n")
    loaded = corpus(district.root, TODAY_DATE)
    assert not loaded.report.errors, [d.format() for d in loaded.report.errors]
    site = tmp_path / "site"
    write_student_site(loaded, "ava", site)
    everything = "\n".join(
        part
        for path in sorted(site.rglob("*"))
        for part in (path.relative_to(site).as_posix(), path.read_text("utf-8", "replace") if path.is_file() else "")
    )
    assert "Rosa Reyes" in everything
    assert "Students research two careers" in everything
    assert "canaryOwnNotes2187" in everything  # the student's own speaker notes are theirs
    for where, canary in HIDDEN.items():
        assert canary not in everything, where
    assert bad_links(site) == []


def test_a_district_without_a_student_audience_exports_the_first_full_access_view(
    district: District, tmp_path: Path
) -> None:
    config = (district.root / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("audiences: [student, educator,", "audiences: [learner, educator,")
    config = config.replace("full_access: [student, educator]", "full_access: [learner, educator]")
    district.write("mkdocs.yml", config, dedent=False)
    loaded = corpus(district.root, TODAY_DATE)
    assert loaded.district.options.full_access[0] == "learner"
    site = tmp_path / "site"
    write_student_site(loaded, "ava", site)
    assert 'class="audience-learner"' in (site / "index.html").read_text(encoding="utf-8")
    assert bad_links(site) == []


# --- In a browser, from file:// ---------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
# The flags `ilp conference` starts Chromium with, less the ones for printing (as tests/test_browser.py).
LAUNCH_ARGS = [flag for flag in FLAGS if flag != "--headless" and "pdf" not in flag]


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None  # type: ignore[assignment]
    if sync_playwright is None or not CHROMIUM.exists():
        if os.environ.get("ILP_REQUIRE_BROWSER") == "1":
            raise RuntimeError("the browser test needs playwright and /usr/bin/chromium; run .ci/run")
        pytest.skip("the browser test needs playwright and /usr/bin/chromium (.ci/run installs them)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


def test_the_export_works_opened_from_disk(chromium: object, exported: dict[str, Path]) -> None:
    from playwright.sync_api import Browser

    assert isinstance(chromium, Browser)
    site = exported["emily-tran"].resolve()
    context = chromium.new_context()
    elsewhere: list[str] = []
    failed: list[str] = []
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith("file://")
            else (elsewhere.append(route.request.url), route.abort())[1]
        ),
    )
    context.on("requestfailed", lambda request: failed.append(request.url))
    errors: list[str] = []
    tab = context.new_page()
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.goto((site / "index.html").as_uri())
    assert tab.evaluate("getComputedStyle(document.body).marginTop") == "0px"
    assert tab.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--text').trim()") == "#1b1f24"
    for title, file in (("My goals", "my-goals.html"), ("This year", "this-year.html")):
        tab.click(f"nav.site-nav a:text-is('{title}')")
        tab.wait_for_load_state()
        assert tab.url == (site / file).as_uri()
        assert tab.locator("main h1").first.is_visible()
        assert tab.evaluate("getComputedStyle(document.querySelector('.site-nav a')).color") == "rgb(11, 79, 156)"
    tab.click("main a[href^='curriculum/']")
    tab.wait_for_load_state()
    assert tab.url.startswith((site / "curriculum").as_uri() + "/")
    assert tab.url.endswith(".html")
    tab.click("nav.site-nav a:text-is('Back to my portfolio')")
    assert tab.url == (site / "index.html").as_uri()
    # Search works from disk: its index is a script.
    tab.fill("#search-input", "marsh")
    first = tab.locator(".search-results a").first
    first.wait_for()
    href = first.get_attribute("href") or ""
    assert href.startswith("./")
    assert href.partition("#")[0].endswith(".html")
    first.click()
    tab.wait_for_load_state()
    assert tab.url.startswith(site.as_uri() + "/")
    assert ".html" in tab.url
    tab.goto((site / "conference.html").as_uri())
    assert tab.locator("section.slide").count() > 3
    context.close()
    assert elsewhere == []
    assert failed == []
    assert errors == []


def test_the_export_reads_without_javascript(chromium: object, exported: dict[str, Path]) -> None:
    from playwright.sync_api import Browser

    assert isinstance(chromium, Browser)
    site = exported["amara-osei"].resolve()
    context = chromium.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto((site / "index.html").as_uri())
    assert not tab.locator("form.search").is_visible()  # no search without JavaScript, and no empty form
    links = tab.eval_on_selector_all("nav.site-nav a", "links => links.map(a => a.getAttribute('href'))")
    assert len(links) > 4
    assert all(posixpath.splitext(link)[1] == ".html" for link in links)
    tab.click(f"nav.site-nav a[href='{links[1]}']")
    assert tab.locator("main").inner_text().strip()
    assert tab.evaluate("getComputedStyle(document.body).marginTop") == "0px"
    context.close()
