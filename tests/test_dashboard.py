"""The educator dashboard: every figure recomputed here from the files and `git log`, its scope, its CSV."""

from __future__ import annotations

import csv
import datetime
import html.parser
import io
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import jinja2
import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.commands.demo import make_demo
from generator.pipeline import build

TODAY = datetime.date(2026, 11, 25)
SCHOOL_YEAR = 2027  # the school year TODAY falls in (named by the year it ends in)
YEAR_START = datetime.date(2026, 8, 27)
EVIL_NAME = '=HYPERLINK("http://x.example","x")'
EVIL_SCHOOL = "@SUM(1+1)*cmd|' /C calc'!A0"
LEAD = "zlead"


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("demo") / "district"
    make_demo(root)
    result = CliRunner().invoke(
        main,
        ["new", "zed-new", "--name", EVIL_NAME, "--grade", "9", "--school", EVIL_SCHOOL, "--educator", "mrivera",
         "--root", str(root), "--today", TODAY.isoformat()],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    roster = root / "students" / "roster.yml"
    roster.write_text(
        roster.read_text(encoding="utf-8")
        + f"  - id: {LEAD}\n    name: Dr. Zoe Lead\n    role: administrator\n    access: district\n"
        "    emails: [zlead@harborview.example.org]\n",
        encoding="utf-8",
    )
    out = root.parent / "site"
    build(root, out, today=TODAY)
    return root, out


# --- What each figure should be, from the files and git directly ----------------------------------


def _front(text: str) -> dict[str, Any]:
    if not text.startswith("---\n"):
        return {}
    return yaml.safe_load(text[4:].split("\n---\n", 1)[0]) or {}


def _months_before(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.month - 1 - months, 12)
    for dom in (day.day, 30, 29, 28):
        try:
            return datetime.date(day.year + year, month + 1, dom)
        except ValueError:
            continue
    raise AssertionError


def _starter_texts(framework: dict[str, Any]) -> set[str]:
    env = jinja2.Environment(  # noqa: S701 - the template writes Markdown, not HTML
        loader=jinja2.FileSystemLoader(Path(__file__).parents[1] / "generator/templates/new"),
        keep_trailing_newline=True,
    )
    env.filters["yaml"] = lambda v: json.dumps(v, ensure_ascii=False)
    template = env.get_template("section.md.j2")
    texts = set()
    for section in framework["sections"]:
        for plan in [{"activities": []}, *framework["grades"]]:
            acts = [a for a in plan["activities"] if a["section"] == section["id"]]
            texts.add(template.render(section=section, prompts=section.get("prompts", []), activities=acts))
    return texts


def expected(root: Path, student_id: str, warnings: int) -> dict[str, str]:
    """The table's cells of one student, as text, computed from the files."""
    folder = root / "students" / student_id
    framework = yaml.safe_load((root / "curriculum/framework.yml").read_text(encoding="utf-8"))
    profile = yaml.safe_load((folder / "profile.yml").read_text(encoding="utf-8"))
    goals = (yaml.safe_load((folder / "goals.yml").read_text(encoding="utf-8")) or {}).get("goals") or []
    grade = 12 - (int(profile["graduation_year"]) - SCHOOL_YEAR) if "graduation_year" in profile else profile["grade"]
    done: set[str] = set()
    for page in folder.rglob("*.md"):
        done.add(str(_front(page.read_text(encoding="utf-8")).get("activity", "")))
    for name, key in (("goals.yml", "goals"), ("experiences.yml", "experiences")):
        data = yaml.safe_load((folder / name).read_text(encoding="utf-8")) or {}
        done |= {str(item["activity"]) for item in data.get(key) or [] if "activity" in item}
    courses = yaml.safe_load((folder / "courses.yml").read_text(encoding="utf-8")) or {}
    for year in courses.get("years") or []:
        done |= {str(c["activity"]) for c in year["courses"] if "activity" in c}
    done |= {str(a["activity"]) for a in courses.get("assessments") or [] if "activity" in a}
    plans = {p["grade"]: p for p in framework["grades"]}
    required = [a["id"] for a in plans[grade]["activities"] if a.get("required", True)]
    first = int((profile.get("joined") or {}).get("grade", 6))
    missing = sum(
        1 for g, p in plans.items() if first <= g < grade for a in p["activities"] if a.get("required", True) and a["id"] not in done
    )  # fmt: skip
    overdue = due = 0
    for goal in goals:
        if goal.get("status") in ("achieved", "dropped"):
            continue
        reviews = [datetime.date.fromisoformat(str(r["date"])) for r in goal.get("reviews") or []]
        since = max(reviews) if reviews else datetime.date.fromisoformat(str(goal["set"]))
        if "2026-27" in (goal.get("carried_over") or []):
            since = max(since, YEAR_START)
        if since < _months_before(TODAY, framework["review"]["required_months"]):
            overdue += 1
        elif since < _months_before(TODAY, framework["review"]["recommended_months"]):
            due += 1
    log = subprocess.run(
        ["git", "log", "--format=%aI %ae", "--", f"students/{student_id}/"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.split()  # fmt: skip
    commits = [
        (datetime.datetime.fromisoformat(log[i]), log[i + 1].lower())
        for i in range(0, len(log), 2)
        if datetime.date.fromisoformat(log[i][:10]) <= TODAY
    ]
    mine = [when.date() for when, email in commits if email in [e.lower() for e in profile.get("emails", [])]]
    last = max(commits) if commits else None
    starters = _starter_texts(framework)
    starter = [p for p in folder.glob("*/index.md") if p.read_text(encoding="utf-8") in starters]
    name = profile.get("preferred_name") or profile["name"]
    return {
        "name": name,
        "grade": str(grade),
        "school": profile.get("school", ""),
        "this_grade": f"{sum(a in done for a in required)} of {len(required)}" if required else "none required",
        "missing_past": str(missing),
        "goals_active": str(sum(g.get("status") in ("not-started", "in-progress") for g in goals)),
        "goals_met": str(sum(g.get("status") == "achieved" for g in goals)),
        "reviews_overdue": str(overdue),
        "reviews_due": str(due),
        "last_change": last[0].date().isoformat() if last else "",
        "by_student": ("yes" if last[1] in [e.lower() for e in profile.get("emails", [])] else "no") if last else "",
        "student_days": str((TODAY - max(mine)).days) if mine else "never",
        "starter": str(len(starter)),
        "deck": "yes" if (folder / "conference.md").exists() else "no",
        "warnings": str(warnings),
    }


# --- Reading the dashboard -----------------------------------------------------------------------


class _Table(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.keys: list[str] = []
        self.rows: list[dict[str, str]] = []
        self.values: list[dict[str, str]] = []
        self.links: list[dict[str, str]] = []
        self.row_attrs: list[dict[str, str]] = []
        self._in: str | None = None
        self._text = ""
        self._value = ""
        self._href = ""
        self._table = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "table":
            self._table = a.get("class") == "dashboard"
        if not self._table:
            return
        if tag == "th" and "data-key" in a:
            self.keys.append(a["data-key"])
        elif tag == "tr" and "data-grade" in a:
            self.row_attrs.append(a)
            self.rows.append({})
            self.values.append({})
            self.links.append({})
        elif tag == "td":
            self._in, self._text, self._value, self._href = "td", "", a["data-value"], ""
        elif tag == "a" and self._in:
            self._href = a["href"]

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = False
        if tag == "td" and self._in:
            key = self.keys[len(self.rows[-1])]
            self.rows[-1][key], self.values[-1][key], self.links[-1][key] = self._text, self._value, self._href
            self._in = None


def _table(out: Path, educator: str) -> _Table:
    parser = _Table()
    parser.feed((out / "educator" / f"_{educator}" / "index.html").read_text(encoding="utf-8"))
    return parser


def _ids(table: _Table) -> list[str]:
    return [links["name"].strip("./").split("/")[0] for links in table.links]


def _warnings(root: Path) -> dict[str, int]:
    result = CliRunner().invoke(main, ["check", "--root", str(root), "--today", TODAY.isoformat()])
    counts: dict[str, int] = {}
    for m in re.finditer(r"^students/([^/\s]+)/\S*:\d+: warning:", result.output, re.M):
        counts[m[1]] = counts.get(m[1], 0) + 1
    return counts


def _caseloads(root: Path) -> dict[str, set[str]]:
    roster = yaml.safe_load((root / "students/roster.yml").read_text(encoding="utf-8"))["educators"]
    profiles = {
        p.parent.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (root / "students").glob("*/profile.yml")
    }
    found = {}
    for e in roster:
        found[e["id"]] = {
            s for s, p in profiles.items()
            if e["id"] in (p.get("educators") or []) or e.get("access") == "district"
            or (e.get("access") == "school" and e.get("school") and p.get("school") == e.get("school"))
        }  # fmt: skip
    return found


@pytest.mark.parametrize("educator", ["mrivera", "dadeyemi", LEAD])
def test_every_figure_matches_the_files_and_git(district: tuple[Path, Path], educator: str) -> None:
    root, out = district
    warnings = _warnings(root)
    table = _table(out, educator)
    assert sorted(_ids(table)) == sorted(_caseloads(root)[educator])
    reader = list(csv.reader(io.StringIO((out / "educator" / f"_{educator}" / "caseload.csv").read_text("utf-8"))))
    assert len(reader) == len(table.rows) + 1
    for student_id, row, csv_row in zip(_ids(table), table.rows, reader[1:], strict=True):
        want = expected(root, student_id, warnings.get(student_id, 0))
        assert row == want, student_id
        assert [c.removeprefix("'") for c in csv_row] == [want[k] for k in table.keys], student_id


def test_each_cell_links_to_the_page_that_explains_it(district: tuple[Path, Path]) -> None:
    _, out = district
    table = _table(out, LEAD)
    for student_id, links in zip(_ids(table), table.links, strict=True):
        assert links["reviews_overdue"] == f"../{student_id}/my-goals/"
        assert links["last_change"] == f"../{student_id}/change-record/"
        assert links["deck"] == f"../{student_id}/conference/"
        for href in {h for h in links.values() if h}:
            target = (out / "educator" / f"_{LEAD}" / href).resolve()
            assert (target / "index.html").exists(), href


def test_a_lead_sees_figures_by_school_and_grade(district: tuple[Path, Path]) -> None:
    _, out = district
    assert 'class="dashboard-aggregate"' in (out / f"educator/_{LEAD}/index.html").read_text("utf-8")
    assert 'class="dashboard-aggregate"' not in (out / "educator/_mrivera/index.html").read_text("utf-8")


def test_no_educator_folder_names_a_student_outside_their_caseload(district: tuple[Path, Path]) -> None:
    root, out = district
    names = {}
    for p in (root / "students").glob("*/profile.yml"):
        profile = yaml.safe_load(p.read_text(encoding="utf-8"))
        names[p.parent.name] = {
            p.parent.name,
            profile["name"],
            *([profile["preferred_name"]] if "preferred_name" in profile else []),
        }
    for educator, served in _caseloads(root).items():
        folder = out / "educator" / f"_{educator}"
        texts = [f.read_text(encoding="utf-8") for f in (folder / "index.html", folder / "caseload.csv")]
        texts += [f.read_text(encoding="utf-8") for f in (folder / "search").glob("*")]
        for other, words in names.items():
            if other in served:
                continue
            for text in texts:
                for word in words:
                    assert not re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text), (educator, other, word)


def test_csv_cells_that_start_a_formula_are_escaped(district: tuple[Path, Path]) -> None:
    _, out = district
    rows = list(csv.reader(io.StringIO((out / "educator/_mrivera/caseload.csv").read_text("utf-8"))))
    evil = next(r for r in rows if EVIL_NAME in r[0])
    assert evil[0] == "'" + EVIL_NAME
    assert evil[2] == "'" + EVIL_SCHOOL
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


def test_without_javascript_the_most_urgent_come_first(district: tuple[Path, Path]) -> None:
    _, out = district
    for educator in ("mrivera", "dadeyemi", LEAD):
        values = _table(out, educator).values
        keys = [
            (
                -int(v["reviews_overdue"]),
                -int(v["missing_past"]),
                -int(v["reviews_due"]),
                -(int(v["student_days"]) if v["student_days"] else 10**6),
            )
            for v in values
        ]
        assert keys == sorted(keys), educator
    page = (out / "educator/_mrivera/index.html").read_text("utf-8")
    assert '<form class="dashboard-filters" hidden>' in page
    assert page.index("dashboard-tiles") < page.index('<table class="dashboard">')
    charts = page[page.index('<section class="dashboard-charts"') :]
    for caption in ("required activities", "Reviews", "month"):
        assert caption.lower() in charts.lower(), caption
    assert charts.count('role="img"') == 3
