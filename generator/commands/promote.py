"""`ilp promote`: start a school year for every student in students/, touching nothing a student wrote.

It plans every change first and writes only when the whole plan is sound: one student folder
with errors, or a file it cannot edit by inserting lines, stops the run with every problem listed
and nothing written. Then, for each student's grade in the new year, it

- appends the grade's checklist items to checklist.yml (`done: false`), those not there yet;
- writes a starter page for each section with required activities of the grade that nothing in
  the folder mentions yet: `<section>/index.md` as `ilp new` writes it when the section has no
  page yet, else `<section>/grade-NN.md` beside the student's pages (never over a file);
- marks each unfinished goal (not-started, in-progress) set in an earlier year with the new
  year in `carried_over:`, two lines inserted after its `id:` line; the review cadence of a
  carried goal counts from the later of its last review and the first day of the year;
- adds one to `grade:` in profiles that store a grade instead of a graduation year;
- moves graduates (grade 13 in the new year) to graduates/<id>/ with their history;
- writes `school_year:` in the roster. Running it again for the same year changes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

from generator.check.district import load_district
from generator.check.progress import evidence_of
from generator.commands.new import schema_url, template_environment
from generator.commands.promote_model import (
    Blocked,
    FileChange,
    Plan,
    Review,
    StudentPlan,
    edited,
    parse_label,
    read_exact,
)
from generator.commands.promote_text import append_items, mark_carried_over, set_scalar
from generator.config import Options
from generator.errors import Diagnostic, IlpError
from generator.history.moves import GRADUATES, move_to_graduates
from generator.history.record import cadence_start, year_start
from generator.load.documents import LoadError, load_yaml
from generator.model import Calendar, ChecklistItem, Framework, Student
from generator.model.schoolyear import school_year, school_year_label
from generator.pipeline import corpus

OPEN = ("not-started", "in-progress")
ROSTER_COMMENT = "# the school year the student folders are set up for (ilp promote)"


def _months_after(day: datetime.date, months: int) -> datetime.date:
    years, month = divmod(day.month - 1 + months, 12)
    for dom in (day.day, 30, 29, 28):
        try:
            return datetime.date(day.year + years, month + 1, dom)
        except ValueError:
            continue
    return datetime.date(day.year + years, month + 1, 28)


def _roster_year(root: Path, rel: str) -> tuple[str, int | None, int]:
    """The roster's text, the school year it says the folders are set up for, and that line."""
    try:
        doc = load_yaml(root / rel, rel)
    except LoadError as exc:
        raise Blocked(list(exc.diagnostics)) from exc
    value = doc.data.get("school_year") if isinstance(doc.data, dict) else None
    if value is None:
        return read_exact(root, rel), None, 1
    year = parse_label(str(value))
    line = doc.line(("school_year",))
    if year is None:
        raise Blocked(
            [
                Diagnostic(
                    rel, line, f"school_year '{value}' is not a school year; write it as '2026-2027' (or remove it)"
                )
            ]
        )
    return read_exact(root, rel), year, line


def plan_promotion(root: Path, to: str | None, today: datetime.date | None) -> Plan:
    """Every change `ilp promote` would make, checked; nothing is written."""
    district, problems, _ = load_district(root, today)
    framework = district.framework
    if problems.errors:
        raise Blocked(problems.errors)
    if framework is None or district.roster is None:
        raise IlpError("no framework or roster to promote the students by; run ilp check")
    calendar, day, roster = framework.calendar, district.today, district.options.roster
    roster_text, from_roster, roster_line = _roster_year(root, roster)
    in_session = school_year(day, calendar)
    if from_roster is not None:
        current, basis = from_roster, f"{roster}:{roster_line} says the folders are set up for it"
    else:
        # In the summer the calendar already names the coming year; the folders are set up for the one that ended.
        current = in_session - 1 if year_start(in_session, calendar) > day else in_session
        where = "in the summer after" if current != in_session else "in"
        basis = f"by the calendar, {day} is {where} {school_year_label(current)}"
    target = current + 1 if to is None else parse_label(to)
    if target is None:
        raise IlpError(f"--to {to}: not a school year; write it as two consecutive years, such as 2027-2028")
    if to is None and target > in_session:
        # A second run by mistake, or a run before the year ends: the year to start must then be named.
        raise IlpError(
            f"{school_year_label(current)} is the current school year ({basis}), so there is no school year to "
            f"start by default; to start {school_year_label(target)} early, name it: "
            f"ilp promote --to {school_year_label(target)}"
        )
    if target < current:
        raise IlpError(
            f"--to {school_year_label(target)} is before {school_year_label(current)}, the school year the folders are "
            f"set up for ({basis}); ilp promote only moves forward"
        )
    last_day = datetime.date(current, *calendar.end)
    checked_on = min(day, last_day)  # a graduate is in grade 12 until the year ends, not in grade 13
    loaded = corpus(root, checked_on, history=False, artifacts=False)
    if loaded.report.errors:
        raise Blocked(loaded.report.errors, f"ilp check --today {checked_on}")
    plan = Plan(current, target, basis, roster, [], [], _notes(current, target, day, calendar))
    blocked: list[Diagnostic] = []
    for student in sorted(loaded.students, key=lambda s: s.id):
        try:
            plan.students.append(_plan_student(root, student, framework, district.options, plan))
        except Blocked as exc:
            blocked.extend(exc.diagnostics)
    if blocked:
        raise Blocked(blocked)
    if from_roster != target:
        after = edited(
            roster,
            roster_text,
            lambda text: set_scalar(text, "school_year", json.dumps(plan.label), ROSTER_COMMENT),
            lambda data: data.update(school_year=plan.label),
        )
        plan.changes.append(FileChange(roster, roster_text, after))
        plan.roster_written = True
    return plan


