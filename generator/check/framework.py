"""Stage 2 for district files: framework, reference data and roster (the lessons: lessons.py).

Each function takes loaded documents, checks them against their schema and
against each other, and returns the model with every problem found.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from generator.check import schemas
from generator.config import CONFIG_FILE, Options
from generator.errors import Report, did_you_mean, expected
from generator.load.documents import LoadError, file_problem, load_markdown, load_yaml
from generator.markdown.document import Document, parse
from generator.model import (
    Activity,
    Calendar,
    ChecklistItem,
    Educator,
    Framework,
    GradePlan,
    Reference,
    Section,
    Term,
)
from generator.model.schoolyear import parse_month_day
from generator.model.site import RESERVED_FOLDERS
from generator.model.source import Doc, MarkdownFile
from generator.visibility.markers import unknown_words, words

REFERENCE_FILES = {
    "asca": "asca-mindsets-behaviors.yml",
    "career-clusters": "career-clusters.yml",
    "riasec": "riasec.yml",
}


def load_checked(root: Path, rel: str, schema: str, report: Report, tolerant_tags: bool = False) -> Doc | None:
    """Load a YAML file and validate it; None (and the problems reported) if it fails."""
    try:
        doc = load_yaml(root / rel, rel, tolerant_tags)
    except LoadError as exc:
        report.extend(exc.diagnostics)
        return None
    problems = schemas.validate(doc, schema)
    report.extend(problems)
    return None if problems else doc


def load_front_matter(
    root: Path, rel: str, schema: str, fields: str, report: Report, keep_invalid: bool = False
) -> MarkdownFile | None:
    """A Markdown file whose front matter is valid against `schema`; None (problems reported) otherwise.

    With `keep_invalid`, a file whose front matter has problems is returned too (they are reported), so
    its body is checked in the same run; whoever asks for that never builds it.
    """
    try:
        page = load_markdown(root / rel, rel)
        problems = []
    except LoadError as exc:
        report.extend(exc.diagnostics)
        if not (keep_invalid and isinstance(exc.partial, MarkdownFile)):
            return None
        page, problems = exc.partial, list(exc.diagnostics)
    if page.meta is None:
        report.error(rel, 1, f"no front matter; start the file with '---', {fields}, '---'")
        return None
    found = schemas.validate(page.meta, schema)
    report.extend(found)
    if (problems or found) and not (keep_invalid and isinstance(page.meta.data, dict)):
        return None
    return page


def unique_ids(doc: Doc, items: Iterable[tuple[tuple[str | int, ...], str]], what: str, report: Report) -> None:
    """Report every id in `items` ((path, id) pairs) used more than once."""
    seen: dict[str, int] = {}
    for at, item_id in items:
        line = doc.line(at)
        if item_id in seen:
            report.error(
                doc.path,
                line,
                f"{what} id '{item_id}' is used twice (first on line {seen[item_id]}); give each its own id",
            )
        else:
            seen[item_id] = line


def check_visibility(doc: Doc, at: tuple[str | int, ...], value: Any, options: Options, report: Report) -> None:
    for message in unknown_words(value, options.visibility_words):
        report.error(doc.path, doc.line(at), message)


def _named_file(root: Path, rel: str, option: str, lines: dict[str, int], report: Report) -> bool:
    """Whether the file an option names can be read: a missing one is an error at the option's line in
    mkdocs.yml, one that is not a regular file an error at its own path."""
    problem = file_problem(root / rel)
    if problem is None:
        return True
    if problem == "does not exist":
        message = f"{option} file '{rel}' does not exist; set '{option}:' under the ilp plugin"
        report.error(CONFIG_FILE, lines.get(option, 1), message)
    else:
        report.error(rel, 1, f"this {option} file {problem}; it must be a regular file inside the repository")
        if option in lines:
            report.error(CONFIG_FILE, lines[option], f"{option}: '{rel}' {problem}; name the {option} file itself")
    return False


def build_framework(
    root: Path, options: Options, report: Report, lines: dict[str, int] | None = None
) -> Framework | None:
    if not _named_file(root, options.framework, "framework", lines or {}, report):
        return None
    doc = load_checked(root, options.framework, "framework", report)
    if doc is None:
        return None
    data = doc.data
    before = len(report.errors)
    sections = tuple(
        Section(s["id"], s["title"], s["purpose"], words(s["visibility"]), tuple(s.get("prompts", ())))
        for s in data["sections"]
    )
    unique_ids(doc, ((("sections", i, "id"), s.id) for i, s in enumerate(sections)), "section", report)
    for index, section in enumerate(data["sections"]):
        check_visibility(doc, ("sections", index, "visibility"), section["visibility"], options, report)
        if section["id"] in RESERVED_FOLDERS:
            report.error(
                doc.path,
                doc.line(("sections", index, "id")),
                f"section id '{section['id']}' is the name of a page or folder every portfolio has; "
                f"choose another, such as '{section['id']}-section'",
            )
    section_ids = [s.id for s in sections]
    plans = []
    activity_ids: list[tuple[tuple[str | int, ...], str]] = []
    checklist_ids: list[tuple[tuple[str | int, ...], str]] = []
    for g, plan in enumerate(data["grades"]):
        grade = plan["grade"]
        activities = []
        for a, item in enumerate(plan["activities"]):
            at: tuple[str | int, ...] = ("grades", g, "activities", a)
            activity_ids.append(((*at, "id"), item["id"]))
            if item["section"] not in section_ids:
                report.error(
                    doc.path,
                    doc.line((*at, "section")),
                    f"unknown section '{item['section']}'{did_you_mean(item['section'], section_ids)} {expected(section_ids)}",
                )
            activities.append(
                Activity(
                    item["id"],
                    grade,
                    item["title"],
                    item["section"],
                    item["artifact"],
                    item.get("required", True),
                    item.get("domain"),
                    item.get("description", ""),
                )
            )
        checklist = []
        for c, item in enumerate(plan["checklist"]):
            checklist_ids.append((("grades", g, "checklist", c, "id"), item["id"]))
            checklist.append(ChecklistItem(item["id"], grade, item["text"]))
        plans.append(GradePlan(grade, plan["focus"], tuple(activities), tuple(checklist)))
    unique_ids(doc, ((("grades", i, "grade"), str(p["grade"])) for i, p in enumerate(data["grades"])), "grade", report)
    unique_ids(doc, activity_ids, "activity", report)
    unique_ids(doc, checklist_ids, "checklist item", report)
    calendar = data["calendar"]
    for key in ("start", "mid_year", "end"):
        _check_month_day(doc, ("calendar", key), calendar[key], report)
    for index, term in enumerate(calendar["terms"]):
        _check_month_day(doc, ("calendar", "terms", index, "start"), term["start"], report)
    terms = tuple(Term(t["id"], t["title"], parse_month_day(t["start"])) for t in calendar["terms"])
    unique_ids(doc, ((("calendar", "terms", i, "id"), t.id) for i, t in enumerate(terms)), "term", report)
    for kind, section_id in data.get("files", {}).items():
        if section_id not in section_ids:
            report.error(
                doc.path,
                doc.line(("files", kind)),
                f"unknown section '{section_id}'{did_you_mean(section_id, section_ids)} {expected(section_ids)}",
            )
    review = data["review"]
    if review["recommended_months"] > review["required_months"]:
        report.error(
            doc.path,
            doc.line(("review", "recommended_months")),
            "recommended_months is longer than required_months; reviews are recommended more often than required",
        )
    if len(report.errors) > before:
        return None
    return Framework(
        data["id"],
        data["title"],
        sections,
        tuple(sorted(plans, key=lambda p: p.grade)),
        Calendar(
            parse_month_day(calendar["start"]),
            parse_month_day(calendar["mid_year"]),
            parse_month_day(calendar["end"]),
            terms,
        ),
        review["required_months"],
        review["recommended_months"],
        dict(data.get("files", {})),
    )


def _check_month_day(doc: Doc, at: tuple[str | int, ...], text: str, report: Report) -> None:
    month, day = parse_month_day(text)
    days_in = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    if day > days_in:
        report.error(doc.path, doc.line(at), f"'{text}' is not a real day of the year; write MM-DD")


def build_reference(
    root: Path, options: Options, report: Report, lines: dict[str, int] | None = None
) -> Reference | None:
    docs: dict[str, Doc | None] = {}
    for schema, name in REFERENCE_FILES.items():
        rel = f"{options.reference}/{name}"
        if not _named_file(root, rel, "reference", lines or {}, report):
            continue
        docs[schema] = load_checked(root, rel, schema, report)
    asca, clusters, riasec = docs.get("asca"), docs.get("career-clusters"), docs.get("riasec")
    if asca is None or clusters is None or riasec is None:
        return None
    unique_ids(
        asca, ((("standards", i, "code"), s["code"]) for i, s in enumerate(asca.data["standards"])), "ASCA", report
    )
    cluster_ids = [
        (("frameworks", f, "clusters", c, "id"), cluster["id"])
        for f, framework in enumerate(clusters.data["frameworks"])
        for c, cluster in enumerate(framework["clusters"])
    ]
    unique_ids(clusters, cluster_ids, "career cluster", report)
    unique_ids(
        riasec, ((("types", i, "code"), t["code"]) for i, t in enumerate(riasec.data["types"])), "RIASEC code", report
    )
    unique_ids(
        riasec, ((("types", i, "id"), t["id"]) for i, t in enumerate(riasec.data["types"])), "RIASEC type", report
    )
    return Reference(
        asca_edition=asca.data["edition"],
        asca={s["code"]: s["text"] for s in asca.data["standards"]},
        clusters={c["id"]: c["title"] for f in clusters.data["frameworks"] for c in f["clusters"]},
        riasec={t["id"]: t["title"] for t in riasec.data["types"]},
    )


def build_roster(
    root: Path, options: Options, report: Report, lines: dict[str, int] | None = None
) -> dict[str, Educator] | None:
    if not _named_file(root, options.roster, "roster", lines or {}, report):
        return None
    doc = load_checked(root, options.roster, "roster", report)
    if doc is None:
        return None
    items = doc.data["educators"]
    unique_ids(doc, ((("educators", i, "id"), e["id"]) for i, e in enumerate(items)), "educator", report)
    emails = [
        (("educators", i, "emails", j), m.lower())
        for i, e in enumerate(items)
        for j, m in enumerate(e.get("emails", []))
    ]
    unique_ids(doc, emails, "email", report)
    return {
        e["id"]: Educator(
            e["id"], e["name"], e["role"], tuple(e.get("emails", ())), e.get("school", ""), e.get("access", "")
        )
        for e in items
    }


LONGEST_LINE = 10_000


def parse_body(page: MarkdownFile, report: Report) -> Document:
    """The page's body read once by the Markdown parser; overlong lines are reported."""
    for offset, text in enumerate(page.body.split("\n")):
        if len(text) > LONGEST_LINE:
            report.error(
                page.path,
                page.body_line + offset,
                f"line is longer than {LONGEST_LINE} characters; break it into shorter lines",
            )
    return parse(page.body, page.body_line, page.path)
