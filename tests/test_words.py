"""Words and pages: what the generator writes reads cleanly on every page of the sample district.

The sample (`ilp demo`, with its two years of history, and a new student as `ilp new` starts them) is
built once; every page of every audience is scanned for the glitches of joined text (".;", "..", a
space before a comma, a parenthesis glued to a word), and the names, addresses and menus are checked:
one naming scheme for sections and generated pages, hyphens in every address, lessons for students
without internal codes, the staff pages out of the families' menu.
"""

from __future__ import annotations

import datetime
import html.parser
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.commands.demo import make_demo
from generator.pipeline import build
from tests.conftest import District

TODAY = datetime.date(2026, 11, 25)
NEW = "zoe-new"
GLITCHES = {
    "a period before a semicolon": r"\.;",
    "two periods": r"(?<!\.)\.\.(?!\.)",
    "a space before a comma or semicolon": r"\S [,;]",
    "a space before a period": r"\w \.(?![\w.])",
    "a parenthesis glued to a word": r"[^\W\d_]\((?!s\))",
    "a word glued to a closing parenthesis": r"\)[^\W\d_]",
    "a comma before a period": r",\.",
    "empty parentheses": r"\(\s*\)",
    "two separators in a row": r"[,;]\s*[,;]",
    "a separator with nothing after it": r"·\s*·",
}


class _Text(html.parser.HTMLParser):
    """A page's words, one line a block; code (file names, commands) as one word, scripts left out."""

    BLOCKS = frozenset(
        [
            "p",
            "li",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "tr",
            "td",
            "th",
            "div",
            "br",
            "blockquote",
            "pre",
            "dd",
            "dt",
            "figcaption",
            "caption",
            "section",
            "ul",
            "ol",
            "table",
            "title",
            "nav",
            "main",
            "header",
            "footer",
            "button",
            "label",
            "option",
            "summary",
            "details",
            "aside",
        ]
    )

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0
        self.code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "svg"):
            self.hidden += 1
        if tag == "code":
            self.code += 1
            self.parts.append("CODE")
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "svg"):
            self.hidden -= 1
        if tag == "code":
            self.code -= 1
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden and not self.code:
            self.parts.append(data)


def words(path: Path) -> list[str]:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return [" ".join(line.split()) for line in "".join(parser.parts).split("\n") if line.strip()]


