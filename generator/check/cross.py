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
from generator.check.fields import check_activity, check_not_future
from generator.check.framework import check_visibility, unique_ids
from generator.check.pages import check_artifact, check_conference, check_page
from generator.check.progress import progress
from generator.check.starter import check_starter_text
from generator.errors import Report, did_you_mean, expected
from generator.model import Student
from generator.model.schoolyear import grade_for, school_year, school_year_label
from generator.model.source import Doc

REVIEWERS = ("student", "family")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def cross_check(
    root: Path,
    student: Student,
    files: list[str],
    district: District,
    report: Report,
    invalid: dict[str, Doc] | None = None,
) -> None:
    for file_name, doc in (invalid or {}).items():
        _check_invalid(file_name, doc, district, report)
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
        found = student.docs.get(file_name)
        if found is not None:
            doc = found
            items = doc.data[section_key]
            unique_ids(doc, (((section_key, i, id_key), item[id_key]) for i, item in enumerate(items)), "item", report)
            _check_items(doc, section_key, items, district, report)
    sharing_doc = student.docs.get("sharing.yml")
    if sharing_doc is not None:
        _check_links(sharing_doc, district, report)
    courses_doc = student.docs.get("courses.yml")
    if courses_doc is not None:
        _check_courses(courses_doc, district, report)
    checklist_doc = student.docs.get("checklist.yml")
    if checklist_doc is not None and district.framework is not None:
        known = district.framework.checklist
        for i, item in enumerate(checklist_doc.data["items"]):
            if item["id"] not in known and district.foreign is not None:
                report.warning(
                    checklist_doc.path,
                    checklist_doc.line(("items", i, "id")),
                    f"checklist item '{item['id']}' is from the {district.foreign} framework this record came from; "
                    "this district's checklist does not have it, so it counts for no requirement here",
                )
            elif item["id"] not in known:
                report.error(
                    checklist_doc.path,
                    checklist_doc.line(("items", i, "id")),
                    f"unknown checklist item '{item['id']}'{did_you_mean(item['id'], known)}; see the grade's checklist in the framework",
                )
    file_set = frozenset(files)
    linked: set[str] = set()
    for page in student.pages:
        check_page(page, student, file_set, linked, district, report)
    if student.conference is not None:
        check_page(student.conference, student, file_set, linked, district, report)
        check_conference(student.conference, report)
    for artifact in student.artifacts:
        check_artifact(root, f"{student.path}/{artifact}", report)
        if artifact not in linked:
            report.warning(
                f"{student.path}/{artifact}",
                1,
                "artifact is not linked from any page, so no portfolio shows it; link it from a page",
            )
    check_starter_text(student, district, report)
    if not report.errors:
        progress(student, district, report)


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


def _check_items(doc: Doc, key: str, items: list[dict[str, Any]], district: District, report: Report) -> None:
    for i, item in enumerate(items):
        if "visibility" in item:
            check_visibility(doc, (key, i, "visibility"), item["visibility"], district.options, report)
        check_activity(doc, (key, i, "activity"), item.get("activity"), district, report)
        if item.get("start") and item.get("end") and item["end"] < item["start"]:
            report.error(doc.path, doc.line((key, i, "end")), f"end {item['end']} is before start {item['start']}")
        for field_name in ("date", "start"):
            check_not_future(doc, (key, i, field_name), item.get(field_name), district, report)


def _check_links(doc: Doc, district: District, report: Report) -> None:
    """A link serves one audience that is not a full one; an expired link is dead (a warning)."""
    options = district.options
    # A link serves a view that needs sign-in: not the full ones, and not the public one (it needs no link).
    allowed = tuple(a for a in options.audiences if a not in options.full_access and a != options.everyone)
    for i, link in enumerate(doc.data["links"]):
        if not isinstance(link, dict):
            continue
        audience = link.get("audience")
        if isinstance(audience, str) and audience not in allowed:
            why = "links cannot share the student's or the educators' view; " if audience in options.full_access else ""
            report.error(
                doc.path,
                doc.line(("links", i, "audience")),
                f"{why}unknown link audience '{audience}'{did_you_mean(audience, allowed)} {expected(allowed)}"
                if not why
                else f"{why}choose one of {', '.join(allowed)}",
            )
        try:
            expires = datetime.date.fromisoformat(str(link.get("expires")))
        except ValueError:
            continue  # reported by the schema
        if expires < district.today and not link.get("revoked"):
            report.warning(
                doc.path,
                doc.line(("links", i, "expires")),
                f"the link for '{link['for']}' expired on {link['expires']}; it no longer works (renew it or remove it)",
            )


