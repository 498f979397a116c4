"""Stage 5 for district sites: curriculum lesson pages, district pages, the educator index (pure)."""

from __future__ import annotations

import datetime
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from generator.markdown.document import Document
from generator.markdown.text import block, inline, plain
from generator.model import Lesson
from generator.model.site import Site, SiteFile, SitePage
from generator.render.dashboard import Row
from generator.render.dashboard_page import caseload_csv, dashboard_html
from generator.render.student import Context
from generator.visibility.markers import drop_sections, is_facilitator


def lesson_page(lesson: Lesson, context: Context, facilitator: bool) -> SitePage:
    meta = lesson.meta
    body = lesson.doc if facilitator else drop_sections(lesson.doc, is_facilitator)
    lines = [f"# {inline(lesson.title)}", ""]
    facts = [f"Grade {lesson.grade}"]
    if "duration" in meta:
        facts.append(f"{meta['duration']} minutes")
    section = context.framework.section(meta.get("section", ""))
    if section is not None:
        facts.append(inline(section.title))
    lines += [" · ".join(facts), ""]
    if "summary" in meta:
        lines += [block(meta["summary"]), ""]
    if meta.get("objectives"):
        lines += ["**Objectives**", "", *[f"- {inline(o)}" for o in meta["objectives"]], ""]
    activities = context.framework.activities
    if lesson.activities:
        lines += ["**ILP activities**", ""]
        for activity_id in lesson.activities:
            activity = activities.get(activity_id)
            title = f"{inline(activity.title)}: {inline(activity.artifact)}" if activity else inline(activity_id)
            lines.append(f"- {title} (`activity: {activity_id}`)")
        lines.append("")
    codes = [f"{code} ({inline(context.reference.asca.get(code, ''))})" for code in lesson.asca]
    lines += [f"**ASCA Mindsets & Behaviors ({context.reference.asca_edition}):** " + "; ".join(codes), ""]
    if facilitator and meta.get("materials"):
        lines += ["**Materials**", "", *[f"- {inline(m)}" for m in meta["materials"]], ""]
    return SitePage(lesson.path.removeprefix("curriculum/"), "\n".join(lines), body=body)


def curriculum_site(context: Context, audience: str, dest: str, facilitator: bool, view_label: str) -> Site:
    lessons = sorted(context.lessons.values(), key=lambda x: (x.grade, x.path))
    pages = [lesson_page(lesson, context, facilitator) for lesson in lessons]
    index = ["# ILP lessons", "", "Lessons by grade. Each lesson names the ILP activities students complete with it."]
    nav: list[Any] = [{"Lessons by grade": "index.md"}, {"By ASCA standard": "asca.md"}]
    by_grade: dict[int, list[Any]] = {}
    for lesson in lessons:
        page = lesson.path.removeprefix("curriculum/")
        by_grade.setdefault(lesson.grade, []).append({plain(lesson.title): page})
    for grade, items in by_grade.items():
        index += ["", f"## Grade {grade}", ""]
        for item in items:
            ((title, page),) = item.items()
            index.append(f"- [{inline(title)}]({page})")
        nav.append({f"Grade {grade}": items})
    asca = [
        "# Lessons by ASCA standard",
        "",
        f"ASCA Mindsets & Behaviors for Student Success, {context.reference.asca_edition} edition.",
        "",
    ]
    for code, text in context.reference.asca.items():
        matching = [x for x in lessons if code in x.asca]
        if matching:
            asca += [f"## {code}: {inline(text)}", ""]
            asca += [f"- [{inline(x.title)}]({x.path.removeprefix('curriculum/')}) (grade {x.grade})" for x in matching]
            asca.append("")
    pages += [SitePage("index.md", "\n".join(index) + "\n"), SitePage("asca.md", "\n".join(asca))]
    return Site(
        dest=dest,
        title="ILP curriculum" + (" (facilitator edition)" if facilitator else ""),
        audience=audience,
        pages=tuple(pages),
        nav=nav,
        view_label=view_label,
        view_note="with facilitator notes" if facilitator else "the student-facing lessons",
        noindex=facilitator,
    )


def district_site(
    pages: dict[str, tuple[dict[str, Any], Document]], site_name: str, audience: str, dest: str, view_label: str
) -> Site:
    """The district's own pages (content/), as they are: they hold no student's data."""
    site_pages = tuple(
        SitePage(path, body=doc, meta={"title": plain(meta["title"])} if "title" in meta else {})
        for path, (meta, doc) in sorted(pages.items())
    )
    return Site(
        dest=dest,
        title=site_name,
        audience=audience,
        pages=site_pages,
        nav=[
            {"Home": "index.md"},
            *[p.path for p in site_pages if p.path != "index.md"],
            {"ILP lessons": "curriculum/"},
        ],
        view_label=view_label,
        view_note="for everyone",
        noindex=False,
        link_roots=(f"{dest}/curriculum",),
    )


@dataclass(frozen=True)
class Listed:
    """One student on a start page, as the page's readers may see them (from that audience's view)."""

    id: str
    name: str
    grade: int | None
    school: str
    educators: str


START_NOTES = {
    "educator": ("The students you serve", "each student's whole ILP, as the student and their educators see it"),
    "family": ("Your family's ILPs", "what each student shares with their family"),
    "advisory": ("Your advisory group", "what each member shares with the group"),
}


def start_site(
    dest: str,
    kind: str,
    audience: str,
    title: str,
    listed: list[Listed],
    view_label: str,
    rows: Sequence[Row] | None = None,
    today: datetime.date | None = None,
    lead: bool = False,
    charts: str = "",
) -> Site:
    """The start page of one reader group: only the students that group may read, linking their views.

    An educator's (`rows` given) is their dashboard, with its CSV; a lead's (`lead`) adds the figures
    by school and grade."""
    heading, note = START_NOTES[kind]
    lines = [f"# {inline(title) if kind != 'family' else heading}", ""]
    if kind == "educator":
        lines += [f"{heading}: {note}. [Lessons with facilitator notes](../curriculum/).", ""]
    roots = (f"{audience}/curriculum", *(f"{audience}/{item.id}" for item in listed))
    pages: tuple[SitePage, ...]
    files: tuple[SiteFile, ...] = ()
    if rows is not None and today is not None:
        # The table goes beside the page's Markdown, whole (see dashboard_page): theme/dashboard.html.
        meta = {"template": "dashboard.html", "dashboard": dashboard_html(rows, today, lead, charts)}
        if not rows:
            lines += ["No students are listed here yet.", ""]
        pages = (SitePage("index.md", "\n".join(lines) + "\n", meta=meta),)
        files = (SiteFile("caseload.csv", caseload_csv(rows)),)
    else:
        if not listed:
            lines += ["No students are listed here yet.", ""]
        else:
            lines += ["| Student | Grade | School | Educators |", "| --- | --- | --- | --- |"]
            for item in listed:
                lines.append(
                    f"| [{inline(item.name)}](../{item.id}/) | {item.grade or ''} | {inline(item.school)} | "
                    f"{inline(item.educators)} |"
                )
        pages = (SitePage("index.md", "\n".join(lines) + "\n"),)
    return Site(
        dest=dest,
        link_roots=roots,
        title=f"ILP: {plain(title)}",
        audience=audience,
        pages=pages,
        files=files,
        nav=[{"Students": "index.md"}],
        view_label=view_label,
        view_note=note,
        noindex=True,
    )


def relative(from_dir: str, to: str) -> str:
    return posixpath.relpath(to, from_dir)
