"""Stage 2 for a student's pages and deck: markers, links, images and artifacts, read as the renderer reads them."""

from __future__ import annotations

from pathlib import Path

from generator.check.district import District
from generator.check.fields import check_activity, check_not_future
from generator.check.framework import check_visibility
from generator.config import PRIVATE
from generator.errors import Report, did_you_mean, expected
from generator.load.documents import LoadError, read_bytes
from generator.markdown import lint
from generator.markdown.links import Link, resolve
from generator.markdown.slides import BUILT_IN, CONFERENCE, own_slides
from generator.markdown.urls import urls
from generator.model import Framework, Page, Student
from generator.sanitize import UnsafeSvg, clean_svg
from generator.visibility.markers import markers, sees, widening, words


def check_page(
    page: Page, student: Student, files: frozenset[str], linked: set[str], district: District, report: Report
) -> None:
    meta, doc = page.meta, page.meta_doc
    framework = district.framework
    if "visibility" in meta:
        check_visibility(doc, ("visibility",), meta["visibility"], district.options, report)
    # Only text values are looked up: a page whose front matter failed its schema is still checked here.
    activity_id, lesson = _text(meta, "activity"), _text(meta, "lesson")
    check_activity(doc, ("activity",), activity_id, district, report)
    if framework is not None and activity_id in framework.activities:
        activity = framework.activities[activity_id]
        if activity.section != page.section:
            report.warning(
                page.path,
                doc.line(("activity",)),
                f"activity '{activity.id}' belongs to section '{activity.section}', but this page is in '{page.section}'",
            )
    if lesson is not None and lesson not in district.lessons and district.joined is not None:
        report.warning(
            page.path,
            doc.line(("lesson",)),
            f"lesson '{lesson}' is from the district this record came from; "
            "it is not among this district's lessons, so the page links no lesson",
        )
    elif lesson is not None and lesson not in district.lessons:
        report.error(
            page.path,
            doc.line(("lesson",)),
            f"unknown lesson '{lesson}'{did_you_mean(lesson, district.lessons)}; see the lessons in curriculum/grade-NN/",
        )
    if page.name != CONFERENCE:  # a conference is planned ahead
        check_not_future(doc, ("date",), meta.get("date"), district, report)
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


def _text(meta: dict[str, object], key: str) -> str | None:
    value = meta.get(key)
    return value if isinstance(value, str) else None


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


def check_conference(page: Page, report: Report) -> None:
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


def check_artifact(root: Path, rel: str, report: Report) -> None:
    """Only file types a browser shows without running anything; SVG only if it can be made safe."""
    if not rel.lower().endswith(ARTIFACT_TYPES):
        report.error(rel, 1, f"this kind of file cannot be published; use one of {', '.join(ARTIFACT_TYPES)}")
        return
    try:
        data = read_bytes(root / rel, rel)  # every artifact is read as the build reads it: size and kind
    except LoadError as exc:
        report.extend(exc.diagnostics)
        return
    if rel.lower().endswith(".svg"):
        try:
            clean_svg(data)
        except UnsafeSvg as exc:
            report.error(rel, 1, f"{exc}; save the drawing again as SVG or PNG")
