"""The README's quick start, run as it is written and opened as it says: from disk, in a browser.

The quick start's `ilp demo` and `ilp build` run in a process of their own (the `ilp` of this
virtual environment), into a temporary folder. The demo's mkdocs.yml says `use_directory_urls:
false`, so every link of every page names a file (across sites too: a student's lessons, a start
page's students) and search reads its index from a script, which a page opened from disk may load.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from generator.commands.conference import FLAGS
from generator.pipeline import build
from tests.conftest import REPO, TODAY_DATE, District

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [flag for flag in FLAGS if flag != "--headless" and "pdf" not in flag]
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
OTHER_HOSTS = ("http:", "https:", "mailto:", "tel:")  # links that need no file of the site


def quick_start() -> str:
    return (REPO / "README.md").read_text(encoding="utf-8").split("## Quick start", 1)[1].split("\n## ", 1)[0]


def ilp_commands() -> list[list[str]]:
    """The `ilp` commands of the quick start's first command, with this environment's `ilp`."""
    block = re.search(r"```sh\n(.*?)```", quick_start(), re.S)
    assert block is not None
    first = block.group(1).splitlines()[0]
    ilp = str(Path(sys.executable).parent / "ilp")
    commands = [shlex.split(part) for part in first.split("&&") if "bin/ilp " in part]
    return [[ilp if word.endswith("bin/ilp") else word for word in command] for command in commands]


def named_files() -> list[str]:
    """The files of the built site that the quick start tells the reader to open."""
    return re.findall(r"`(demo-district/site/[^`]+\.html)`", quick_start())


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder the quick start ran in."""
    folder = tmp_path_factory.mktemp("quick-start")
    commands = ilp_commands()
    assert [c[1] for c in commands] == ["demo", "build"]
    for command in commands:
        done = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False, timeout=600)
        assert done.returncode == 0, (command, done.stdout, done.stderr)
    return folder


class _Urls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [(tag, value) for name, value in attrs if name in ("href", "src") and value is not None]


def test_the_files_the_readme_names_are_built(ran: Path) -> None:
    named = named_files()
    assert "demo-district/site/index.html" in named
    assert len(named) >= 3
    for name in named:
        assert (ran / name).is_file(), name
    assert "use_directory_urls: false" in (ran / "demo-district" / "mkdocs.yml").read_text(encoding="utf-8")


def test_every_link_of_every_built_page_names_a_file(ran: Path) -> None:
    site = (ran / "demo-district" / "site").resolve()
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 500
    bad, checked = [], 0
    for page in pages:
        parser = _Urls()
        parser.feed(page.read_text(encoding="utf-8"))
        for tag, url in parser.urls:
            path = url.partition("#")[0]
            if url.startswith("#") or url.startswith(OTHER_HOSTS):
                continue
            checked += 1
            where = f"{page.relative_to(site)}: <{tag}> {url}"
            if not path or SCHEME.match(url) or url.startswith(("/", "\\")) or "?" in path or path.endswith("/"):
                bad.append(where)
                continue
            target = (page.parent / unquote(path)).resolve()
            if not target.is_relative_to(site) or not target.is_file():
                bad.append(where)
    assert checked > 10_000
    assert bad == []
    # Start pages link their students, and portfolios their lessons, as files of the other sites.
    start = next((site / "family").glob("_*/index.html")).read_text(encoding="utf-8")
    assert re.search(r'href="\.\./[a-z-]+/index\.html"', start)
    this_year = next((site / "student" / "leo-martinez").glob("this*year.html")).read_text(encoding="utf-8")
    assert re.search(r'href="\.\./\.\./public/curriculum/grade-07/[a-z0-9-]+\.html"', this_year)


