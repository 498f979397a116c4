"""Stage 5: a student's view -> the pages of their portfolio site (pure).

Takes only what `views.view_student` left for one audience and turns it into
Markdown pages and a navigation: home, goals, each framework section with its
pages, courses, experiences, this year's activities and checklist, a résumé
for the upper grades, and the artifacts. Nothing here decides visibility.
"""

from __future__ import annotations

import datetime
import posixpath
from dataclasses import dataclass
from typing import Any

from generator.history.record import Record
from generator.i18n import N_, _
from generator.markdown.text import block, bullets, format_date, inline, link_target, plain
from generator.model import Educator, Framework, Lesson, Page, Reference, Student
from generator.model.schoolyear import grade_for, school_year, school_year_label
from generator.model.site import Site, SiteFile, SitePage
from generator.render.goals import educator_label, goals_page
from generator.render.history import change_record_page
from generator.render.names import (
    EVIDENCE_FILES,
    GOALS_SECTION,
    HOME,
    LABELS,
    MY_COURSES,
    MY_EXPERIENCES,
    MY_GOALS,
    OVERVIEW,
    THIS_YEAR,
    display_name,
)
from generator.render.records import courses_page, experiences_page, resume_page

RESUME_GRADE = 9
EARLIER_PLAN = N_("Earlier plan")


AUDIENCE_TITLES = {
    "student": N_("Student view"),
    "educator": N_("Educator view"),
    "family": N_("Family view"),
    "advisory": N_("Advisory view"),
    "public": N_("Public view"),
}


@dataclass(frozen=True)
class Context:
    """What every page of a district may need besides the student."""

    framework: Framework
    reference: Reference
    roster: dict[str, Educator]
    lessons: dict[str, Lesson]
    today: datetime.date
    audience_titles: dict[str, str]


def student_grade(student: Student, context: Context) -> int | None:
    if "graduation_year" in student.profile:
        return grade_for(int(student.profile["graduation_year"]), context.today, context.framework.calendar)
    grade = student.profile.get("grade")
    return int(grade) if grade is not None else None


def _listed(words: list[Any]) -> str:
    return inline(", ".join(str(word) for word in words))


def _joined(joined: dict[str, Any]) -> str:
    facts = {"grade": joined["grade"], "date": format_date(joined["date"])}
    if "from" in joined:
        text = _("Joined in grade {grade} on {date} from {school}.").format(**facts, school=inline(joined["from"]))
    else:
        text = _("Joined in grade {grade} on {date}.").format(**facts)
    return f"{text} {block(joined['note'])}" if "note" in joined else text


def _about(p: dict[str, Any], context: Context) -> list[str]:
    """The home page's parts about where the student is heading and what interests them."""
    lines: list[str] = []
    career = p.get("career", {})
    if career:
        lines += [f"## {_('Where I am heading')}", ""]
        if "pathway" in career:
            lines.append(f"- **{_('Pathway')}:** {inline(career['pathway'])}")
        clusters = [context.reference.clusters.get(c, c) for c in career.get("clusters", [])]
        if clusters:
            lines.append(f"- **{_('Career clusters')}:** {_listed(clusters)}")
        if career.get("interests"):
            lines.append(f"- **{_('Careers I want to learn about')}:** {_listed(career['interests'])}")
        lines.append("")
    interests = p.get("interests", {})
    if interests:
        lines += [f"## {_('My interests')}", ""]
        if interests.get("riasec"):
            types = [context.reference.riasec.get(t, t) for t in interests["riasec"]]
            if "inventory" in interests:
                label = _("Interest types, strongest first ({inventory})").format(
                    inventory=inline(interests["inventory"])
                )
            else:
                label = _("Interest types, strongest first")
            lines.append(f"- **{label}:** {_listed(types)}")
        for key, name in (("strengths", _("Strengths")), ("hobbies", _("Hobbies"))):
            if interests.get(key):
                lines.append(f"- **{name}:** {_listed(interests[key])}")
        lines.append("")
    return lines


