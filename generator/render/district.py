"""Stage 5 for district sites: curriculum lesson pages, district pages, the educator index (pure)."""

from __future__ import annotations

import datetime
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from generator.i18n import N_, _
from generator.markdown.document import Document
from generator.markdown.text import LANG_TAG, block, inline, plain
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
    facts = [_("Grade {grade}").format(grade=lesson.grade)]
    if "duration" in meta:
        facts.append(_("{minutes} minutes").format(minutes=inline(meta["duration"])))
    section = context.framework.section(meta.get("section", ""))
    if section is not None:
        facts.append(inline(section.title))
    lines += [" · ".join(facts), ""]
    if "summary" in meta:
        lines += [block(meta["summary"]), ""]
    if meta.get("objectives"):
        lines += [f"**{_('Objectives')}**", "", *[f"- {inline(o)}" for o in meta["objectives"]], ""]
    lines += _lesson_activities(lesson, context, facilitator)
    codes = [f"{code} ({inline(context.reference.asca.get(code, ''))})" for code in lesson.asca]
    asca = _("ASCA Mindsets & Behaviors ({edition})").format(edition=inline(context.reference.asca_edition))
    lines += [f"**{asca}:** " + "; ".join(codes), ""]
    if facilitator and meta.get("materials"):
        lines += [f"**{_('Materials')}**", "", *[f"- {inline(m)}" for m in meta["materials"]], ""]
    return SitePage(lesson.path.removeprefix("curriculum/"), "\n".join(lines), body=body)


def _lesson_activities(lesson: Lesson, context: Context, facilitator: bool) -> list[str]:
    """The ILP activities a lesson leads to: each one's title and what the student makes. The facilitator
    edition adds the id a page names in its front matter; the students' edition shows no internal code
    (an activity the framework does not know is left out of it)."""
    activities = context.framework.activities
    items = []
    for activity_id in lesson.activities:
        activity = activities.get(activity_id)
        if activity is not None:
            item = f"**{inline(activity.title)}**: {inline(activity.artifact)}"
        elif facilitator:
            item = _("an activity this framework does not have")
        else:
            continue
        items.append(f"- {item} (`activity: {activity_id}`)" if facilitator else f"- {item}")
    if not items:
        return []
    heading = _("ILP activities") if facilitator else _("What you add to your ILP")
    return [f"**{heading}**", "", *items, ""]


def curriculum_site(context: Context, audience: str, dest: str, facilitator: bool, view_label: str) -> Site:
    lessons = sorted(context.lessons.values(), key=lambda x: (x.grade, x.path))
    pages = [lesson_page(lesson, context, facilitator) for lesson in lessons]
    index = [
        f"# {_('ILP lessons')}",
        "",
        _("Lessons by grade. Each lesson names the ILP activities students complete with it."),
    ]
    nav: list[Any] = [{_("Lessons by grade"): "index.md"}, {_("By ASCA standard"): "asca.md"}]
    by_grade: dict[int, list[Any]] = {}
    for lesson in lessons:
        page = lesson.path.removeprefix("curriculum/")
        by_grade.setdefault(lesson.grade, []).append({plain(lesson.title): page})
    for grade, items in by_grade.items():
        grade_title = _("Grade {grade}").format(grade=grade)
        index += ["", f"## {grade_title}", ""]
        for item in items:
            ((title, page),) = item.items()
            index.append(f"- [{inline(title)}]({page})")
        nav.append({grade_title: items})
    edition = inline(context.reference.asca_edition)
    asca = [
        f"# {_('Lessons by ASCA standard')}",
        "",
        _("ASCA Mindsets & Behaviors for Student Success, {edition} edition.").format(edition=edition),
        "",
    ]
    for code, text in context.reference.asca.items():
        matching = [x for x in lessons if code in x.asca]
        if matching:
            asca += [f"## {code}: {inline(text)}", ""]
            asca += [
                f"- [{inline(x.title)}]({x.path.removeprefix('curriculum/')}) · "
                + _("grade {grade}").format(grade=x.grade)
                for x in matching
            ]
            asca.append("")
    pages += [SitePage("index.md", "\n".join(index) + "\n"), SitePage("asca.md", "\n".join(asca))]
    return Site(
        dest=dest,
        title=_("ILP curriculum (facilitator edition)") if facilitator else _("ILP curriculum"),
        audience=audience,
        pages=tuple(pages),
        nav=nav,
        view_label=view_label,
        view_note=_("with facilitator notes") if facilitator else _("the student-facing lessons"),
        noindex=facilitator,
    )


STAFF_PAGE = "for-staff.md"  # generated when content/ has none: the staff pages, out of the families' menu


