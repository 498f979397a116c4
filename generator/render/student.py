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

from generator.history.record import Record, review_states
from generator.markdown.text import block, bullets, format_date, inline, link_target, plain
from generator.model import Educator, Framework, Lesson, Page, Reference, Student
from generator.model.schoolyear import grade_for, school_year, school_year_label
from generator.model.site import Site, SiteFile, SitePage
from generator.render.history import CHANGE_RECORD, change_record_page, goal_evolution, goals_by_year, review_line
from generator.render.names import (
    EVIDENCE_FILES,
    MY_COURSES,
    MY_EXPERIENCES,
    MY_GOALS,
    MY_RESUME,
    THIS_YEAR,
    display_name,
)
from generator.render.records import courses_page, experiences_page, resume_page

DOMAINS = (("academic", "Academic"), ("career", "Career"), ("social-emotional", "Social-emotional"))
STATUS = {"not-started": "Not started", "in-progress": "In progress", "achieved": "Achieved", "dropped": "Dropped"}
SMART = (
    ("specific", "Specific"),
    ("measurable", "Measurable"),
    ("achievable", "Achievable"),
    ("relevant", "Relevant"),
    ("time_bound", "Time-bound"),
)
RESUME_GRADE = 9
EARLIER_PLAN = "Earlier plan"


