"""A synthetic district for the benchmarks: the sample district scaled to N students, with a real history.

`make_district(target, students)` copies the sample's framework, lessons, district pages, theme and
roster, and its students round-robin under new ids (`amara-osei-0003`), and makes `target` a git
repository whose history holds `commits` (30) commits per student, dated over two school years
(September 2025 to November 2026) and interleaved in date order on one branch:

- the student's first commit adds their folder, each page with its first paragraph only and their
  goals as they stood that day;
- goals.yml changes on the days the student's goals were set and reviewed (the `set:` and review
  `date:` fields of the sample), each commit adding what was new that day, by its reviewer (an
  educator of the roster) or the student;
- the other commits write the student's pages a paragraph or two at a time;
- the last one (24 November 2026) writes every file as it is in the sample.

So every version the build's history stage reads is a real file of a real commit, and the working
tree is the last commit, clean. The commits are written with one `git fast-import` (each distinct
file version once), which makes 30,000 commits in seconds.

Then it writes git's commit-graph with changed paths (`git commit-graph write --reachable
--changed-paths`), as content/scaling.md tells a district to do; `--no-commit-graph` leaves it out.

    python bench/district.py DIR [--students 1000] [--commits 30] [--no-commit-graph]
"""

from __future__ import annotations

import argparse
import datetime
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

REPO = Path(__file__).resolve().parents[1]
SHARED = ("mkdocs.yml", "curriculum", "content", "theme", "students/roster.yml")
GITIGNORE = b"site/\n.ilp-cache/\n"
FIRST_DAY = datetime.date(2025, 9, 2)  # the first school day of the first of the two years
LAST_DAY = datetime.date(2026, 11, 24)  # the day before the sample's `as_of`
SUMMER = (datetime.date(2026, 6, 13), datetime.date(2026, 8, 23))
DISTRICT = ("Harbor View IT", "it@harborview.example.org")


@dataclass
class Commit:
    day: datetime.date
    author: tuple[str, str]  # name, email
    message: str
    files: dict[str, bytes] = field(default_factory=dict)  # path in the student's folder -> content


def shared_files() -> dict[str, bytes]:
    """The district's own files, by path from the district's root."""
    files = {".gitignore": GITIGNORE}
    for name in SHARED:
        source = REPO / name
        paths = sorted(p for p in source.rglob("*") if p.is_file()) if source.is_dir() else [source]
        for path in paths:
            files[path.relative_to(REPO).as_posix()] = path.read_bytes()
    return files


def samples() -> list[Path]:
    return sorted(p for p in (REPO / "students").iterdir() if (p / "profile.yml").is_file())


def drafts(text: str) -> list[str]:
    """A page as it grew: its front matter and first paragraph, then one more block each time, then all."""
    match = re.match(r"---\n.*?\n---\n", text, re.S)
    head = match.group(0) if match else ""
    lines = text[len(head) :].splitlines(keepends=True)
    cuts, fenced = [], False
    for number, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if not fenced and not line.strip() and number and lines[number - 1].strip():
            cuts.append(number)
    versions = [head + "".join(lines[:cut]) for cut in cuts]
    return [v for i, v in enumerate(versions) if v.strip() and (not i or v != versions[i - 1])] + [text]


def goals_as_of(data: dict[str, Any], day: datetime.date) -> bytes:
    """goals.yml as it stood on `day`: the goals set by then, with the reviews held by then."""
    kept = []
    for goal in data.get("goals") or []:
        if str(goal.get("set", FIRST_DAY)) > str(day):
            continue
        reviews = [r for r in goal.get("reviews") or [] if str(r.get("date")) <= str(day)]
        kept.append({**goal, "reviews": reviews} if "reviews" in goal else goal)
    text = yaml.dump({"goals": kept}, Dumper=DUMPER, sort_keys=False, allow_unicode=True, width=100)
    return str(text).encode()


