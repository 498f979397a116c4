"""`ilp demo DIR`: the sample district as a git repository with two school years of history.

The history is made from the sample content: each student's folder starts at the
start of their first school year here (or the day they joined), goals are set and
revised, educators record reviews on the dates the reviews carry (some on time,
some late), pages arrive on their dates, a page moves between sections, a family
member ticks the checklist, and a student who transferred in brings their folder
with its own history from the previous district. The last commit of each student
leaves their folder exactly as the sample has it.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator import resources
from generator.errors import IlpError
from generator.history.git import Writer

SOURCE = resources.SAMPLE
DISTRICT_FILES = ("mkdocs.yml", "curriculum", "content", "theme", "students/roster.yml")
FIRST_DAY = datetime.date(2025, 9, 3)
ADMIN = ("Harbor View ILP coordinator", "ilp-coordinator@harborview.example.org")
MOVED_PAGE = ("leo-martinez", "career-exploration/career-clusters.md", "self-awareness/career-clusters.md")
GOALS_HEADER = b"# yaml-language-server: $schema=../../generator/schemas/goals.schema.json\n"


@dataclass(frozen=True)
class Event:
    day: datetime.date
    order: int
    author: tuple[str, str]
    message: str
    files: dict[str, bytes | None]
    move: tuple[str, str] | None = None
    merge: Path | None = None

    def when(self) -> datetime.datetime:
        hour = 15 + self.order % 4
        return datetime.datetime.combine(self.day, datetime.time(hour, (self.order * 7) % 60), datetime.UTC)


def _date(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def _goals_on(goals: list[dict[str, Any]], day: datetime.date) -> list[dict[str, Any]]:
    """The goals as they stood on `day`: set by then, reviews so far, earlier wording before a revision."""
    shown = []
    for goal in goals:
        set_on = _date(goal.get("set"))
        if set_on is not None and set_on > day:
            continue
        reviews = [r for r in goal.get("reviews", []) if (_date(r.get("date")) or day) <= day]
        version = {**goal, "reviews": reviews}
        later = [r for r in goal.get("reviews", []) if r not in reviews]
        if any(r.get("progress") == "revised" for r in later):
            smart = {k: v for k, v in (goal.get("smart") or {}).items() if k not in ("measurable", "time_bound")}
            version["smart"] = smart
            due = _date(goal.get("due"))
            if due is not None:
                version["due"] = (due - datetime.timedelta(days=91)).isoformat()
        if goal.get("status") in ("achieved", "dropped") and later:
            version["status"] = "in-progress"
        if not version["reviews"]:
            version.pop("reviews")
        shown.append(version)
    return shown


def _yaml(data: Any, header: bytes) -> bytes:
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100).encode("utf-8")


def _student_events(folder: Path, index: int, roster: dict[str, str]) -> Iterator[Event]:
    sid = folder.name
    prefix = f"students/{sid}"
    files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    profile = yaml.safe_load(files["profile.yml"])
    student = (str(profile.get("name", sid)), (profile.get("emails") or [f"{sid}@students.harborview.example.org"])[0])
    family = [(m["name"], m["emails"][0]) for m in profile.get("family", []) if m.get("emails")]
    joined = profile.get("joined", {})
    start = _date(joined.get("date")) if joined.get("from") else None
    grade_now = 12 - (int(profile.get("graduation_year", 2027)) - 2027)
    start = start or (datetime.date(2026, 9, 2) if grade_now <= 6 else FIRST_DAY) + datetime.timedelta(days=index % 5)
    goals = (yaml.safe_load(files.get("goals.yml", b"goals: []")) or {}).get("goals", [])

    def who(by: str) -> tuple[str, str]:
        if by in roster:
            return roster[by], f"{by}@harborview.example.org"
        return family[0] if by == "family" and family else student

    first: dict[str, bytes | None] = {
        f"{prefix}/{name}": files[name] for name in ("profile.yml", "courses.yml", "experiences.yml") if name in files
    }
    first[f"{prefix}/goals.yml"] = _yaml({"goals": _goals_on(goals, start)}, GOALS_HEADER)
    if "checklist.yml" in files:
        checklist = yaml.safe_load(files["checklist.yml"]) or {"items": []}
        first[f"{prefix}/checklist.yml"] = _yaml(
            {"items": [{"id": i["id"], "done": False} for i in checklist.get("items", [])]},
            b"# yaml-language-server: $schema=../../generator/schemas/checklist.schema.json\n",
        )
    yield Event(start, index, student, "Start my ILP", first)
    days = sorted(
        {
            d
            for g in goals
            for d in [_date(g.get("set")), *(_date(r.get("date")) for r in g.get("reviews", []))]
            if d and d > start
        }
    )
    for day in days:
        reviewers = [r.get("by", "student") for g in goals for r in g.get("reviews", []) if _date(r.get("date")) == day]
        author = who(str(reviewers[0])) if reviewers else student
        message = "Record goal review" if reviewers else "Set a new goal"
        yield Event(
            day, index, author, message, {f"{prefix}/goals.yml": _yaml({"goals": _goals_on(goals, day)}, GOALS_HEADER)}
        )
    pages = [name for name in files if name.endswith(".md")]
    for offset, name in enumerate(sorted(pages)):
        text = files[name].decode("utf-8")
        match = re.search(r"^date:\s*['\"]?(\d{4}-\d{2}-\d{2})", text, re.M)
        day = max(_date(match.group(1)) or start if match else start + datetime.timedelta(days=7 + offset), start)
        added: dict[str, bytes | None] = {f"{prefix}/{name}": files[name]}
        for artifact in (a for a in files if a.startswith("artifacts/") and a.split("/", 1)[1] in text):
            added[f"{prefix}/{artifact}"] = files[artifact]
        title = re.search(r"^title:\s*(.+)$", text, re.M)
        label = title.group(1).strip().strip("\"'") if title else name
        if (sid, name) == MOVED_PAGE[:2]:
            wrong = f"{prefix}/{MOVED_PAGE[2]}"
            yield Event(
                day,
                index,
                student,
                f"Add {label}",
                {wrong: files[name], **{k: v for k, v in added.items() if k != f"{prefix}/{name}"}},
            )
            later = day + datetime.timedelta(days=12)
            yield Event(
                later,
                index,
                roster_author(roster, "mrivera"),
                "Move the career clusters page to Career Exploration",
                {},
                move=(wrong, f"{prefix}/{name}"),
            )
            continue
        yield Event(day, index, student, f"Add {label}", added)
    if family and "checklist.yml" in files:
        yield Event(
            start + datetime.timedelta(days=30),
            index,
            family[0],
            "Tick the checklist items we did together",
            {f"{prefix}/checklist.yml": files["checklist.yml"]},
        )
    final: dict[str, bytes | None] = {f"{prefix}/{name}": data for name, data in files.items()}
    last_day = max(
        [
            *days,
            *(
                _date(m) or start
                for m in re.findall(
                    r"^date:\s*['\"]?(\d{4}-\d{2}-\d{2})", "\n".join(files[n].decode("utf-8") for n in pages), re.M
                )
            ),
        ]
    )
    yield Event(
        max(last_day, datetime.date(2026, 11, 20) + datetime.timedelta(days=index % 4)),
        index,
        student,
        "Get my ILP ready for the fall review",
        final,
    )


FILE_URLS = (
    b"# Every link names a file (my-goals.html, not my-goals/), so the built site/ works opened from disk\n"
    b"# as well as on a web server. Without it, addresses are folders (my-goals/), for a web server only.\n"
    b"use_directory_urls: false\n"
)


def with_file_urls(config: bytes) -> bytes:
    """The district's mkdocs.yml with MkDocs' `use_directory_urls: false`, after its `site_name:`."""
    if re.search(rb"^use_directory_urls:", config, re.M):
        return re.sub(rb"^use_directory_urls:.*$", b"use_directory_urls: false", config, flags=re.M)
    found = re.search(rb"^site_name:.*\n", config, re.M)
    at = found.end() if found else 0
    return config[:at] + FILE_URLS + config[at:]


def roster_author(roster: dict[str, str], educator: str) -> tuple[str, str]:
    return roster.get(educator, educator), f"{educator}@harborview.example.org"


def make_demo(target: Path, source: Path = SOURCE, file_urls: bool = False) -> int:
    """Create the demo district at `target`; the number of commits made.

    With `file_urls` (what `ilp demo` does), its mkdocs.yml says `use_directory_urls: false`, so the site
    `ilp build` makes of it works opened from disk, with every link naming a file.
    """
    if not (source / "students").is_dir() or not (source / "curriculum").is_dir():
        raise IlpError(f"ilp demo needs the sample district of the ilp-portfolio repository; {source} has none")
    if target.exists() and any(target.iterdir()):
        raise IlpError(f"{target} already exists and is not empty; choose a new folder")
    roster = {
        e["id"]: e["name"]
        for e in yaml.safe_load((source / "students" / "roster.yml").read_text(encoding="utf-8"))["educators"]
    }
    writer = Writer(target)
    setup: dict[str, bytes | None] = {".gitignore": b"site/\n"}
    for name in DISTRICT_FILES:
        path = source / name
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if file.is_file():
                setup[file.relative_to(source).as_posix()] = file.read_bytes()
    if file_urls:
        setup["mkdocs.yml"] = with_file_urls(setup["mkdocs.yml"] or b"")
    writer.commit(
        setup, *ADMIN, datetime.datetime(2025, 8, 18, 9, 0, tzinfo=datetime.UTC), "Set up the district's ILP repository"
    )
    events: list[Event] = []
    transfers: list[tuple[Path, list[Event]]] = []
    folders = sorted(p for p in (source / "students").iterdir() if p.is_dir())
    for index, folder in enumerate(folders):
        student_events = list(_student_events(folder, index, roster))
        joined = (yaml.safe_load((folder / "profile.yml").read_text(encoding="utf-8")) or {}).get("joined", {})
        if joined.get("from"):
            transfers.append((folder, student_events))
        events.extend(student_events)
    with tempfile.TemporaryDirectory(prefix="ilp-demo-") as scratch:
        for folder, student_events in transfers:
            earlier = _previous_district(Path(scratch) / folder.name, folder)
            arrival = student_events[0]
            events.remove(arrival)
            events.append(
                Event(
                    arrival.day,
                    arrival.order,
                    roster_author(roster, "dadeyemi"),
                    f"Welcome {folder.name}: bring their ILP from the previous district",
                    {},
                    merge=earlier,
                )
            )
            events.append(dataclasses.replace(arrival, day=arrival.day + datetime.timedelta(days=1)))
        events.sort(key=lambda e: (e.day, e.order, e.merge is None))
        count = 1
        for event in events:
            if event.merge is not None:
                writer.merge_history(event.merge, *event.author, event.when(), event.message)
            elif event.move is not None:
                writer.move(*event.move, *event.author, event.when(), event.message)
            else:
                writer.commit(event.files, *event.author, event.when(), event.message)
            count += 1
    return count


def _previous_district(target: Path, folder: Path) -> Path:
    """A small repository with the student's folder as the previous district kept it."""
    writer = Writer(target)
    sid = folder.name
    profile = (folder / "profile.yml").read_bytes()
    data = yaml.safe_load(profile)
    student = (str(data.get("name", sid)), (data.get("emails") or [f"{sid}@students.example.org"])[0])
    joined = _date(data["joined"]["date"]) or FIRST_DAY
    first = joined - datetime.timedelta(days=120)
    writer.commit(
        {f"students/{sid}/profile.yml": profile},
        *student,
        datetime.datetime.combine(first, datetime.time(14), datetime.UTC),
        "Start my ILP",
    )
    counselor = ("Previous district counselor", "counselor@previous-district.example.org")
    note = (
        b"---\ntitle: Notes from my first school\nvisibility: private\n---\nMy first ILP notes, from before I moved.\n"
    )
    writer.commit(
        {f"students/{sid}/transition-planning/first-school-notes.md": note},
        *counselor,
        datetime.datetime.combine(first + datetime.timedelta(days=40), datetime.time(10), datetime.UTC),
        "Add transfer notes",
    )
    writer.commit(
        {f"students/{sid}/transition-planning/first-school-notes.md": None},
        *counselor,
        datetime.datetime.combine(joined - datetime.timedelta(days=3), datetime.time(10), datetime.UTC),
        "Prepare the ILP for transfer",
    )
    return target
