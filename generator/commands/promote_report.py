"""What `ilp promote` tells: the summary per student, and (for --dry-run) the unified diff."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from generator.commands.promote_model import Plan, StudentPlan
from generator.history.moves import GRADUATES
from generator.model.schoolyear import school_year_label


def _student_lines(student: StudentPlan, plan: Plan, done: bool) -> list[str]:
    if student.note:
        return [f"  {student.id}: {student.note}"]
    if student.graduates:
        how = f" ({student.moved})" if student.moved else ""
        verb = "moved" if done else "moves"
        return [
            f"  {student.id}: graduated (grade 12 in {school_year_label(plan.target - 1)}): "
            f"{verb} to {GRADUATES}/{student.id}/{how}, out of the sites"
        ]
    was = f", was {student.was}" if student.was is not None and student.was != student.grade else ""
    lines = [f"  {student.id}: grade {student.grade}{was}" + ("" if student.changed else "; nothing to change")]
    if student.grade_written:
        lines.append(f"    profile.yml: grade: {student.grade}")
    if student.items:
        lines.append(f"    checklist items added: {', '.join(student.items)}")
    if student.carried:
        lines.append(f"    goals carried over into {plan.label}: {', '.join(student.carried)}")
    for review in student.reviews:
        passed = f" (the goal was due {review.goal_due}: set a new due date)" if review.goal_due else ""
        lines.append(f"    review of {review.goal} due by {review.due}, overdue after {review.required}{passed}")
    for page in student.pages:
        lines.append(f"    new page: {page}")
    return lines


def summary(plan: Plan, done: bool) -> list[str]:
    """The lines of the summary, after the run (`done`) or before it (a dry run)."""
    lines = [f"ilp promote: {school_year_label(plan.current)} -> {plan.label} ({plan.basis})"]
    lines += [f"note: {note}" for note in plan.notes]
    for student in plan.students:
        lines += _student_lines(student, plan, done)
    if plan.roster_written:
        lines.append(f'  {plan.roster}: school_year: "{plan.label}"')
    changed = sum(s.changed for s in plan.students)
    graduated = len(plan.graduates)
    lines.append(
        f"{len(plan.students)} students: {changed - graduated} with changes, {graduated} graduated, "
        f"{len(plan.changes)} files {'written' if done else 'to write'}"
    )
    return lines


def diff(root: Path, plan: Plan) -> list[str]:
    """A unified diff of every file the plan writes, and a line per folder it moves."""
    lines: list[str] = []
    for change in plan.changes:
        before = (change.before or "").splitlines(keepends=True)
        after = change.after.splitlines(keepends=True)
        old = "/dev/null" if change.before is None else f"a/{change.rel}"
        for line in difflib.unified_diff(before, after, old, f"b/{change.rel}"):
            lines.append(line.rstrip("\r\n"))
            if not line.endswith(("\n", "\r")):
                lines.append("\\ No newline at end of file")
    for student_id in plan.graduates:
        folder = root / "students" / student_id
        count = sum(len(files) for _, _, files in os.walk(folder))
        lines.append(f"rename students/{student_id}/ => {GRADUATES}/{student_id}/ ({count} files, history kept)")
    return lines