def _check_invalid(file_name: str, doc: Doc, district: District, report: Report) -> None:
    """The reference checks of a file whose schema errors are reported already, as far as its shape allows.

    The student is not built either way; this only lets one run of `ilp check` report every problem.
    """
    checks = {
        "profile.yml": _check_profile,
        "goals.yml": _check_goals,
        "courses.yml": _check_courses,
        "sharing.yml": _check_links,
    }
    check = checks.get(file_name)
    if check is None or not isinstance(doc.data, dict):
        return
    found = Report()
    try:
        check(doc, district, found)
    except (KeyError, TypeError, AttributeError, IndexError, ValueError):
        return  # the shape is too broken for these checks; the schema errors say what to fix first
    report.extend(found)


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
            if contact and contact not in district.roster and district.joined is not None:
                report.warning(
                    doc.path,
                    doc.line(("supports", i, "contact")),
                    f"contact '{contact}' was an educator of the district this record came from; "
                    "name the student's contact here (an id from the roster)",
                )
            elif contact and contact not in district.roster:
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
            check_not_future(doc, ("joined", "date"), data["joined"]["date"], district, report)


def _check_goals(doc: Doc, district: District, report: Report) -> None:
    goals = doc.data["goals"]
    unique_ids(doc, ((("goals", i, "id"), g["id"]) for i, g in enumerate(goals)), "goal", report)
    roster = district.roster or {}
    for i, goal in enumerate(goals):
        at: tuple[str | int, ...] = ("goals", i)
        if "visibility" in goal:
            check_visibility(doc, (*at, "visibility"), goal["visibility"], district.options, report)
        check_activity(doc, (*at, "activity"), goal.get("activity"), district, report)
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
        check_not_future(doc, (*at, "set"), goal.get("set"), district, report)
        _check_carried_over(doc, at, goal, district, report)
        previous = None
        for j, review in enumerate(goal.get("reviews", [])):
            where = (*at, "reviews", j)
            earlier = district.joined is not None and str(review["date"]) < district.joined  # the old district's staff
            if district.roster is not None and review["by"] not in (*roster, *REVIEWERS) and not earlier:
                report.error(
                    doc.path,
                    doc.line((*where, "by")),
                    f"unknown reviewer '{review['by']}'{did_you_mean(review['by'], [*roster, *REVIEWERS])}; "
                    "use a roster id, 'student' or 'family'",
                )
            check_not_future(doc, (*where, "date"), review["date"], district, report)
            if goal.get("set") and review["date"] < goal["set"]:
                report.warning(
                    doc.path,
                    doc.line((*where, "date")),
                    f"review on {review['date']} is before the goal was set ({goal['set']})",
                )
            if previous and review["date"] < previous:
                report.warning(doc.path, doc.line((*where, "date")), "reviews are out of order; list them oldest first")
            previous = review["date"]


SCHOOL_YEAR = re.compile(r"^(\d{4})-(\d{4})$")


def _check_carried_over(
    doc: Doc, at: tuple[str | int, ...], goal: dict[str, Any], district: District, report: Report
) -> None:
    """`carried_over` (written by `ilp promote`) names school years: not one that has not started yet,
    nor the year the goal was set in."""
    if district.framework is None:
        return
    calendar = district.framework.calendar
    current = school_year(district.today, calendar)
    try:
        set_in: int | None = school_year(datetime.date.fromisoformat(str(goal.get("set"))), calendar)
    except ValueError:
        set_in = None  # no date, or not a real one (reported where it was read)
    for j, label in enumerate(goal.get("carried_over") or []):
        line = doc.line((*at, "carried_over", j))
        match = SCHOOL_YEAR.match(str(label))
        if match is None:
            continue  # not YYYY-YYYY: the schema says so
        if int(match[2]) != int(match[1]) + 1:
            report.error(
                doc.path,
                line,
                f"carried_over '{label}' is not a school year; write two consecutive years, such as '{school_year_label(current)}'",
            )
        elif int(match[2]) > current:
            report.warning(
                doc.path,
                line,
                f"carried_over '{label}': that school year has not started yet (today is in {school_year_label(current)}); "
                "ilp promote was run early, or the year is wrong",
            )
        elif set_in is not None and int(match[2]) <= set_in:
            report.warning(
                doc.path,
                line,
                f"carried_over '{label}', but the goal was set on {goal['set']}, in {school_year_label(set_in)}; "
                "a goal is carried over only into a later school year than the one it was set in",
            )


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
            check_activity(doc, (*at, "activity"), course.get("activity"), district, report)
            if terms is not None and "term" in course and course["term"] not in terms:
                report.error(
                    doc.path,
                    doc.line((*at, "term")),
                    f"unknown term '{course['term']}'{did_you_mean(course['term'], terms)} {expected(terms)}",
                )
    for key in ("credentials", "assessments"):
        _check_items(doc, key, data.get(key, []), district, report)