def home_page(student: Student, context: Context, grade: int | None) -> SitePage:
    p = student.profile
    lines = [f"# {inline(display_name(student))}", ""]
    facts = []
    if grade is not None and "name" in p:
        facts.append(_("Grade {grade}").format(grade=grade))
    if "school" in p:
        facts.append(inline(p["school"]))
    if "graduation_year" in p:
        facts.append(_("Class of {year}").format(year=p["graduation_year"]))
    if "pronouns" in p:
        facts.append(inline(p["pronouns"]))
    if facts:
        lines += [" · ".join(facts), ""]
    if "about" in p:
        lines += [f"## {_('Who I am')}", "", block(p["about"]), ""]
    lines += _about(p, context)
    if p.get("highlights"):
        lines += [f"## {_('Highlights')}", "", bullets(p["highlights"]), ""]
    if p.get("educators"):
        educators = bullets(educator_label(context.roster, e) for e in p["educators"])
        lines += [f"## {_('The educators who work with me')}", "", educators, ""]
    if p.get("supports"):
        lines += [f"## {_('Supports')}", ""]
        for support in p["supports"]:
            since = " " + _("(since {date})").format(date=format_date(support["since"])) if "since" in support else ""
            note = f": {inline(support['note'])}" if "note" in support else ""
            lines.append(f"- **{inline(support['type']).upper()}**{since}{note}")
        lines.append("")
    if p.get("family"):
        lines += [f"## {_('Family')}", "", bullets(f"{m['name']} ({m['relationship']})" for m in p["family"]), ""]
    if "joined" in p:
        lines += [_joined(p["joined"]), ""]
    recent = sorted(
        (pg for pg in student.pages if "date" in pg.meta), key=lambda pg: str(pg.meta["date"]), reverse=True
    )
    if recent:
        lines += [f"## {_('Recent work')}", ""]
        for page in recent[:5]:
            lines.append(f"- [{inline(page.title)}]({link_target(page.name)}) · {format_date(page.meta['date'])}")
        lines.append("")
    return SitePage("index.md", "\n".join(lines))


def evidence(student: Student) -> dict[str, str]:
    """Activity id -> where its evidence is (a page, or a data page) in this view."""
    found: dict[str, str] = {}
    for page in student.pages:
        if "activity" in page.meta:
            found.setdefault(str(page.meta["activity"]), page.name)
    for key, where in (("goals", MY_GOALS), ("experiences", MY_EXPERIENCES)):
        for item in getattr(student, key):
            if "activity" in item:
                found.setdefault(str(item["activity"]), where)
    for year in student.courses.get("years", []):
        for course in year["courses"]:
            if "activity" in course:
                found.setdefault(str(course["activity"]), MY_COURSES)
    for test in student.courses.get("assessments", []):
        if "activity" in test:
            found.setdefault(str(test["activity"]), MY_COURSES)
    return found


def progress_page(student: Student, context: Context, grade: int | None, lesson_url: str) -> SitePage | None:
    plan = context.framework.plan(grade) if grade is not None else None
    if plan is None:
        return None
    label = school_year_label(school_year(context.today, context.framework.calendar))
    year = _("Grade {grade}, {school_year}").format(grade=grade, school_year=label)
    lines = [f"# {_(LABELS[THIS_YEAR])}", "", f"**{year}** · *{inline(plan.focus)}*", ""]
    lines += [f"## {_('Activities')}", "", f"| {_('Activity')} | {_('Evidence')} | {_('Status')} |"]
    lines.append("| --- | --- | --- |")
    done = evidence(student)
    for activity in plan.activities:
        title = inline(activity.title)
        if not activity.required:
            title = _("{activity} (optional)").format(activity=title)
        if activity.id in done:
            status = f'<span class="status-done">{_("Done")}</span>'
            link = f"[{inline(activity.artifact)}]({link_target(done[activity.id])})"
        else:
            status = f'<span class="status-todo">{_("Not yet")}</span>'
            link = inline(activity.artifact)
        lines.append(f"| {title} | {link} | {status} |")
    lessons = sorted((x for x in context.lessons.values() if x.grade == grade), key=lambda x: x.path)
    if lessons:
        lines += ["", f"## {_('Lessons')}", ""]
        for lesson in lessons:
            url = f"{lesson_url}/{posixpath.splitext(lesson.path.removeprefix('curriculum/'))[0]}/"
            lines.append(f"- [{inline(lesson.title)}]({url})")
    ticks = {item["id"]: item for item in student.checklist}
    if ticks or plan.checklist:
        lines += ["", f"## {_('Preparing for success')}", ""]
        for item in plan.checklist:
            tick = ticks.get(item.id)
            mark = "☑" if tick and tick.get("done") else "☐"
            when = f" · {format_date(tick['date'])}" if tick and tick.get("done") and "date" in tick else ""
            note = f": {inline(tick['note'])}" if tick and "note" in tick else ""
            lines.append(f"- {mark} {inline(item.text)}{when}{note}")
    lines.append("")
    return SitePage(THIS_YEAR, "\n".join(lines))


def _page(page: Page) -> SitePage:
    """A student's page: its title (unless the page starts with its own), its date, then its body as this view holds it."""
    blocks = page.doc.kept_blocks
    starts_with_title = bool(blocks) and blocks[0].heading is not None and blocks[0].heading.level == 1
    head = "" if starts_with_title else f"# {inline(page.title)}\n\n"
    date = f"*{format_date(page.meta['date'])}*\n\n" if "date" in page.meta else ""
    return SitePage(page.name, head + date, body=page.doc, meta={"title": plain(page.title)})