class _Nav(html.parser.HTMLParser):
    """The portfolio menu (`nav.site-nav`) as (label, href or None, depth)."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[tuple[str, str | None, int]] = []
        self.inside = False
        self.depth = 0
        self.href: str | None = None
        self.text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "nav" and "site-nav" in (found.get("class") or ""):
            self.inside = True
        elif self.inside and tag == "ul":
            self.depth += 1
        elif self.inside and tag in ("a", "span"):
            self.href = found.get("href") if tag == "a" else None
            self.text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self.inside = False
        elif self.inside and tag == "ul":
            self.depth -= 1
        elif self.inside and tag in ("a", "span") and self.text is not None:
            self.entries.append((" ".join("".join(self.text).split()), self.href, self.depth))
            self.text = None

    def handle_data(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)


def menu(path: Path) -> list[tuple[str, str | None, int]]:
    parser = _Nav()
    parser.feed(path.read_text(encoding="utf-8"))
    assert parser.entries, path
    return parser.entries


def sections(entries: list[tuple[str, str | None, int]]) -> dict[str, list[tuple[str, str | None]]]:
    """Each menu section (an entry without a link) -> its children."""
    found: dict[str, list[tuple[str, str | None]]] = {}
    current = None
    for label, href, depth in entries:
        if depth == 1:
            current = label if href is None else None
            if current is not None:
                found[current] = []
        elif current is not None:
            found[current].append((label, href))
    return found


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("words") / "district"
    make_demo(root)
    result = CliRunner().invoke(
        main,
        ["new", NEW, "--name", "Zoe New", "--grade", "9", "--school", "Harbor View High School",
         "--educator", "mrivera", "--root", str(root), "--today", TODAY.isoformat()],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    out = root.parent / "site"
    build(root, out, today=TODAY)
    return root, out


def test_no_page_joins_its_words_badly(sample: tuple[Path, Path]) -> None:
    _, out = sample
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 500
    found = []
    for page in pages:
        for line in words(page):
            for glitch, pattern in GLITCHES.items():
                match = re.search(pattern, line)
                if match:
                    found.append(
                        f"{page.relative_to(out)}: {glitch}: …{line[max(0, match.start() - 40) : match.end() + 20]}…"
                    )
    assert found == []


def test_a_glitch_is_found_where_there_is_one(tmp_path: Path) -> None:
    page = tmp_path / "x.html"
    page.write_text("<main><p>Goals set: Read more.; Run (in-progress)<code>a ,b</code></p></main>", encoding="utf-8")
    line = words(page)[0]
    assert re.search(GLITCHES["a period before a semicolon"], line)
    assert not re.search(GLITCHES["a space before a comma or semicolon"], line)  # code is one word


def test_goals_page_has_a_heading_for_how_each_goal_changed(sample: tuple[Path, Path]) -> None:
    _, out = sample
    for audience in ("student", "educator", "family"):
        page = (out / audience / "leo-martinez" / "my-goals" / "index.html").read_text(encoding="utf-8")
        assert '<h1 id="my-goals">My goals</h1>' in page
        changed = re.findall(r'<h4 id="how-this-goal-changed(?:_\d+)?">How this goal changed</h4>\n<ul>', page)
        assert len(changed) >= (2 if audience != "family" else 1), audience
        assert "(in-progress)" not in page
        assert re.search(r"<li>Mid-year \(in progress\): I will turn in at least 4 out of 5", page)
        assert "<p><strong>Goals set</strong></p>\n<ul>" in page


def test_every_section_starts_with_its_overview(sample: tuple[Path, Path]) -> None:
    root, out = sample
    framework = yaml.safe_load((root / "curriculum" / "framework.yml").read_text(encoding="utf-8"))
    titles = {section["title"] for section in framework["sections"]}
    for student in (NEW, "leo-martinez"):
        found = sections(menu(out / "student" / student / "index.html"))
        assert found, student
        for section, children in found.items():
            if section not in titles:
                continue
            assert children[0][0] == "Overview", (student, section, children)
            assert section not in [label for label, _href in children], (student, section)


def test_goals_page_is_the_first_entry_of_the_goals_section(sample: tuple[Path, Path]) -> None:
    _, out = sample
    for student in (NEW, "leo-martinez"):
        entries = menu(out / "student" / student / "index.html")
        assert [label for label, _href, depth in entries if depth == 1 and label.startswith(("Goals", "My goals"))] == [
            "Goals, Barriers and Strategies"
        ]
        goals = sections(entries)["Goals, Barriers and Strategies"]
        assert ("My goals", "my-goals/") in goals[:2]


def test_generated_pages_are_named_as_their_addresses(sample: tuple[Path, Path]) -> None:
    _, out = sample
    entries = {href: label for label, href, _ in menu(out / "educator" / "leo-martinez" / "index.html") if href}
    assert entries["my-goals/"] == "My goals"
    assert entries["this-year/"] == "This year"
    assert entries["my-courses/"] == "My courses"
    assert entries["my-experiences/"] == "My experiences"
    assert entries["evidence-files/"] == "Evidence files"
    assert entries["change-record/"] == "Change record"


def test_every_address_uses_hyphens(sample: tuple[Path, Path]) -> None:
    _, out = sample
    underscored = []
    for folder in out.rglob("*"):
        parts = folder.relative_to(out).parts
        # `_<key>` start pages (educator/_mrivera/) are a namespace, not words; assets and search are MkDocs'
        inner = [p for p in parts[1:] if not (len(parts) > 1 and p == parts[1] and p.startswith("_"))]
        ours = "search" not in parts and "artifacts" not in parts and parts[0] != "assets"
        if folder.is_dir() and ours and any("_" in p for p in inner):
            underscored.append(folder.relative_to(out).as_posix())
    assert underscored == []
    assert (out / "student" / "leo-martinez" / "change-record" / "index.html").is_file()
    assert not (out / "student" / "leo-martinez" / "change_record").exists()
    assert (out / "educator" / "_mrivera" / "index.html").is_file()


def test_lessons_for_students_show_no_internal_codes(sample: tuple[Path, Path]) -> None:
    root, out = sample
    framework = yaml.safe_load((root / "curriculum" / "framework.yml").read_text(encoding="utf-8"))
    ids = {activity["id"] for grade in framework["grades"] for activity in grade.get("activities", [])}
    lesson = out / "public" / "curriculum" / "grade-07" / "g7-how-i-learn" / "index.html"
    student = " ".join(words(lesson))
    assert "What you add to your ILP" in student
    assert "How I learn best: A reflection on study habits and strengths" in student
    assert "activity:" not in lesson.read_text(encoding="utf-8")
    for page in (out / "public" / "curriculum").rglob("index.html"):
        text = " ".join(words(page))
        assert [code for code in ids if re.search(rf"\b{re.escape(code)}\b", text)] == [], page
    facilitator = (out / "educator" / "curriculum" / "grade-07" / "g7-how-i-learn" / "index.html").read_text("utf-8")
    assert "activity: g7-learning-styles" in facilitator


def test_families_menu_lists_no_staff_page(sample: tuple[Path, Path]) -> None:
    root, out = sample
    public = out / "public"
    entries = menu(public / "index.html")
    hrefs = [href for _label, href, _depth in entries if href]
    assert not [href for href in hrefs if href.startswith("reference/")]
    marked = {
        path.stem + "/"
        for path in (root / "content").glob("*.md")
        if "\nmenu: staff\n" in path.read_text(encoding="utf-8").split("\n---\n", 1)[0] + "\n"
    }
    assert {"dashboard/", "deployment/", "rostering/", "student-repositories/"} <= marked
    assert set(hrefs) & marked == set()
    assert "families/" in hrefs
    assert "how-to-edit/" in hrefs
    assert entries[-1][:2] == ("For staff", "for-staff/")
    listing = (public / "for-staff" / "index.html").read_text(encoding="utf-8")
    assert 'href="../reference/"' in listing
    assert (public / "reference" / "goals" / "index.html").is_file()  # still built, reached from the reference


def test_the_reserved_folders_hold_every_generated_page() -> None:
    from generator.model.site import RESERVED_FOLDERS
    from generator.render import names

    stems = {
        value.removesuffix(".md") for key, value in vars(names).items() if key.isupper() and str(value).endswith(".md")
    }
    assert stems <= RESERVED_FOLDERS


def test_a_section_named_like_a_generated_page_is_an_error(district: District) -> None:
    path = district.root / "curriculum" / "framework.yml"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    start = lines.index("sections:")
    line = next(i for i in range(start, len(lines)) if lines[i].strip().startswith("- id:")) + 1
    lines[line - 1] = lines[line - 1].split("id:")[0] + "id: change-record"
    district.write("curriculum/framework.yml", "\n".join(lines) + "\n", dedent=False)
    result = district.check()
    assert result.exit_code == 1
    assert f"curriculum/framework.yml:{line}: section id 'change-record' is the name of a page" in result.stdout
