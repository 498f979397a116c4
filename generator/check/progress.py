"""Stage 2 for a student's progress: required activities of this grade and past grades without evidence."""

from __future__ import annotations

from typing import Any

from generator.check.district import District
from generator.errors import Report
from generator.model import Student
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
    for plan in framework.grades:
        if not first <= plan.grade <= grade:
            continue
        missing = [a.id for a in plan.activities if a.required and a.id not in done]
        if missing and plan.grade < grade:
            missed.append(f"grade {plan.grade}: {', '.join(missing)}")
        elif missing:
            report.info(
                doc.path,
                line,
                f"grade {plan.grade} (this year): {_count(len(missing))} {_have(len(missing))} no evidence yet: {', '.join(missing)}",
            )
        unticked = [item.id for item in plan.checklist if item.id not in ticked]
        if unticked:
            report.info(doc.path, line, f"grade {plan.grade} checklist not ticked yet: {', '.join(unticked)}")
    if missed:
        total = sum(len(m.split(", ")) for m in missed)
        report.warning(
            doc.path, line, f"{_count(total)} of past grades {_have(total)} no evidence: {'; '.join(missed)}"
        )


def _count(number: int) -> str:
    return f"{number} required activit{'y' if number == 1 else 'ies'}"


def _have(number: int) -> str:
    return "has" if number == 1 else "have"