AUDIENCE_TITLES = {
    "student": "Student view",
    "educator": "Educator view",
    "family": "Family view",
    "advisory": "Advisory view",
    "public": "Public view",
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


def _educator(context: Context, ref: str) -> str:
    """Who an educator (or 'student', 'family') is, as plain text: escape it where it goes."""
    if ref in context.roster:
        educator = context.roster[ref]
        return f"{educator.name} ({educator.role.replace('-', ' ')})"
    return {"student": "the student", "family": "family"}.get(ref, ref)


def student_grade(student: Student, context: Context) -> int | None:
    if "graduation_year" in student.profile:
        return grade_for(int(student.profile["graduation_year"]), context.today, context.framework.calendar)
    grade = student.profile.get("grade")
    return int(grade) if grade is not None else None


def home_page(student: Student, context: Context, grade: int | None) -> SitePage:
    p = student.profile
    lines = [f"# {inline(display_name(student))}", ""]
    facts = []
    if grade is not None and "name" in p:
        facts.append(f"Grade {grade}")
    if "school" in p:
        facts.append(inline(p["school"]))
    if "graduation_year" in p:
        facts.append(f"Class of {p['graduation_year']}")
    if "pronouns" in p:
        facts.append(inline(p["pronouns"]))
    if facts:
        lines += [" · ".join(facts), ""]
    if "about" in p:
        lines += ["## Who I am", "", block(p["about"]), ""]
    career = p.get("career", {})
    if career:
        lines += ["## Where I am heading", ""]
        if "pathway" in career:
            lines.append(f"- **Pathway:** {inline(career['pathway'])}")
        clusters = [context.reference.clusters.get(c, c) for c in career.get("clusters", [])]
        if clusters:
            lines.append(f"- **Career clusters:** {inline(', '.join(clusters))}")
        if career.get("interests"):
            lines.append(f"- **Careers I want to learn about:** {inline(', '.join(career['interests']))}")
        lines.append("")
    interests = p.get("interests", {})
    if interests:
        lines += ["## My interests", ""]
        if interests.get("riasec"):
            types = [context.reference.riasec.get(t, t) for t in interests["riasec"]]
            source = f" ({inline(interests['inventory'])})" if "inventory" in interests else ""
            lines.append(f"- **Interest types, strongest first{source}:** {inline(', '.join(types))}")
        for key, label in (("strengths", "Strengths"), ("hobbies", "Hobbies")):
            if interests.get(key):
                lines.append(f"- **{label}:** {inline(', '.join(interests[key]))}")
        lines.append("")
    if p.get("highlights"):
        lines += ["## Highlights", "", bullets(p["highlights"]), ""]
    if p.get("educators"):
        lines += ["## The educators who work with me", "", bullets(_educator(context, e) for e in p["educators"]), ""]
    if p.get("supports"):
        lines += ["## Supports", ""]
        for support in p["supports"]:
            since = f" (since {format_date(support['since'])})" if "since" in support else ""
            note = f": {inline(support['note'])}" if "note" in support else ""
            lines.append(f"- **{inline(support['type']).upper()}**{since}{note}")
        lines.append("")
    if p.get("family"):
        lines += ["## Family", "", bullets(f"{m['name']} ({m['relationship']})" for m in p["family"]), ""]
    if "joined" in p:
        joined = p["joined"]
        origin = f" from {inline(joined['from'])}" if "from" in joined else ""
        note = f" {block(joined['note'])}" if "note" in joined else ""
        lines += [f"Joined in grade {joined['grade']} on {format_date(joined['date'])}{origin}.{note}", ""]
    recent = sorted(
        (pg for pg in student.pages if "date" in pg.meta), key=lambda pg: str(pg.meta["date"]), reverse=True
    )
    if recent:
        lines += ["## Recent work", ""]
        for page in recent[:5]:
            lines.append(f"- [{inline(page.title)}]({link_target(page.name)}) ({format_date(page.meta['date'])})")
        lines.append("")
    return SitePage("index.md", "\n".join(lines))


def _latest_review(goal: dict[str, Any], context: Context) -> list[str]:
    reviews = sorted(goal.get("reviews", []), key=lambda r: str(r["date"]))
    if not reviews:
        return ["*Not reviewed yet.*"]
    last = reviews[-1]
    progress = f" — {inline(str(last['progress']).replace('-', ' '))}" if "progress" in last else ""
    text = [f"**Latest review:** {format_date(last['date'])}, {inline(_educator(context, str(last['by'])))}{progress}"]
    if "note" in last:
        text += ["", f"> {inline(last['note'])}"]
    return text


def goals_page(student: Student, context: Context, record: Record | None = None, full: bool = False) -> SitePage:
    lines = ["# Goals", ""]
    states = review_states(student, context.framework, context.today) if full else {}
    for domain, title in DOMAINS:
        goals = [g for g in student.goals if g["domain"] == domain]
        if not goals:
            continue
        lines += [f"## {title}", ""]
        for goal in goals:
            lines += [f"### {inline(goal['statement'])}", ""]
            facts = [
                STATUS.get(goal["status"], goal["status"]),
                "long-term" if goal["term"] == "long" else "short-term",
            ]
            if "due" in goal:
                facts.append(f"due {format_date(goal['due'])}")
            if goal.get("carried_over"):
                facts.append("carried over into " + ", ".join(inline(str(y)) for y in goal["carried_over"]))
            lines += [f"*{' · '.join(facts)}*", ""]
            smart = goal.get("smart", {})
            if smart:
                lines += ["| SMART | My plan |", "| --- | --- |"]
                lines += [f"| {label} | {inline(smart[key])} |" for key, label in SMART if key in smart]
                lines.append("")
            for key, label in (("barriers", "Barriers"), ("strategies", "Strategies")):
                if goal.get(key):
                    lines += [f"**{label}**", "", bullets(goal[key]), ""]
            lines += [*_latest_review(goal, context), ""]
            lines += review_line(states.get(str(goal["id"])), context.framework)
            if record is not None:
                versions = record.goal_versions.get(str(goal["id"]), ())
                lines += goal_evolution(versions, context.framework.calendar, context.today)
    if len(lines) == 2:
        lines.append("No goals are shared here yet.")
    if record is not None:
        titles = {str(g["id"]): str(g["statement"]) for g in student.goals}
        lines += goals_by_year(record, context.framework.calendar, titles)
    return SitePage(MY_GOALS, "\n".join(lines))


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
    lines = [f"# Grade {grade}: this year", "", f"*{inline(plan.focus)}* ({label})", "", "## Activities", ""]
    done = evidence(student)
    lines += ["| Activity | Evidence | Status |", "| --- | --- | --- |"]
    for activity in plan.activities:
        optional = " (optional)" if not activity.required else ""
        if activity.id in done:
            status = '<span class="status-done">Done</span>'
            target = done[activity.id]
            link = f"[{inline(activity.artifact)}]({link_target(target)})"
        else:
            status = '<span class="status-todo">Not yet</span>'
            link = inline(activity.artifact)
        lines.append(f"| {inline(activity.title)}{optional} | {link} | {status} |")
    lessons = sorted((x for x in context.lessons.values() if x.grade == grade), key=lambda x: x.path)
    if lessons:
        lines += ["", "## Lessons", ""]
        for lesson in lessons:
            url = f"{lesson_url}/{posixpath.splitext(lesson.path.removeprefix('curriculum/'))[0]}/"
            lines.append(f"- [{inline(lesson.title)}]({url})")
    ticks = {item["id"]: item for item in student.checklist}
    if ticks or plan.checklist:
        lines += ["", "## Preparing for success", ""]
        for item in plan.checklist:
            tick = ticks.get(item.id)
            mark = "☑" if tick and tick.get("done") else "☐"
            when = f" ({format_date(tick['date'])})" if tick and tick.get("done") and "date" in tick else ""
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
    """The portfolio site of one student's view for one audience."""
    grade = student_grade(student, context)
    pages: list[SitePage] = [home_page(student, context, grade)]
    nav: list[Any] = [{"Home": "index.md"}]
    if student.goals:
        pages.append(goals_page(student, context, record, full))
        nav.append({"Goals": MY_GOALS})
    progress = progress_page(student, context, grade, lesson_url)
    if progress is not None:
        pages.append(progress)
        nav.append({"This year": THIS_YEAR})
    own_names = {page.name for page in student.pages}
    for section in context.framework.sections:
        in_section = sorted(
            (page for page in student.pages if page.section == section.id),
            key=lambda pg: (pg.name != f"{section.id}/index.md", pg.name),
        )
        if not in_section:
            continue
        children: list[Any] = []
        overview = f"{section.id}/index.md"
        if overview not in own_names:
            listing = "\n".join(
                f"- [{inline(pg.title)}]({link_target(posixpath.relpath(pg.name, section.id))})" for pg in in_section
            )
            pages.append(SitePage(overview, f"# {inline(section.title)}\n\n{block(section.purpose)}\n\n{listing}\n"))
            children.append({"Overview": overview})
        for page in in_section:
            pages.append(_page(page))
            children.append({plain(page.title): page.name})
        nav.append({plain(section.title): children})
    earlier = sorted(
        (pg for pg in student.pages if context.framework.section(pg.section) is None), key=lambda pg: pg.name
    )
    if earlier:  # pages in sections of the framework an imported record came from
        pages.extend(_page(page) for page in earlier)
        nav.append({EARLIER_PLAN: [{plain(page.title): page.name} for page in earlier]})
    if student.courses:
        pages.append(courses_page(student))
        nav.append({"Courses": MY_COURSES})
    if student.experiences:
        pages.append(experiences_page(student))
        nav.append({"Experiences": MY_EXPERIENCES})
    resume_pages = [pg for pg in student.pages if "resume" in pg.name.rsplit("/", 1)[-1]]
    if grade is not None and grade >= RESUME_GRADE and not resume_pages and "name" in student.profile:
        pages.append(resume_page(student))
        nav.append({"Résumé": MY_RESUME})
    if student.artifacts:
        listing = "\n".join(f"- [{inline(posixpath.basename(a))}]({link_target(a)})" for a in student.artifacts)
        pages.append(SitePage(EVIDENCE_FILES, f"# Evidence files\n\n{listing}\n"))
        nav.append({"Evidence files": EVIDENCE_FILES})
    if record is not None:
        pages.append(change_record_page(record, student, context.framework, full, context.today))
        nav.append({"Change record": CHANGE_RECORD})
    if deck is not None:
        pages.append(deck)
        nav.append({"Conference": deck.path})
    title = context.audience_titles.get(audience, audience.capitalize() + " view")
    name = display_name(student)
    return Site(
        dest=dest,
        title=f"{name}'s ILP" if "name" in student.profile else "ILP portfolio",
        audience=audience,
        pages=tuple(pages),
        nav=nav,
        files=tuple(SiteFile(a, artifacts[a]) for a in student.artifacts if a in artifacts),
        view_label=title,
        view_note=VIEW_NOTES.get(audience, "what this audience may see"),
        noindex=not indexable,
        link_roots=link_roots,
    )


VIEW_NOTES = {
    "student": "you see your whole ILP; others see only what you share with them",
    "educator": "the whole ILP, as the student's educators see it",
    "family": "what the student shares with their family",
    "advisory": "what the student shares with their advisory group",
    "public": "what the student shares with everyone",
}