def test_no_link_is_lost_to_file_urls(ran: Path, tmp_path: Path) -> None:
    """The same district built for a web server (directory URLs) has the same links on every page."""
    copy = tmp_path / "district"
    shutil.copytree(ran / "demo-district", copy, ignore=shutil.ignore_patterns("site"))
    config = copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("use_directory_urls: false", ""), encoding="utf-8")
    served = tmp_path / "served"
    assert not build(copy, served).errors
    site = ran / "demo-district" / "site"
    lost = []
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        twin = served / (rel if rel.endswith("index.html") or rel == "404.html" else rel[:-5] + "/index.html")
        if rel == "404.html":
            continue
        assert twin.is_file(), rel
        links = len(re.findall(r"<a [^>]*href=", page.read_text(encoding="utf-8")))
        if links != len(re.findall(r"<a [^>]*href=", twin.read_text(encoding="utf-8"))):
            lost.append(rel)
    assert lost == []


def test_every_search_index_is_a_script(ran: Path) -> None:
    site = ran / "demo-district" / "site"
    assert not list(site.rglob("search_index.json"))
    scripts = list(site.rglob("search/search_index.js"))
    assert len(scripts) > 50
    for script in scripts[:5]:
        assert script.read_text(encoding="utf-8").startswith("window.ilpSearchIndex = {")


# --- In a browser, from disk --------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("needs /usr/bin/chromium")
    with sync_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def tab(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    elsewhere: list[str] = []

    def only_files(route: Any) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", only_files)
    page = context.new_page()
    yield page
    context.close()
    assert elsewhere == [], f"requests off the disk: {elsewhere}"


def _file(url: str) -> Path:
    return Path(unquote(urlsplit(url).path))


def test_a_browser_follows_every_link_from_the_files_the_readme_names(ran: Path, tab: Any) -> None:
    site = (ran / "demo-district" / "site").resolve()
    queue = [(ran / name).resolve().as_uri() for name in named_files()]
    seen: set[str] = set(queue)
    problems: list[str] = []
    while queue:
        url = queue.pop()
        tab.goto(url)
        styled = tab.evaluate("getComputedStyle(document.body).fontFamily")
        if "system-ui" not in styled:
            problems.append(f"{url}: not styled by ilp.css")
        for href in tab.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            if href.startswith(OTHER_HOSTS):
                continue
            target = href.split("#", 1)[0]
            path = _file(target)
            if not target.startswith("file://") or not path.is_relative_to(site) or not path.is_file():
                problems.append(f"{url}: {href}")  # a folder (the browser lists it) or nothing at all
            elif target not in seen and path.suffix == ".html":
                seen.add(target)
                queue.append(target)
    assert problems == []
    opened = {_file(u).relative_to(site).parts[0] for u in seen if _file(u).is_relative_to(site)}
    assert {"index.html", "public", "student", "family"} <= opened
    assert len(seen) > 60


def test_search_works_opened_from_disk(ran: Path, tab: Any) -> None:
    tab.goto((ran / "demo-district/site/student/leo-martinez/index.html").resolve().as_uri())
    box = tab.locator("#search-input")
    box.wait_for(state="visible")
    box.fill("career")
    hit = tab.locator(".search-results a").first
    hit.wait_for()
    target = hit.get_attribute("href")
    hit.click()
    tab.wait_for_load_state()
    assert target is not None
    assert tab.url.startswith("file://")
    assert _file(tab.url.split("#")[0]).is_file()
    assert tab.locator(".search-unavailable").count() == 0


def test_search_says_plainly_when_it_cannot_run(district: District, tab: Any) -> None:
    """A site built for a web server (directory URLs, a JSON index) opened from disk: search cannot fetch."""
    out = district.root.parent / "site"
    result = build(district.root, out, TODAY_DATE)
    assert not result.errors
    tab.goto((out / "family" / "ava" / "index.html").as_uri())
    note = tab.locator("form.search .search-unavailable")
    note.wait_for(state="visible")
    assert "Search cannot run here" in note.inner_text()
    assert tab.locator("#search-input").is_disabled()


def test_use_directory_urls_must_be_true_or_false(district: District) -> None:
    config = district.root / "mkdocs.yml"
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    config.write_text("".join([*lines[:3], "use_directory_urls: sometimes\n", *lines[3:]]), encoding="utf-8")
    assert "mkdocs.yml:4: use_directory_urls should be true or false" in district.problems()
