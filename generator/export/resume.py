"""A student's view -> their résumé as a JSON Resume document (jsonresume.org schema v1.2.1) (pure).

The same facts as the portfolio's résumé page, in the format résumé tools read: who the student is
(`basics`: the name the view shows and their own "about", never an email, phone or address), their
school and the courses they completed or take now (`education`), experiences split the way JSON
Resume splits them (jobs and work-based learning in `work`, service in `volunteer`, the rest such
as clubs, leadership, job shadows and summer programs in `projects`), the skills those experiences
list, earned credentials (`certificates`) and hobbies and career interests (`interests`).

It is built from a view (`views.view_student`), never from the raw student: languages, supports,
family, reflections, goals and everything else the résumé page does not show stay out.
"""

from __future__ import annotations

from typing import Any

from generator.export.achievements import learner_name, text
from generator.export.schemas import JSON_RESUME, problems
from generator.model import Student
from generator.render.student import Context, student_grade

SCHEMA_URL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.2.1/schema.json"
HIGH_SCHOOL = 9  # the first grade of high school: before it, the school is not the diploma's

WORK = ("work", "internship", "apprenticeship", "work-based-learning")
VOLUNTEER = ("volunteer", "service")


def _day(value: Any) -> str:
    return str(value)[:10]


def _dates(item: dict[str, Any]) -> dict[str, str]:
    dates = {"startDate": _day(item["start"])}
    if item.get("end"):
        dates["endDate"] = _day(item["end"])
    return dates


def _skills(item: dict[str, Any]) -> list[str]:
    return [text(s) for s in item.get("skills", []) if text(s)]


def _hours(item: dict[str, Any]) -> str:
    hours = item.get("hours")
    return f"{hours:g} hours" if isinstance(hours, int | float) else ""


def _basics(view: Student, context: Context) -> dict[str, Any]:
    p = view.profile
    basics: dict[str, Any] = {}
    name = learner_name(view)
    if name:
        basics["name"] = name
    grade = student_grade(view, context)
    if "graduation_year" in p and grade is not None and grade >= HIGH_SCHOOL:
        basics["label"] = f"High school student, class of {p['graduation_year']}"
    elif grade is not None:
        basics["label"] = f"Grade {grade} student"
    if text(p.get("about")):
        basics["summary"] = text(p["about"])
    return basics


def _education(view: Student, context: Context) -> list[dict[str, Any]]:
    p = view.profile
    school = text(p.get("school"))
    if not school:
        return []
    entry: dict[str, Any] = {"institution": school}
    area = text(view.courses.get("program_of_study")) or text((p.get("career") or {}).get("pathway"))
    if area:
        entry["area"] = area
    grade = student_grade(view, context)
    high_school = grade is not None and grade >= HIGH_SCHOOL
    if high_school:
        entry["studyType"] = "High school diploma"
    years = [y for y in view.courses.get("years", []) if not high_school or int(y["grade"]) >= HIGH_SCHOOL]
    starts = sorted(str(y["school_year"])[:4] for y in years if y.get("school_year"))
    if starts:
        entry["startDate"] = starts[0]
    if high_school and "graduation_year" in p:
        entry["endDate"] = str(p["graduation_year"])
    courses = []
    for year in sorted(years, key=lambda y: int(y["grade"])):
        for course in year["courses"]:
            if course["status"] == "completed":
                courses.append(text(course["title"]))
            elif course["status"] == "in-progress":
                courses.append(f"{text(course['title'])} (in progress)")
    if courses:
        entry["courses"] = courses
    return [entry]


def _experiences(view: Student) -> dict[str, list[dict[str, Any]]]:
    work: list[dict[str, Any]] = []
    volunteer: list[dict[str, Any]] = []
    projects: list[dict[str, Any]] = []
    newest_first = sorted(view.experiences, key=lambda e: (_day(e["start"]), str(e["id"])), reverse=True)
    for item in newest_first:
        title, org, role = text(item["title"]), text(item.get("organization")), text(item.get("role"))
        about = ", ".join(x for x in (title if org else "", _hours(item)) if x)
        highlights = {"highlights": _skills(item)} if _skills(item) else {}
        if item["type"] in WORK:
            entry: dict[str, Any] = {"name": org or title, "position": role or title, **_dates(item)}
            work.append({**entry, **({"summary": about} if about else {}), **highlights})
        elif item["type"] in VOLUNTEER:
            entry = {"organization": org or title, "position": role or title, **_dates(item)}
            volunteer.append({**entry, **({"summary": about} if about else {}), **highlights})
        else:
            entry = {"name": title, "type": str(item["type"]).replace("-", " ")}
            if org:
                entry["entity"] = org
            if role:
                entry["roles"] = [role]
            entry.update(_dates(item))
            if _hours(item):
                entry["description"] = _hours(item)
            projects.append({**entry, **highlights})
    return {"work": work, "volunteer": volunteer, "projects": projects}


def _interests(view: Student) -> list[dict[str, Any]]:
    p = view.profile
    found: list[dict[str, Any]] = [{"name": text(h)} for h in (p.get("interests") or {}).get("hobbies", []) if text(h)]
    careers = [text(c) for c in (p.get("career") or {}).get("interests", []) if text(c)]
    if careers:
        found.append({"name": "Careers I want to learn about", "keywords": careers})
    return found


def resume_document(view: Student, context: Context) -> dict[str, Any]:
    """The JSON Resume of what `view` shows; sections with nothing in them are left out."""
    doc: dict[str, Any] = {"$schema": SCHEMA_URL, "basics": _basics(view, context)}
    sections: dict[str, list[dict[str, Any]]] = {"education": _education(view, context), **_experiences(view)}
    skills = sorted({s for item in view.experiences for s in _skills(item)}, key=str.casefold)
    sections["skills"] = [{"name": s} for s in skills]
    sections["certificates"] = [
        {
            "name": text(c["title"]),
            **({"issuer": text(c["issuer"])} if text(c.get("issuer")) else {}),
            **({"date": _day(c["date"])} if c.get("date") else {}),
        }
        for c in view.courses.get("credentials", [])
        if c["status"] == "earned"
    ]
    sections["interests"] = _interests(view)
    order = ("education", "work", "volunteer", "projects", "skills", "certificates", "interests")
    doc.update({key: sections[key] for key in order if sections[key]})
    return doc


def validate_resume(doc: Any) -> list[str]:
    """What is wrong with a JSON Resume document against the pinned schema (empty when valid)."""
    return problems(doc, JSON_RESUME)