def _notes(current: int, target: int, day: datetime.date, calendar: Calendar) -> list[str]:
    notes = []
    if target > current + 1:
        skipped = ", ".join(school_year_label(y) for y in range(current + 1, target))
        notes.append(
            f"skipping {skipped}: grades go up by {target - current}, the checklist is {school_year_label(target)}'s only"
        )
    in_session = school_year(day, calendar)
    if in_session < target:
        turn = datetime.date(target - 1, *calendar.end) + datetime.timedelta(days=1)
        notes.append(
            f"today ({day}) is still in {school_year_label(in_session)}: ilp check and the sites count grades from "
            f"graduation years by the date, so they show the new grades from {turn}, and until then ilp check warns that "
            f"goals are carried into a year that has not started"
        )
    elif in_session > target:
        notes.append(
            f"today ({day}) is already in {school_year_label(in_session)}; run ilp promote again to start that year too"
        )
    return notes


def _grades(profile: dict[str, Any], current: int, target: int) -> tuple[int | None, int | None]:
    """The student's grade in the current and in the target school year."""
    if "graduation_year" in profile:
        year = int(profile["graduation_year"])
        return 12 - (year - current), 12 - (year - target)
    if "grade" in profile:
        return int(profile["grade"]), int(profile["grade"]) + target - current
    return None, None


def _plan_student(root: Path, student: Student, framework: Framework, options: Options, plan: Plan) -> StudentPlan:
    was, grade = _grades(student.profile, plan.current, plan.target)
    result = StudentPlan(student.id, grade, was)
    if grade is None:
        result.note = "no graduation_year or grade in profile.yml; left as it is"
        return result
    if grade > 12:
        if (root / GRADUATES / student.id).exists() or (root / GRADUATES / student.id).is_symlink():
            raise Blocked(
                [
                    Diagnostic(
                        f"{student.path}/profile.yml",
                        student.docs["profile.yml"].line(),
                        f"finished grade 12 in {school_year_label(plan.target - (grade - 12))}, but {GRADUATES}/"
                        f"{student.id} already exists; compare the two folders, keep one, and run again",
                    )
                ]
            )
        result.graduates = True
        return result
    if "grade" in student.profile and grade != student.profile["grade"]:
        rel = f"{student.path}/profile.yml"
        before = read_exact(root, rel)
        after = edited(rel, before, lambda t: set_scalar(t, "grade", str(grade)), lambda d: d.update(grade=grade))
        plan.changes.append(FileChange(rel, before, after))
        result.grade_written = True
    grade_plan = framework.plan(grade)
    if grade_plan is not None:
        _checklist(root, student, grade_plan.checklist, options, plan, result)
        _pages(root, student, framework, grade, plan, result)
    _goals(root, student, framework.calendar, framework, plan, result)
    return result


def _checklist(
    root: Path, student: Student, items: tuple[ChecklistItem, ...], options: Options, plan: Plan, result: StudentPlan
) -> None:
    there = {str(item["id"]) for item in student.checklist}
    new = [item for item in items if item.id not in there]
    if not new:
        return
    rel = f"{student.path}/checklist.yml"
    result.items = [item.id for item in new]
    if "checklist.yml" not in student.docs:
        text = (
            template_environment()
            .get_template("checklist.yml.j2")
            .render(checklist=new, schema_url=lambda name: schema_url(options, rel, name))
        )
        plan.changes.append(FileChange(rel, None, text))
        return
    before = read_exact(root, rel)
    pairs = [(item.id, item.text) for item in new]

    def meant(data: Any) -> None:
        data["items"] = [*(data.get("items") or []), *({"id": i, "done": False} for i, _ in pairs)]

    plan.changes.append(FileChange(rel, before, edited(rel, before, lambda t: append_items(t, pairs), meant)))