@dataclass
class Sample:
    """A sample student, read once: their files as they are now, their profile and goals."""

    name: str
    files: dict[str, bytes]
    student: tuple[str, str]  # name, email
    goals: dict[str, Any]
    pages: dict[str, list[str]]  # each page's drafts

    @classmethod
    def read(cls, folder: Path) -> Sample:
        files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
        profile = yaml.load(files["profile.yml"], Loader=LOADER)  # noqa: S506 - the safe loader, in C
        student = (str(profile["name"]), str((profile.get("emails") or ["student@example.org"])[0]))
        goals = {"goals": []}
        if "goals.yml" in files:
            goals = yaml.load(files["goals.yml"], Loader=LOADER)  # noqa: S506 - the safe loader, in C
        pages = {name: drafts(text.decode()) for name, text in files.items() if name.endswith(".md")}
        return cls(folder.name, files, student, goals, pages)


def school_days(start: datetime.date, end: datetime.date, count: int) -> list[datetime.date]:
    """`count` days spread evenly from `start` to `end`, none in the summer holiday."""
    days = [start + datetime.timedelta(n) for n in range((end - start).days + 1)]
    days = [d for d in days if not SUMMER[0] <= d <= SUMMER[1] and d.weekday() < 5]
    return [days[round((i + 1) * (len(days) - 1) / (count + 1))] for i in range(count)]