def _section_nav(student: Student, context: Context, goals: SitePage | None) -> tuple[list[SitePage], list[Any]]:
    """Each framework section with pages in this view: its overview first (listed as "Overview", whether
    the student wrote `<section>/index.md` or it is generated), then its pages. The goals page is the
    first entry of the framework's goals section, so "My goals" never sits beside a section about goals."""
    pages: list[SitePage] = []
    nav: list[Any] = []
    own_names = {page.name for page in student.pages}
    for section in context.framework.sections:
        in_section = sorted(
            (page for page in student.pages if page.section == section.id),
            key=lambda pg: (pg.name != f"{section.id}/index.md", pg.name),
        )
        # the goals page, as (label, name), when it belongs in this section
        extra = [(_(LABELS[MY_GOALS]), MY_GOALS)] if goals is not None and section.id == GOALS_SECTION else []
        if not in_section and not extra:
            continue
        children: list[Any] = []
        overview = f"{section.id}/index.md"
        if in_section and overview not in own_names:
            links = [*extra, *((pg.title, pg.name) for pg in in_section)]
            listing = "\n".join(
                f"- [{inline(title)}]({link_target(posixpath.relpath(name, section.id))})" for title, name in links
            )
            pages.append(SitePage(overview, f"# {inline(section.title)}\n\n{block(section.purpose)}\n\n{listing}\n"))
        for page in in_section:
            pages.append(_page(page))
        if in_section:
            children.append({_(OVERVIEW): overview})
        children += [{label: name} for label, name in extra]
        children += [{plain(page.title): page.name} for page in in_section if page.name != overview]
        nav.append({plain(section.title): children})
    return pages, nav


def student_site(
    student: Student,
    context: Context,
    audience: str,
    dest: str,
    artifacts: dict[str, bytes],
    lesson_url: str,
    link_roots: tuple[str, ...],
    indexable: bool = False,
    record: Record | None = None,
    full: bool = False,
    deck: SitePage | None = None,
) -> Site:
    """The portfolio site of one student's view for one audience. Every generated page is listed in the
    menu under its title (names.LABELS), at an address of the same words."""
    grade = student_grade(student, context)
    pages: list[SitePage] = [home_page(student, context, grade)]
    nav: list[Any] = [{_(HOME): "index.md"}]
    goals = goals_page(student, context, record, full) if student.goals else None
    if goals is not None:
        pages.append(goals)
        if context.framework.section(GOALS_SECTION) is None:
            nav.append({_(LABELS[MY_GOALS]): MY_GOALS})
    progress = progress_page(student, context, grade, lesson_url)
    if progress is not None:
        pages.append(progress)
        nav.append({_(LABELS[THIS_YEAR]): THIS_YEAR})
    section_pages, section_nav = _section_nav(student, context, goals)
    pages += section_pages
    nav += section_nav
    earlier = sorted(
        (pg for pg in student.pages if context.framework.section(pg.section) is None), key=lambda pg: pg.name
    )
    if earlier:  # pages in sections of the framework an imported record came from
        pages.extend(_page(page) for page in earlier)
        nav.append({_(EARLIER_PLAN): [{plain(page.title): page.name} for page in earlier]})
    generated: list[SitePage] = []
    if student.courses:
        generated.append(courses_page(student))
    if student.experiences:
        generated.append(experiences_page(student))
    resume_pages = [pg for pg in student.pages if "resume" in pg.name.rsplit("/", 1)[-1]]
    if grade is not None and grade >= RESUME_GRADE and not resume_pages and "name" in student.profile:
        generated.append(resume_page(student))
    if student.artifacts:
        listing = "\n".join(f"- [{inline(posixpath.basename(a))}]({link_target(a)})" for a in student.artifacts)
        generated.append(SitePage(EVIDENCE_FILES, f"# {_(LABELS[EVIDENCE_FILES])}\n\n{listing}\n"))
    if record is not None:
        generated.append(change_record_page(record, student, context.framework, full, context.today))
    pages += generated
    nav += [{_(LABELS[page.path]): page.path} for page in generated]
    if deck is not None:
        pages.append(deck)
        nav.append({_("Conference"): deck.path})
    title = context.audience_titles.get(audience)
    name = display_name(student)
    return Site(
        dest=dest,
        title=_("{name}'s ILP").format(name=name) if "name" in student.profile else _("ILP portfolio"),
        audience=audience,
        pages=tuple(pages),
        nav=nav,
        files=tuple(SiteFile(a, artifacts[a]) for a in student.artifacts if a in artifacts),
        view_label=_(title) if title else _("{audience} view").format(audience=audience.capitalize()),
        view_note=_(VIEW_NOTES.get(audience, N_("what this audience may see"))),
        noindex=not indexable,
        link_roots=link_roots,
    )


def audience_title(audience: str) -> str:
    """The banner's name of an audience's view, in the current language ("Family view")."""
    title = AUDIENCE_TITLES.get(audience)
    return _(title) if title else _("{audience} view").format(audience=audience.capitalize())


VIEW_NOTES = {
    "student": N_("you see your whole ILP; others see only what you share with them"),
    "educator": N_("the whole ILP, as the student's educators see it"),
    "family": N_("what the student shares with their family"),
    "advisory": N_("what the student shares with their advisory group"),
    "public": N_("what the student shares with everyone"),
}
