"""Stage 2 for a student folder: cross-references and progress, once every file is loaded.

Ids that must exist (educators, clusters, ASCA codes, activities, lessons, checklist items,
slides), visibility values, dates, links that must stay in the folder, artifacts that may be
published, and the activities of past grades that have no evidence yet.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

from generator.check.district import District
from generator.check.framework import check_visibility, unique_ids
from generator.config import PRIVATE
from generator.errors import Report, did_you_mean, expected
from generator.load.documents import LoadError, read_bytes
from generator.markdown import lint
from generator.markdown.links import Link, resolve
from generator.markdown.slides import BUILT_IN, CONFERENCE, own_slides
from generator.markdown.urls import urls
from generator.model import Framework, Page, Student
from generator.model.schoolyear import grade_for, school_year, school_year_label
from generator.model.source import Doc
from generator.sanitize import UnsafeSvg, clean_svg
from generator.visibility.markers import markers, sees, widening, words

REVIEWERS = ("student", "family")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def cross_check(root: Path, student: Student, files: list[str], district: District, report: Report) -> None:
    for data_doc in student.docs.values():
        for at, value in _strings(data_doc.data, ()):
            if _marker_in_text(value):
                report.error(
                    data_doc.path,
                    data_doc.line(at),
                    "visibility markers work only in Markdown pages; give this item its own 'visibility:' key",
                )
    profile_doc = student.docs.get("profile.yml")
    if profile_doc is not None:
        _check_profile(profile_doc, district, report)
    goals_doc = student.docs.get("goals.yml")
    if goals_doc is not None:
        _check_goals(goals_doc, district, report)
    for file_name, section_key, id_key in (
        ("experiences.yml", "experiences", "id"),
        ("checklist.yml", "items", "id"),
    ):
        doc = student.docs.get(file_name)
        if doc is not None:
            items = doc.data[section_key]
            unique_ids(doc, (((section_key, i, id_key), item[id_key]) for i, item in enumerate(items)), "item", report)
            _check_items(doc, section_key, items, district, report)
    courses_doc = student.docs.get("courses.yml")
    if courses_doc is not None:
        _check_courses(courses_doc, district, report)
    checklist_doc = student.docs.get("checklist.yml")
    if checklist_doc is not None and district.framework is not None:
        known = district.framework.checklist
        for i, item in enumerate(checklist_doc.data["items"]):
            if item["id"] not in known:
                report.error(
                    checklist_doc.path,
                    checklist_doc.line(("items", i, "id")),
                    f"unknown checklist item '{item['id']}'{did_you_mean(item['id'], known)}; see the grade's checklist in the framework",
                )
    file_set = frozenset(files)
    linked: set[str] = set()
    for page in student.pages:
        _check_page(page, student, file_set, linked, district, report)
    if student.conference is not None:
        _check_page(student.conference, student, file_set, linked, district, report)
        _check_conference(student.conference, report)
    for artifact in student.artifacts:
        _check_artifact(root, f"{student.path}/{artifact}", report)
        if artifact not in linked:
            report.warning(
                f"{student.path}/{artifact}",
                1,
                "artifact is not linked from any page, so no portfolio shows it; link it from a page",
            )
    if not report.errors:
        _progress(student, district, report)


_VISIBILITY_KEY = re.compile(r"\bvisib\w*+\s*+=", re.I)


def _marker_in_text(value: str) -> bool:
    """Whether YAML text holds a heading marker such as '{: visibility="family" }' (linear in the text)."""
    opened = closed = -1
    scanned = 0
    for match in _VISIBILITY_KEY.finditer(value):
        opened = max(opened, value.rfind("{", scanned, match.start()))
        closed = max(closed, value.rfind("}", scanned, match.start()))
        scanned = match.start()
        if opened > closed:
            return True
    return False


def _strings(value: Any, at: tuple[str | int, ...]) -> list[tuple[tuple[str | int, ...], str]]:
    """Every text value in a YAML document, with where it is."""
    if isinstance(value, str):
        return [(at, value)]
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in _strings(item, (*at, key))]
    if isinstance(value, list):
        return [found for index, item in enumerate(value) for found in _strings(item, (*at, index))]
    return []


def _check_conference(page: Page, report: Report) -> None:
    own, problems = own_slides(page.doc)
    for line, message in problems:
        report.error(page.path, line, message)
    for block in page.doc.blocks:
        heading = block.heading
        if heading is not None and heading.setext and page.doc.tokens[block.start].markup == "-":
            report.error(
                page.path,
                heading.line,
                "a line '---' right under text makes that text a heading, not a new slide; "
                "leave a blank line before '---' to start the next slide",
            )
    known = {*BUILT_IN, *(slide.id for slide in own)}
    seen: dict[str, int] = {}
    for slide in own:
        if slide.id in seen or slide.id in BUILT_IN:
            report.error(
                page.path, slide.line, f"a slide called '{slide.id}' exists already; give this one another heading"
            )
        seen[slide.id] = slide.line
    for i, slide_id in enumerate(page.meta.get("slides") or []):
        if slide_id not in known:
            report.error(
                page.path,
                page.meta_doc.line(("slides", i)),
                f"unknown slide '{slide_id}'{did_you_mean(slide_id, known)} {expected(known)}",
            )
    if own and "visibility" not in page.meta:
        report.warning(
            page.path,
            1,
            "your own slides are private: add 'visibility: family' (or your conference audience) to show them",
        )


ARTIFACT_TYPES = (
    ".pdf",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".svg",
    ".txt",
    ".csv",
    ".mp3",
    ".mp4",
    ".m4a",
    ".webm",
)


def _check_artifact(root: Path, rel: str, report: Report) -> None:
    """Only file types a browser shows without running anything; SVG only if it can be made safe."""
    if not rel.lower().endswith(ARTIFACT_TYPES):
        report.error(rel, 1, f"this kind of file cannot be published; use one of {', '.join(ARTIFACT_TYPES)}")
        return
    if rel.lower().endswith(".svg"):
        try:
            clean_svg(read_bytes(root / rel, rel))
        except UnsafeSvg as exc:
            report.error(rel, 1, f"{exc}; save the drawing again as SVG or PNG")
        except LoadError as exc:
            report.extend(exc.diagnostics)


def _check_items(doc: Doc, key: str, items: list[dict[str, Any]], district: District, report: Report) -> None:
    for i, item in enumerate(items):
        if "visibility" in item:
            check_visibility(doc, (key, i, "visibility"), item["visibility"], district.options, report)
        _check_activity(doc, (key, i, "activity"), item.get("activity"), district, report)
        if item.get("start") and item.get("end") and item["end"] < item["start"]:
            report.error(doc.path, doc.line((key, i, "end")), f"end {item['end']} is before start {item['start']}")
        for field_name in ("date", "start"):
            _check_not_future(doc, (key, i, field_name), item.get(field_name), district, report)


def _check_activity(
    doc: Doc, at: tuple[str | int, ...], activity: str | None, district: District, report: Report
) -> None:
    if activity is None or district.framework is None:
        return
    known = district.framework.activities
    if activity not in known:
        report.error(
            doc.path,
            doc.line(at),
            f"unknown activity '{activity}'{did_you_mean(activity, known)}; see the framework's activities",
        )


def _check_not_future(doc: Doc, at: tuple[str | int, ...], value: Any, district: District, report: Report) -> None:
    if isinstance(value, str) and DATE.match(value) and datetime.date.fromisoformat(value) > district.today:
        report.warning(doc.path, doc.line(at), f"date {value} is in the future")


def _check_profile(doc: Doc, district: District, report: Report) -> None:
    data = doc.data
    if not data.get("educators"):
        report.warning(
            doc.path, doc.line(), "no educators listed; add the roster ids of the counselor and advisor who serve you"
        )
    if district.roster is not None:
        for i, educator in enumerate(data.get("educators", [])):
            if educator not in district.roster:
                report.error(
                    doc.path,
                    doc.line(("educators", i)),
                    f"unknown educator '{educator}'{did_you_mean(educator, district.roster)}; use an id from the roster",
                )
        for i, support in enumerate(data.get("supports", [])):
            contact = support.get("contact")
            if contact and contact not in district.roster:
                report.error(
                    doc.path,
                    doc.line(("supports", i, "contact")),
                    f"unknown educator '{contact}'{did_you_mean(contact, district.roster)}",
                )
    if district.reference is not None:
        clusters = district.reference.clusters
        for i, cluster in enumerate(data.get("career", {}).get("clusters", [])):
            if cluster not in clusters:
                report.error(
                    doc.path,
                    doc.line(("career", "clusters", i)),
                    f"unknown career cluster '{cluster}'{did_you_mean(cluster, clusters)}; see curriculum/reference/career-clusters.yml",
                )
        riasec = district.reference.riasec
        for i, kind in enumerate(data.get("interests", {}).get("riasec", [])):
            if kind not in riasec:
                report.error(
                    doc.path,
                    doc.line(("interests", "riasec", i)),
                    f"unknown interest type '{kind}'{did_you_mean(kind, riasec)} {expected(riasec)}",
                )
    for key in ("career", "interests", "joined"):
        if isinstance(data.get(key), dict) and "visibility" in data[key]:
            check_visibility(doc, (key, "visibility"), data[key]["visibility"], district.options, report)
    for key in ("family", "supports", "highlights"):
        for i, item in enumerate(data.get(key, [])):
            if isinstance(item, dict) and "visibility" in item:
                check_visibility(doc, (key, i, "visibility"), item["visibility"], district.options, report)
    if district.framework is not None:
        calendar = district.framework.calendar
        label = school_year_label(school_year(district.today, calendar))
        if "graduation_year" in data:
            grade = grade_for(data["graduation_year"], district.today, calendar)
            at: tuple[str | int, ...] = ("graduation_year",)
            if "grade" in data and data["grade"] != grade:
                report.error(
                    doc.path,
                    doc.line(("grade",)),
                    f"grade {data['grade']} does not match graduation_year {data['graduation_year']} (grade {grade} in {label}); keep only graduation_year",
                )
            if not 6 <= grade <= 12:
                report.error(
                    doc.path,
                    doc.line(at),
                    f"graduation_year {data['graduation_year']} means grade {grade} in {label}; an ILP covers grades 6 to 12",
                )
        if "joined" in data:
            _check_not_future(doc, ("joined", "date"), data["joined"]["date"], district, report)


def _check_goals(doc: Doc, district: District, report: Report) -> None:
    goals = doc.data["goals"]
    unique_ids(doc, ((("goals", i, "id"), g["id"]) for i, g in enumerate(goals)), "goal", report)
    roster = district.roster or {}
    for i, goal in enumerate(goals):
        at: tuple[str | int, ...] = ("goals", i)
        if "visibility" in goal:
            check_visibility(doc, (*at, "visibility"), goal["visibility"], district.options, report)
        _check_activity(doc, (*at, "activity"), goal.get("activity"), district, report)
        if district.reference is not None:
            for j, code in enumerate(goal.get("asca", [])):
                if code not in district.reference.asca:
                    report.error(
                        doc.path,
                        doc.line((*at, "asca", j)),
                        f"unknown ASCA code '{code}'{did_you_mean(code, district.reference.asca)}",
                    )
        for key in ("barriers", "strategies", "reviews"):
            for j, item in enumerate(goal.get(key, [])):
                if isinstance(item, dict) and "visibility" in item:
                    check_visibility(doc, (*at, key, j, "visibility"), item["visibility"], district.options, report)
        if goal.get("set") and goal.get("due") and goal["due"] < goal["set"]:
            report.error(
                doc.path,
                doc.line((*at, "due")),
                f"due date {goal['due']} is before the date the goal was set ({goal['set']})",
            )
        _check_not_future(doc, (*at, "set"), goal.get("set"), district, report)
        previous = None
        for j, review in enumerate(goal.get("reviews", [])):
            where = (*at, "reviews", j)
            if district.roster is not None and review["by"] not in roster and review["by"] not in REVIEWERS:
                report.error(
                    doc.path,
                    doc.line((*where, "by")),
                    f"unknown reviewer '{review['by']}'{did_you_mean(review['by'], [*roster, *REVIEWERS])}; "
                    "use a roster id, 'student' or 'family'",
                )
            _check_not_future(doc, (*where, "date"), review["date"], district, report)
            if goal.get("set") and review["date"] < goal["set"]:
                report.warning(
                    doc.path,
                    doc.line((*where, "date")),
                    f"review on {review['date']} is before the goal was set ({goal['set']})",
                )
            if previous and review["date"] < previous:
                report.warning(doc.path, doc.line((*where, "date")), "reviews are out of order; list them oldest first")
            previous = review["date"]


def _check_courses(doc: Doc, district: District, report: Report) -> None:
    data = doc.data
    terms = ["full-year", "summer", *(t.id for t in district.framework.calendar.terms)] if district.framework else None
    unique_ids(
        doc, ((("years", i, "grade"), str(y["grade"])) for i, y in enumerate(data.get("years", []))), "grade", report
    )
    for i, year in enumerate(data.get("years", [])):
        for j, course in enumerate(year["courses"]):
            at: tuple[str | int, ...] = ("years", i, "courses", j)
            if "visibility" in course:
                check_visibility(doc, (*at, "visibility"), course["visibility"], district.options, report)
            _check_activity(doc, (*at, "activity"), course.get("activity"), district, report)
            if terms is not None and "term" in course and course["term"] not in terms:
                report.error(
                    doc.path,
                    doc.line((*at, "term")),
                    f"unknown term '{course['term']}'{did_you_mean(course['term'], terms)} {expected(terms)}",
                )
    for key in ("credentials", "assessments"):
        _check_items(doc, key, data.get(key, []), district, report)


def _check_page(
    page: Page, student: Student, files: frozenset[str], linked: set[str], district: District, report: Report
) -> None:
    meta, doc = page.meta, page.meta_doc
    framework = district.framework
    if "visibility" in meta:
        check_visibility(doc, ("visibility",), meta["visibility"], district.options, report)
    _check_activity(doc, ("activity",), meta.get("activity"), district, report)
    if framework is not None and meta.get("activity") in framework.activities:
        activity = framework.activities[meta["activity"]]
        if activity.section != page.section:
            report.warning(
                page.path,
                doc.line(("activity",)),
                f"activity '{activity.id}' belongs to section '{activity.section}', but this page is in '{page.section}'",
            )
    lesson = meta.get("lesson")
    if lesson is not None and lesson not in district.lessons:
        report.error(
            page.path,
            doc.line(("lesson",)),
            f"unknown lesson '{lesson}'{did_you_mean(lesson, district.lessons)}; see the lessons in curriculum/grade-NN/",
        )
    if page.name != CONFERENCE:  # a conference is planned ahead
        _check_not_future(doc, ("date",), meta.get("date"), district, report)
    found_markers = list(markers(page.doc, district.options.visibility_words))
    for marker in found_markers:
        for message in marker.problems:
            report.error(page.path, marker.line, message)
    if framework is not None:
        _check_nesting(page, framework, district, report)
    seen: set[tuple[str, bool]] = set()
    for url in urls(page.doc):  # as the renderer reads the page: code holds no link, comments are dropped
        if (url.target, url.image) in seen:
            continue
        seen.add((url.target, url.image))
        target, problem = resolve(Link(url.line, url.target, url.image), page.name, files)
        if problem:
            report.error(page.path, url.line, problem)
        elif target is not None:
            linked.add(target)
    for line, message in lint.errors(page.doc):
        report.error(page.path, line, message)
    for line, message in lint.warnings(page.doc):
        report.warning(page.path, line, message)


def _check_nesting(page: Page, framework: Framework, district: District, report: Report) -> None:
    """Warn where a nested marker shares what an enclosing section hides (the narrower audience wins)."""
    options = district.options
    section = framework.section(page.section)
    if "visibility" in page.meta:
        default = words(page.meta["visibility"])
    else:
        default = section.visibility if section is not None else (PRIVATE,)
    audiences = tuple(a for a in options.audiences if a not in options.full_access)
    for line, message in widening(
        page.doc, default, audiences, lambda a, v: sees(a, v, options.full_access, options.everyone)
    ):
        report.warning(page.path, line, message)


def _evidence(student: Student) -> set[str]:
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


def _progress(student: Student, district: District, report: Report) -> None:
    """Per grade: required activities without evidence (a warning for past grades, progress for this one)."""
    framework = district.framework
    grade = current_grade(student.profile, district)
    if framework is None or grade is None:
        return
    doc = student.docs["profile.yml"]
    line = doc.line(("graduation_year",) if "graduation_year" in student.profile else ("grade",))
    first = int(student.profile.get("joined", {}).get("grade", 6))
    done = _evidence(student)
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
