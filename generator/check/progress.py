"""Stage 2 for a student's progress: required activities of this grade and past grades without evidence.

Activities and checklist items are named by their title (or text) with their id in parentheses, as
a student knows them from the lessons and as a page's `activity:` names them.
"""

from __future__ import annotations

from typing import Any

from generator.check.district import District
from generator.errors import Report
from generator.model import Activity, ChecklistItem, Student
from generator.model.schoolyear import grade_for


def evidence_of(student: Student) -> set[str]:
    """Activity ids the student has evidence for."""
    found = {str(p.meta["activity"]) for p in student.pages if "activity" in p.meta}
    found |= {str(item["activity"]) for item in (*student.goals, *student.experiences) if "activity" in item}
    for year in student.courses.get("years", []):
        found |= {str(c["activity"]) for c in year["courses"] if "activity" in c}
    found |= {str(a["activity"]) for a in student.courses.get("assessments", []) if "activity" in a}
    return found


def current_grade(profile: dict[str, Any], district: District) -> int | None:
    if district.framework is None:
        return None
    if "graduation_year" in profile:
        return grade_for(int(profile["graduation_year"]), district.today, district.framework.calendar)
    grade = profile.get("grade")
    return int(grade) if grade is not None else None


def progress(student: Student, district: District, report: Report) -> None:
    """Per grade: required activities without evidence (a warning for past grades, progress for this one)."""
    framework = district.framework
    grade = current_grade(student.profile, district)
    if framework is None or grade is None:
        return
    doc = student.docs["profile.yml"]
    line = doc.line(("graduation_year",) if "graduation_year" in student.profile else ("grade",))
    first = int(student.profile.get("joined", {}).get("grade", 6))
    done = evidence_of(student)
    ticked = {item["id"] for item in student.checklist if item["done"]}
    missed: list[str] = []
    total = 0
    for plan in framework.grades:
        if not first <= plan.grade <= grade:
            continue
        missing = [a for a in plan.activities if a.required and a.id not in done]
        if missing and plan.grade < grade:
            total += len(missing)
            missed.append(f"grade {plan.grade}: {_activities(missing)}")
        elif missing:
            report.info(
                doc.path,
                line,
                f"grade {plan.grade} (this year): {_count(len(missing))} {_have(len(missing))} no evidence yet: "
                f"{_activities(missing)}",
            )
        unticked = [item for item in plan.checklist if item.id not in ticked]
        if unticked:
            report.info(doc.path, line, f"grade {plan.grade} checklist not ticked yet: {_items(unticked)}")
    if missed:
        report.warning(
            doc.path, line, f"{_count(total)} of past grades {_have(total)} no evidence: {'; '.join(missed)}"
        )


def _activities(activities: list[Activity]) -> str:
    """'How I learn best (g7-learning-styles), ...': the framework's titles, with the ids a page names."""
    return ", ".join(f"{a.title} ({a.id})" for a in activities)


def _items(items: list[ChecklistItem]) -> str:
    """Checklist items are sentences (with commas of their own): one after the other, each with its id."""
    return "; ".join(f"{item.text.rstrip('.')} ({item.id})" for item in items)


def _count(number: int) -> str:
    return f"{number} required activit{'y' if number == 1 else 'ies'}"


def _have(number: int) -> str:
    return "has" if number == 1 else "have"
