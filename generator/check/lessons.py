"""Stage 2 for the lessons in curriculum/grade-NN/: front matter checked against the framework and
reference data, bodies read once (facilitator parts and visibility markers checked)."""

from __future__ import annotations

from pathlib import Path

from generator.check.framework import load_front_matter, parse_body
from generator.config import Options
from generator.errors import Report, did_you_mean, expected
from generator.load.folders import LESSON_FOLDER
from generator.markdown.document import Document, parse
from generator.model import Framework, Lesson, Reference
from generator.visibility.markers import is_facilitator, markers


def build_lessons(
    root: Path,
    files: list[str],
    framework: Framework | None,
    reference: Reference | None,
    options: Options,
    report: Report,
    bodies: bool = True,
) -> dict[str, Lesson]:
    """The lessons by id, every problem reported. Without `bodies`, only their front matter is read and
    checked: each lesson's body is left empty and its problems unchecked (the lessons are known, not shown)."""
    lessons: dict[str, Lesson] = {}
    first_seen: dict[str, str] = {}
    for rel in files:
        lesson = _build_lesson(root, rel, framework, reference, options, report, bodies)
        if lesson is None:
            continue
        if lesson.id in lessons:
            report.error(
                rel,
                lesson.id_line,
                f"lesson id '{lesson.id}' is already used by {first_seen[lesson.id]}; give each lesson its own id",
            )
            continue
        first_seen[lesson.id] = rel
        lessons[lesson.id] = lesson
    return lessons


def _build_lesson(
    root: Path,
    rel: str,
    framework: Framework | None,
    reference: Reference | None,
    options: Options,
    report: Report,
    bodies: bool = True,
) -> Lesson | None:
    folder = rel.split("/")[1]
    if not LESSON_FOLDER.match(folder):
        report.error(rel, 1, f"lesson folder '{folder}' is not grade-06 ... grade-12; move the lesson")
        return None
    page = load_front_matter(root, rel, "lesson", "id, title, grade, asca, activities", report)
    if page is None or page.meta is None:
        return None
    meta, doc = page.meta.data, page.meta
    if meta["grade"] != int(folder.split("-")[1]):
        report.error(rel, doc.line(("grade",)), f"grade {meta['grade']} does not match the folder '{folder}'")
    if reference is not None:
        for i, code in enumerate(meta["asca"]):
            if code not in reference.asca:
                report.error(
                    rel,
                    doc.line(("asca", i)),
                    f"unknown ASCA code '{code}'{did_you_mean(code, reference.asca)} in the {reference.asca_edition} "
                    "edition (codes look like 'M 3', 'B-LS 7', 'B-SMS 6', 'B-SS 8')",
                )
    if framework is not None:
        activities = framework.activities
        for i, activity in enumerate(meta["activities"]):
            if activity not in activities:
                report.error(
                    rel,
                    doc.line(("activities", i)),
                    f"unknown activity '{activity}'{did_you_mean(activity, activities)}",
                )
        if "section" in meta and meta["section"] not in framework.section_ids:
            report.error(
                rel,
                doc.line(("section",)),
                f"unknown section '{meta['section']}'{did_you_mean(meta['section'], framework.section_ids)} "
                f"{expected(framework.section_ids)}",
            )
    if bodies:
        body = parse_body(page, report)
        _check_lesson_parts(rel, body, options, report)
    else:
        body = parse("")  # not read: the lesson is known, never shown
    return Lesson(
        meta["id"],
        meta["title"],
        meta["grade"],
        rel,
        meta,
        body,
        tuple(meta["asca"]),
        tuple(meta["activities"]),
        doc.line(("id",)),
    )


def _check_lesson_parts(rel: str, body: Document, options: Options, report: Report) -> None:
    parts = [b for b in body.blocks if b.heading is not None and is_facilitator(b.heading)]
    if not parts:
        report.error(
            rel,
            body.first_line,
            "lesson has no facilitator part; add a heading such as '## Facilitator notes {: .facilitator }'",
        )
    first = parts[0].index if parts else len(body.blocks)
    if all(b.kind == "definition" for b in body.blocks[:first]):
        report.error(rel, body.first_line, "lesson has no student-facing part; write it before the facilitator notes")
    for marker in markers(body, options.visibility_words):
        for problem in marker.problems:
            report.error(rel, marker.line, problem)