def district_site(
    pages: dict[str, tuple[dict[str, Any], Document]], site_name: str, audience: str, dest: str, view_label: str
) -> Site:
    """The district's own pages (content/), as they are: they hold no student's data.

    The menu is for students and families: the home page, the top-level pages, the lessons. A page whose
    front matter says `menu: staff` (a guide for counselors or IT) and the pages of a subfolder (such as
    the file reference `ilp reference` writes in content/reference/) are built but listed on one "For
    staff" page instead, the menu's last entry."""
    site_pages = [SitePage(path, body=doc, meta=_content_meta(meta)) for path, (meta, doc) in sorted(pages.items())]
    staff = [path for path, (meta, _doc) in sorted(pages.items()) if _for_staff(path, meta)]
    listed = [p.path for p in site_pages if p.path != "index.md" and p.path not in staff and p.path != STAFF_PAGE]
    nav: list[Any] = [{_("Home"): "index.md"}, *listed, {_("ILP lessons"): "curriculum/"}]
    if staff:
        if STAFF_PAGE not in pages:
            site_pages.append(_staff_page(staff, pages))
        nav.append({_("For staff"): STAFF_PAGE})
    return Site(
        dest=dest,
        title=site_name,
        audience=audience,
        pages=tuple(site_pages),
        nav=nav,
        view_label=view_label,
        view_note=_("for everyone"),
        noindex=False,
        link_roots=(f"{dest}/curriculum",),
    )


def _for_staff(path: str, meta: dict[str, Any]) -> bool:
    return path != STAFF_PAGE and ("/" in path or meta.get("menu") == "staff")


def _staff_page(staff: list[str], pages: dict[str, tuple[dict[str, Any], Document]]) -> SitePage:
    """The "For staff" page: every staff guide, then each subfolder by its index page (which lists the rest)."""
    folders = {path.split("/", 1)[0] for path in staff if "/" in path}
    shown = [
        path
        for path in staff
        if "/" not in path or path.endswith("/index.md") or f"{path.split('/', 1)[0]}/index.md" not in pages
    ]

    def title(path: str) -> str:
        meta = pages[path][0]
        return inline(meta["title"]) if "title" in meta else inline(posixpath.splitext(path)[0])

    lines = [f"# {_('For staff')}", "", _("Guides for counselors, school leads and district IT."), ""]
    lines += [f"- [{title(path)}]({path})" for path in shown if "/" not in path]
    if folders:
        lines += ["", f"## {_('Reference')}", ""]
        lines += [f"- [{title(path)}]({path})" for path in shown if "/" in path]
    return SitePage(STAFF_PAGE, "\n".join(lines) + "\n", meta={"title": _("For staff")})


def _content_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """A district page's title, and its language when it says (`lang: es`): its <html lang>."""
    kept: dict[str, Any] = {"title": plain(meta["title"])} if "title" in meta else {}
    if isinstance(meta.get("lang"), str) and LANG_TAG.fullmatch(meta["lang"]):
        kept["lang"] = meta["lang"]
    return kept


@dataclass(frozen=True)
class Listed:
    """One student on a start page, as the page's readers may see them (from that audience's view)."""

    id: str
    name: str
    grade: int | None
    school: str
    educators: str


START_NOTES = {
    "educator": (
        N_("The students you serve"),
        N_("each student's whole ILP, as the student and their educators see it"),
    ),
    "family": (N_("Your family's ILPs"), N_("what each student shares with their family")),
    "advisory": (N_("Your advisory group"), N_("what each member shares with the group")),
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
    heading, note = (_(text) for text in START_NOTES[kind])
    lines = [f"# {inline(title) if kind != 'family' else heading}", ""]
    if kind == "educator":
        lessons = _("Lessons with facilitator notes")
        lines += [_("{heading}: {note}.").format(heading=heading, note=note) + f" [{lessons}](../curriculum/).", ""]
    roots = (f"{audience}/curriculum", *(f"{audience}/{item.id}" for item in listed))
    pages: tuple[SitePage, ...]
    files: tuple[SiteFile, ...] = ()
    if rows is not None and today is not None:
        # The table goes beside the page's Markdown, whole (see dashboard_page): theme/dashboard.html.
        meta = {"template": "dashboard.html", "dashboard": dashboard_html(rows, today, lead, charts)}
        if not rows:
            lines += [_("No students are listed here yet."), ""]
        pages = (SitePage("index.md", "\n".join(lines) + "\n", meta=meta),)
        files = (SiteFile("caseload.csv", caseload_csv(rows)),)
    else:
        if not listed:
            lines += [_("No students are listed here yet."), ""]
        else:
            header = " | ".join((_("Student"), _("Grade"), _("School"), _("Educators")))
            lines += [f"| {header} |", "| --- | --- | --- | --- |"]
            for item in listed:
                lines.append(
                    f"| [{inline(item.name)}](../{item.id}/) | {item.grade or ''} | {inline(item.school)} | "
                    f"{inline(item.educators)} |"
                )
        pages = (SitePage("index.md", "\n".join(lines) + "\n"),)
    return Site(
        dest=dest,
        link_roots=roots,
        title=_("ILP: {title}").format(title=plain(title)),
        audience=audience,
        pages=pages,
        files=files,
        nav=[{_("Students"): "index.md"}],
        view_label=view_label,
        view_note=note,
        noindex=True,
    )


def relative(from_dir: str, to: str) -> str:
    return posixpath.relpath(to, from_dir)
