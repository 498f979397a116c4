"""`ilp import DIR [--id NEW_ID] [--repo URL]`: a student's export brought into this district with its history.

The exported history is copied, its files moved under students/<id>/ (or, with --repo, pushed to
the student's own new repository and checked out there as a submodule), and merged into the
district, so `git log --follow` shows the original commits in order with their authors. Then one
commit of our own says where the record came from: the profile gets `joined:` (today, the grade,
the old district, its framework) and loses what named the old district's people and places
(educators, advisory, school), which belong to this district's roster.
"""

from __future__ import annotations

import datetime
import json
import tempfile
from pathlib import Path
from typing import Any

import yaml

from generator.check.district import load_district
from generator.check.student import STUDENT_ID
from generator.errors import IlpError
from generator.history import repos
from generator.history.git import student_repositories
from generator.history.scrub import Settings, drop_keys
from generator.load.documents import LoadError, read_text
from generator.model.schoolyear import grade_for

OLD_DISTRICT_KEYS = ("educators", "advisory", "school", "joined", "sis_id", "public_path", "emails")


def read_manifest(source: Path) -> dict[str, Any]:
    rel = f"{source}/export.json"
    if not (source / "export.json").is_file() or not (source / "history").is_dir():
        raise IlpError(f"{source}: not an ILP export (it needs export.json and history/, as ilp export writes them)")
    try:
        data = json.loads(read_text(source / "export.json", rel))
    except LoadError as exc:
        raise IlpError("\n".join(d.format() for d in exc.diagnostics)) from None
    except json.JSONDecodeError as exc:
        raise IlpError(f"{rel}:{exc.lineno}: not valid JSON ({exc.msg}); export the student again") from None
    if not isinstance(data, dict) or data.get("format") != 1:
        raise IlpError(f"{rel}:1: unknown export format; this ilp reads format 1 (export it again with this version)")
    for key in ("student", "district", "framework"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise IlpError(f"{rel}:1: '{key}' is missing; export the student again")
    return data


def import_student(
    root: Path,
    source: Path,
    new_id: str | None,
    today: datetime.date | None,
    repo_url: str | None = None,
    educators: tuple[str, ...] = (),
    school: str | None = None,
) -> str:
    """Bring the export at `source` in as students/<id>; return the id."""
    root, source = root.resolve(), source.resolve()  # git runs in other folders
    manifest = read_manifest(source)
    student_id = new_id or manifest["student"]
    if not STUDENT_ID.match(student_id) or len(student_id) > 60:
        raise IlpError(f"'{student_id}' is not a valid student id; give one with --id, such as 'ava-smith'")
    for top in ("students", "graduates"):
        if (root / top / student_id).exists():
            raise IlpError(f"{top}/{student_id} already exists; give the student another id with --id")
    district, report, _ = load_district(root, today)
    today = district.today
    if district.framework is None or report.errors:
        raise IlpError(
            "\n".join([*(d.format() for d in report.sorted() if d.severity == "error"), "fix the district first"])
        )
    for educator in educators:
        if educator not in (district.roster or {}):
            raise IlpError(f"--educator {educator!r} is not in the roster; use an id from students/roster.yml")
    problem = repos.exported_history(source / "history")
    if problem:
        raise IlpError(f"{source}: {problem}, so this is not an ILP export as ilp export writes it")
    changed = repos.staged_or_changed(root)
    if changed:
        raise IlpError(
            f"the district has changes that are not committed ({', '.join(changed[:3])}); commit them first, "
            "so the import is a commit of its own"
        )
    settings = Settings(rename=(manifest["student"], student_id))
    folder = f"students/{student_id}"
    with tempfile.TemporaryDirectory(prefix=".import-", dir=root) as work:
        staged = Path(work) / "history"
        if repo_url is None:
            repos.place(source / "history", staged, _in_repository(root, folder), settings)
            repos.merge_in(
                root, staged, f"Import the ILP of {student_id} from {manifest['district']}, with its history"
            )
        else:
            if not repo_url.startswith("file://") and Path(repo_url).exists():
                repo_url = str(Path(repo_url).resolve())  # a path on this machine, as typed here
            if repos.has_commits(repo_url):
                raise IlpError(f"--repo {repo_url} already has commits; create a new, empty repository for the student")
            repos.place(source / "history", staged, "", settings)
            repos.push_to(staged, repo_url)
            repos.add_submodule(root, repo_url, folder)
    profile = root / folder / "profile.yml"
    text = profile.read_text(encoding="utf-8")
    grade = _grade(text, district.framework.calendar, today)
    profile.write_text(received(text, manifest, today, grade, educators, school), encoding="utf-8")
    message = f"{student_id} joined on {today.isoformat()} from {manifest['district']}"
    if student_id in student_repositories(root, [student_id]):
        repos.commit_paths(root / folder, ["profile.yml"], message)
        repos.push_current(root / folder)
        repos.commit_paths(root, [".gitmodules", folder], message)
    else:
        repos.commit_paths(root, [f"{folder}/profile.yml"], message)
    return student_id


def _in_repository(root: Path, folder: str) -> str:
    """`folder` (relative to the district) as a path in its git repository (the district may be a subfolder)."""
    with repos.repository_of(root) as repo:
        top = Path(repo.working_tree_dir or root).resolve()
    inner = root.resolve().relative_to(top).as_posix()
    return folder if inner == "." else f"{inner}/{folder}"


def _grade(text: str, calendar: Any, today: datetime.date) -> int:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        data = None
    data = data if isinstance(data, dict) else {}
    stored = data.get("grade")
    grade: int = stored if isinstance(stored, int) else 6
    if isinstance(data.get("graduation_year"), int):
        grade = grade_for(data["graduation_year"], today, calendar)
    return min(max(grade, 6), 12)


def received(
    text: str,
    manifest: dict[str, Any],
    today: datetime.date,
    grade: int,
    educators: tuple[str, ...],
    school: str | None,
) -> str:
    """profile.yml as this district receives it: the old district's keys out, `joined:` and ours in."""
    lines = drop_keys(text.splitlines(keepends=True), OLD_DISTRICT_KEYS)
    body = "".join(lines)
    if body and not body.endswith("\n"):
        body += "\n"
    added: dict[str, Any] = {}
    if school:
        added["school"] = school
    added["educators"] = list(educators)
    added["joined"] = {
        "date": today.isoformat(),
        "grade": grade,
        "from": manifest["district"],
        "framework": manifest["framework"],
    }
    new = body + yaml.safe_dump(added, sort_keys=False, allow_unicode=True, default_flow_style=None)
    before = yaml.safe_load(text) or {}
    after = yaml.safe_load(new)
    kept = {k: v for k, v in before.items() if k not in OLD_DISTRICT_KEYS} if isinstance(before, dict) else {}
    if not isinstance(after, dict) or {k: v for k, v in after.items() if k not in added} != kept:
        new = yaml.safe_dump({**kept, **added}, sort_keys=False, allow_unicode=True)
    return new
