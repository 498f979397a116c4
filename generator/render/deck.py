"""Stage 5 for the student-led conference deck: one page of slides (pure).

Every slide is a <section> with a heading. The deck reads as one scrolling page
without JavaScript; the theme's deck.js turns it into full-window slides. It is
made only from the student's view for one audience and that view's change
record, so a slide shows nothing the audience may not see. Speaker notes are
kept only where `notes` is true (the student's own view).
"""

from __future__ import annotations

import html
from collections.abc import Callable

from generator.history.record import Record, as_of
from generator.markdown.html import Policy, render_documents, render_markdown
from generator.markdown.links import Link, resolve
from generator.markdown.slides import BUILT_IN, OwnSlide, own_slides, slide_order
from generator.markdown.text import inline, link_target, plain
from generator.markdown.urls import urls
from generator.model import Page, Student
from generator.model.schoolyear import school_year, school_year_label
from generator.model.site import SitePage
from generator.render.history import year_bounds
from generator.render.names import display_name
from generator.render.student import Context, student_grade
from generator.sanitize import source_target

DECK = "conference.md"


def _policy(view: Student) -> Policy:
    """Links and images of the deck (written from the student's folder) stay only where they lead to this view."""
    shown = frozenset([*(p.name for p in view.pages), *view.artifacts])

    def keep(url: str, image: bool) -> bool:
        target = source_target(url, "")
        return target is None or target in shown

    return keep


def _pages(view: Student, section: str) -> list[Page]:
    return sorted((p for p in view.pages if p.section == section), key=lambda p: (str(p.meta.get("date", "")), p.name))


def _page_list(pages: list[Page]) -> str:
    return "\n".join(f"- [{inline(page.title)}]({link_target(page.name)})" for page in pages)


def _title(view: Student, context: Context, grade: int | None) -> str:
    p = view.profile
    facts = [f"Grade {grade}" if grade is not None and "name" in p else "", inline(p.get("school", ""))]
    year = school_year_label(school_year(context.today, context.framework.calendar))
    facts.append(f"Student-led conference, {year}")
    return " · ".join(f for f in facts if f)


def _about(view: Student, context: Context) -> str:
    p = view.profile
    parts = [inline(p["about"])] if "about" in p else []
    if p.get("highlights"):
        parts.append("\n".join(f"- {inline(h)}" for h in p["highlights"]))
    strengths = (p.get("interests") or {}).get("strengths")
    if strengths:
        parts.append(f"**My strengths:** {inline(', '.join(strengths))}")
    return "\n\n".join(parts)


def _self(view: Student, context: Context) -> str:
    interests = view.profile.get("interests") or {}
    parts = []
    if interests.get("riasec"):
        types = [context.reference.riasec.get(t, t) for t in interests["riasec"]]
        parts.append(f"**My interest types, strongest first:** {inline(', '.join(types))}")
    pages = _pages(view, "self-awareness")
    if pages:
        parts.append(_page_list(pages))
    return "\n\n".join(parts)


def _careers(view: Student, context: Context) -> str:
    career = view.profile.get("career") or {}
    parts = []
    if career.get("clusters"):
        parts.append(
            f"**Career clusters:** {inline(', '.join(context.reference.clusters.get(c, c) for c in career['clusters']))}"
        )
    if career.get("pathway"):
        parts.append(f"**Pathway:** {inline(career['pathway'])}")
    if career.get("interests"):
        parts.append(f"**Careers I am learning about:** {inline(', '.join(career['interests']))}")
    pages = _pages(view, "career-exploration")
    if pages:
        parts.append(_page_list(pages))
    return "\n\n".join(parts)


def _planning(view: Student, context: Context) -> str:
    parts = []
    if "program_of_study" in view.courses:
        parts.append(f"**Program of study:** {inline(view.courses['program_of_study'])}")
    pages = _pages(view, "postsecondary-career-planning")
    if pages:
        parts.append(_page_list(pages))
    return "\n\n".join(parts)


def _high_school(view: Student, context: Context) -> str:
    parts = []
    for year in view.courses.get("years", []):
        if int(year["grade"]) >= 9:
            titles = ", ".join(c["title"] for c in year["courses"])
            parts.append(f"- **Grade {year['grade']}:** {inline(titles)}")
    pages = _pages(view, "transition-planning") + _pages(view, "coursework")
    text = "\n".join(parts)
    return "\n\n".join(t for t in (f"**My four-year plan**\n\n{text}" if text else "", _page_list(pages)) if t)


def _postsecondary(view: Student, context: Context) -> str:
    pages = _pages(view, "postsecondary-career-planning") + _pages(view, "transition-planning")
    earned = [c["title"] for c in view.courses.get("credentials", []) if c.get("status") == "earned"]
    parts = [_page_list(pages)] if pages else []
    if earned:
        parts.append(f"**Credentials I earned:** {inline(', '.join(earned))}")
    return "\n\n".join(parts)