def _goals(
    root: Path, student: Student, calendar: Calendar, framework: Framework, plan: Plan, result: StudentPlan
) -> None:
    """Mark the unfinished goals of earlier years as carried into the new one, and say when they are reviewed."""
    doc = student.docs.get("goals.yml")
    if doc is None:
        return
    carried: list[int] = []
    for index, goal in enumerate(student.goals):
        set_in = school_year(datetime.date.fromisoformat(str(goal["set"])), calendar) if "set" in goal else None
        if goal.get("status") not in OPEN or (set_in is not None and set_in >= plan.target):
            continue
        if plan.label in (goal.get("carried_over") or []):
            continue
        carried.append(index)
        marked = {**goal, "carried_over": [*(goal.get("carried_over") or []), plan.label]}
        since = cadence_start(marked, calendar, plan.target) or year_start(plan.target, calendar)
        passed = (
            str(goal["due"]) if "due" in goal and str(goal["due"]) < str(year_start(plan.target, calendar)) else None
        )
        result.reviews.append(
            Review(
                str(goal["id"]),
                _months_after(since, framework.review_recommended_months),
                _months_after(since, framework.review_required_months),
                passed,
            )
        )
    if not carried:
        return
    result.carried = [str(student.goals[i]["id"]) for i in carried]
    before = read_exact(root, doc.path)

    def edit(text: str) -> str:
        for index in carried:
            text = mark_carried_over(text, index, plan.label)
        return text

    def meant(data: Any) -> None:
        for index in carried:
            goal = data["goals"][index]
            goal["carried_over"] = [*(goal.get("carried_over") or []), plan.label]

    plan.changes.append(FileChange(doc.path, before, edited(doc.path, before, edit, meant)))


def _mentions(text: str, activity: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(activity)}(?![\w-])", text) is not None


def _pages(root: Path, student: Student, framework: Framework, grade: int, plan: Plan, result: StudentPlan) -> None:
    """Starter pages for the sections with required activities of `grade` that nothing in the folder mentions."""
    grade_plan = framework.plan(grade)
    if grade_plan is None:
        return
    done = evidence_of(student)
    texts: dict[str, list[str]] = {}
    for page in student.pages:
        texts.setdefault(page.section, []).append(read_exact(root, page.path))
    env = template_environment()
    for section in framework.sections:
        open_here = [
            a
            for a in grade_plan.activities
            if a.section == section.id
            and a.id not in done
            and not any(_mentions(text, a.id) for text in texts.get(section.id, []))
        ]
        if not any(a.required for a in open_here):
            continue
        if section.id not in texts and not (root / student.path / section.id / "index.md").exists():
            name, shown = f"{section.id}/index.md", section
        else:
            name, shown = (
                f"{section.id}/grade-{grade:02d}.md",
                dataclasses.replace(section, title=f"Grade {grade} activities"),
            )
        rel = f"{student.path}/{name}"
        if (root / rel).exists() or (root / rel).is_symlink():
            continue  # never over a file; what it says is the student's
        text = env.get_template("section.md.j2").render(section=shown, prompts=section.prompts, activities=open_here)
        plan.changes.append(FileChange(rel, None, text))
        result.pages.append(rel)


def apply_plan(root: Path, plan: Plan) -> None:
    """Write the plan: every file is staged beside its place first, then renamed into it (the roster
    last), then the graduates move. A new file that has appeared meanwhile is left alone."""
    staged: list[tuple[Path, Path, FileChange]] = []
    try:
        for change in plan.changes:
            target = root / change.rel
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.ilp-promote")
            temporary.write_bytes(change.after.encode("utf-8"))
            if change.before is not None:
                shutil.copymode(target, temporary)
            staged.append((temporary, target, change))
        for temporary, target, change in staged:
            if change.before is None and (target.exists() or target.is_symlink()):
                continue
            os.replace(temporary, target)
    finally:
        for temporary, _, _ in staged:
            temporary.unlink(missing_ok=True)
    for student in plan.students:
        if student.graduates:
            student.moved = move_to_graduates(root, student.id)