def student_history(sample: Sample, commits: int, educators: dict[str, tuple[str, str]], start: int) -> list[Commit]:
    """The `commits` commits of one copy of `sample` (`start`: the school day of its first commit)."""
    student, final, goals, pages = sample.student, sample.files, sample.goals, sample.pages
    first_day = FIRST_DAY + datetime.timedelta(start)
    # The days goals changed: each goal set, each review written (by its reviewer).
    events: dict[datetime.date, tuple[str, str]] = {}
    for goal in goals.get("goals") or []:
        for day, by in [(goal.get("set"), "student")] + [
            (r.get("date"), r.get("by")) for r in goal.get("reviews") or []
        ]:
            if isinstance(day, datetime.date) and first_day < day < LAST_DAY:
                events.setdefault(day, educators.get(str(by), student))
    goal_days = sorted(events)
    if len(goal_days) > commits // 3:  # at most a third of the commits, spread over the two years
        goal_days = [goal_days[round(i * (len(goal_days) - 1) / (commits // 3 - 1))] for i in range(commits // 3)]
    first = dict(final)
    first.update({name: versions[0].encode() for name, versions in pages.items()})
    if "goals.yml" in final:
        first["goals.yml"] = goals_as_of(goals, first_day)
    history = [Commit(first_day, student, "Start my ILP", first)]
    # The page edits between: each page takes its drafts in turn, round-robin over the pages.
    wanted = commits - 2 - len(goal_days)
    steps: dict[str, list[int]] = {name: [] for name in pages}
    while sum(map(len, steps.values())) < wanted:
        grew = False
        for name, versions in pages.items():
            if sum(map(len, steps.values())) < wanted and len(steps[name]) < len(versions) - 2:
                steps[name].append(0)
                grew = True
        if not grew:
            raise ValueError(f"{sample.name}: too few paragraphs for {commits} commits")
    edits = []
    for name, taken in steps.items():
        last = len(pages[name]) - 1
        edits += [(k, name, pages[name][round((k + 1) * last / (len(taken) + 1))]) for k in range(len(taken))]
    edits.sort(key=lambda e: (e[0], e[1]))
    days = school_days(first_day + datetime.timedelta(1), LAST_DAY - datetime.timedelta(1), len(edits))
    planned = [
        (day, 1, Commit(day, student, f"Write more of {name}", {name: text.encode()}))
        for day, (_, name, text) in zip(days, edits, strict=True)
    ]
    for day in goal_days:
        planned.append(
            (
                day,
                0,
                Commit(
                    day,
                    events[day],
                    "Goal review" if events[day] in educators.values() else "Update my goals",
                    {"goals.yml": goals_as_of(goals, day)},
                ),
            )
        )
    history += [commit for _, _, commit in sorted(planned, key=lambda p: (p[0], p[1]))]
    written = dict(first)
    for commit in history:
        written.update(commit.files)
    history.append(
        Commit(LAST_DAY, student, "Ready for the conference", {n: t for n, t in final.items() if written[n] != t})
    )
    return history


class Stream:
    """A `git fast-import` stream: each distinct file content once, as a blob with a mark."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.blobs: dict[bytes, int] = {}
        self.mark = 0
        self.last_commit = 0

    def blob(self, content: bytes) -> int:
        if content not in self.blobs:
            self.mark += 1
            self.blobs[content] = self.mark
            self.parts.append(b"blob\nmark :%d\ndata %d\n%s\n" % (self.mark, len(content), content))
        return self.blobs[content]

    def commit(self, when: int, author: tuple[str, str], message: str, files: dict[str, bytes]) -> None:
        marks = [(path, self.blob(content)) for path, content in sorted(files.items())]
        self.mark += 1
        who = f"{author[0]} <{author[1]}> {when} +0000".encode()
        text = message.encode()
        self.parts.append(
            b"commit refs/heads/main\nmark :%d\nauthor %s\ncommitter %s\ndata %d\n%s\n"
            % (self.mark, who, who, len(text), text)
        )
        if self.last_commit:
            self.parts.append(b"from :%d\n" % self.last_commit)
        self.parts.extend(b"M 100644 :%d %s\n" % (mark, path.encode()) for path, mark in marks)
        self.parts.append(b"\n")
        self.last_commit = self.mark


def make_district(target: Path, students: int, commits: int = 30, commit_graph: bool = True) -> float:
    """Make the district in `target` (a new folder); returns the seconds it took. With `commit_graph`, git
    keeps an index of the paths each commit changed, as content/scaling.md tells districts to do."""
    started = time.perf_counter()
    roster = yaml.safe_load((REPO / "students" / "roster.yml").read_text(encoding="utf-8"))
    educators = {str(e["id"]): (str(e["name"]), str(e["emails"][0])) for e in roster["educators"]}
    copies = [Sample.read(folder) for folder in samples()]
    # Each copy's history, made once per sample and first school day (copies of a sample differ in their id only).
    made: dict[tuple[str, int], list[Commit]] = {}
    timeline = []
    for n in range(students):
        sample = copies[n % len(copies)]
        start = (n // len(copies)) % 10  # first commits spread over the first two weeks of school
        key = (sample.name, start)
        if key not in made:
            made[key] = student_history(sample, commits, educators, start)
        folder = f"students/{sample.name}-{n:04d}"
        for seq, commit in enumerate(made[key]):
            # Within a day, a student's commits follow each other; the students' are spread over the day.
            when = int(
                datetime.datetime(commit.day.year, commit.day.month, commit.day.day, 7, tzinfo=datetime.UTC).timestamp()
            )
            timeline.append((when + (n * 7919) % 36000 + seq * 60, n, seq, folder, commit))
    timeline.sort(key=lambda t: (t[0], t[1], t[2]))
    stream = Stream()
    setup = int(datetime.datetime(2025, 8, 18, 9, tzinfo=datetime.UTC).timestamp())
    stream.commit(setup, DISTRICT, "The district's ILP repository", shared_files())
    for when, _, _, folder, commit in timeline:
        stream.commit(when, commit.author, commit.message, {f"{folder}/{p}": c for p, c in commit.files.items()})
    target.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(target)], check=True)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=target, input=b"".join(stream.parts), check=True)
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=target, check=True)
    if commit_graph:
        subprocess.run(["git", "commit-graph", "write", "--reachable", "--changed-paths"], cwd=target, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=30, help="commits per student")
    parser.add_argument("--no-commit-graph", action="store_true", help="no index of changed paths (git's default)")
    args = parser.parse_args()
    if args.folder.exists():
        sys.exit(f"{args.folder}: already exists; name a new folder")
    seconds = make_district(args.folder, args.students, args.commits, not args.no_commit_graph)
    count = subprocess.run(
        ["git", "rev-list", "--count", "main"], cwd=args.folder, capture_output=True, text=True, check=True
    )
    print(f"{args.folder}: {args.students} students, {count.stdout.strip()} commits, {seconds:.1f} s")


if __name__ == "__main__":
    main()