def _goals(view: Student, context: Context, record: Record | None) -> str:
    start, middle, _ = year_bounds(school_year(context.today, context.framework.calendar), context.framework.calendar)
    rows = []
    for goal in view.goals:
        gid = str(goal["id"])
        versions = record.goal_versions.get(gid, ()) if record else ()
        line = f"- **{inline(goal['statement'])}** ({inline(str(goal['status']).replace('-', ' '))})"
        steps = []
        for label, day in (("at the start of the year", start), ("at mid-year", middle)):
            version = as_of(versions, day) if day <= context.today else None
            if version is not None and version.goal.get("statement") != goal["statement"]:
                steps.append(f"{label}: {inline(version.goal.get('statement', ''))}")
        if steps:
            line += "\n    - " + "\n    - ".join(steps)
        rows.append(line)
    return "\n".join(rows)


def _barriers(view: Student, context: Context) -> str:
    rows = []
    for goal in view.goals:
        barriers = [b["text"] if isinstance(b, dict) else b for b in goal.get("barriers", [])]
        strategies = [s["text"] if isinstance(s, dict) else s for s in goal.get("strategies", [])]
        if barriers or strategies:
            rows.append(f"**{inline(goal['statement'])}**")
            rows += [f"- Barrier: {inline(b)}" for b in barriers]
            rows += [f"- What I did: {inline(s)}" for s in strategies]
            rows.append("")
    return "\n".join(rows)


def _evidence(view: Student, context: Context) -> str:
    files = frozenset([*(p.name for p in view.pages), *view.artifacts])
    rows = []
    for page in view.pages:
        if "activity" not in page.meta:
            continue
        row = f"- [{inline(page.title)}]({link_target(page.name)})"
        for url in urls(page.doc):
            if not url.image:
                continue
            target, problem = resolve(Link(url.line, url.target, True), page.name, files)
            if problem is None and target in view.artifacts:
                row += f"\n\n    ![{inline(url.alt or f'Evidence for {page.title}')}]({link_target(target)})"
                break
        rows.append(row)
    return "\n".join(rows[:6])


def _next_year(view: Student, context: Context) -> str:
    open_goals = [g for g in view.goals if g.get("status") in ("in-progress", "not-started")]
    rows = [f"- {inline(g['statement'])}" for g in open_goals]
    return "\n".join(rows) + ("\n\n" if rows else "") + "What I want to try next year: ask me!"


def _questions(view: Student, context: Context) -> str:
    return (
        "Thank you for coming. What would you like to ask me?\n\n"
        "- What are you proudest of this year?\n- Which goal was hardest, and what helped?\n"
        "- What could you explore next year?"
    )


BUILDERS: dict[str, Callable[..., str]] = {
    "about": _about,
    "self-exploration": _self,
    "career-exploration": _careers,
    "career-planning": _planning,
    "high-school": _high_school,
    "postsecondary": _postsecondary,
    "barriers": _barriers,
    "evidence": _evidence,
    "next-year": _next_year,
    "questions": _questions,
}


def _section(index: int, title: str, body_html: str, notes_html: str) -> str:
    ident = f"slide-{index}"
    notes = f'\n<aside class="notes" aria-label="Speaker notes">\n{notes_html}\n</aside>' if notes_html else ""
    return (
        f'<section class="slide" id="{ident}" aria-labelledby="{ident}-title">\n'
        f'<h2 id="{ident}-title">{html.escape(plain(title))}</h2>\n'
        f'<div class="slide-body">\n{body_html}\n</div>{notes}\n</section>'
    )


def deck_page(view: Student, context: Context, record: Record | None, notes: bool) -> SitePage | None:
    """The conference deck of a student's view; speaker notes only when `notes`."""
    grade = student_grade(view, context)
    conference = view.conference
    own: list[OwnSlide] = own_slides(conference.doc)[0] if conference is not None else []
    by_id = {slide.id: slide for slide in own}
    chosen = list(conference.meta.get("slides") or []) if conference is not None else []
    title = plain((conference.meta.get("title") if conference else None) or f"{display_name(view)}'s conference")
    policy = _policy(view)
    sections: list[str] = []
    for slide_id in slide_order(chosen, own, grade):
        index = len(sections) + 1
        if slide_id == "title":
            sections.append(_section(index, title, render_markdown(_title(view, context, grade), policy).html, ""))
            continue
        if slide_id in by_id:
            slide = by_id[slide_id]
            body = render_documents([slide.body], policy).html
            note = render_documents([slide.notes], policy).html if notes and not slide.notes.is_empty() else ""
            sections.append(_section(index, slide.title, body, note))
            continue
        if slide_id == "goals":
            text = _goals(view, context, record)
        elif slide_id in BUILDERS:
            text = BUILDERS[slide_id](view, context)
        else:
            continue
        if text.strip():
            sections.append(_section(index, BUILT_IN[slide_id], render_markdown(text, policy).html, ""))
    if len(sections) < 2:
        return None
    return SitePage(DECK, html="\n\n".join(sections) + "\n", meta={"template": "deck.html", "title": title})
