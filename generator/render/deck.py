"""Stage 5 for the student-led conference deck: one page of slides (pure).

Every slide is a <section> with a heading, its body and a footer that names the student and the
slide's number (so a printed page says which slide it belongs to). The deck reads as one scrolling
page without JavaScript; the theme's deck.js turns it into full-window slides. It is made only from
the student's view for one audience and that view's change record, so a slide shows nothing the
audience may not see: a page listed on a slide brings the first image of it that the view keeps,
and the goals slide has a chart of where the year's goals stood at the start, mid-year and now.
Speaker notes are kept only where `notes` is true (the student's own view).

The goals chart is inline SVG, which the page sanitizer (rightly) does not let through a page's
content: the slide holds a placeholder that only this deck's own text can name (a hash of it) and
the SVG travels in the page's meta, where the deck template puts it in place of the placeholder.

The slides' Markdown is rendered through a memo (`_render`): a text another deck wrote (the same student's,
for another audience) is rendered once wherever the policy keeps the same of its links, so the result is
what rendering it again would give.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable
from dataclasses import dataclass

from generator.history.record import Record, as_of
from generator.i18n import _
from generator.markdown.html import Policy, Rendered, RenderMemo, render_documents, render_markdown
from generator.markdown.links import Link, resolve
from generator.markdown.slides import BUILT_IN, OwnSlide, own_slides, slide_order
from generator.markdown.text import inline, link_target, plain
from generator.markdown.urls import urls
from generator.model import Page, Student
from generator.model.schoolyear import school_year, school_year_label
from generator.model.site import SitePage
from generator.render.goals_chart import goal_progress, goals_figure, goals_svg
from generator.render.history import year_bounds
from generator.render.names import display_name
from generator.render.student import Context, student_grade
from generator.sanitize import source_target

DECK = "conference.md"
MAX_EVIDENCE = 6


def _policy(view: Student) -> Policy:
    """Links and images of the deck (written from the student's folder) stay only where they lead to this view."""
    shown = frozenset([*(p.name for p in view.pages), *view.artifacts])

    def keep(url: str, image: bool) -> bool:
        target = source_target(url, "")
        return target is None or target in shown

    return keep


# The slides' Markdown rendered before, with the policy's answers: the decks of one student for its audiences
# mostly say the same, and a text is rendered again only where the policy answers otherwise.
_RENDERED = RenderMemo[Rendered](size=512)


def _render(text: str, policy: Policy) -> str:
    """The HTML of the generator's Markdown `text` under `policy`: render_markdown's, once for every deck that
    writes the same text and whose policy keeps the same of its links and images."""

    def oracle(asked: str) -> str | None:  # "i" + src of an image, "l" + href of a link: kept ("") or not (None)
        return "" if policy(asked[1:], asked[0] == "i") else None

    def compute(answer: Callable[[str], str | None]) -> Rendered:
        return render_markdown(text, lambda url, image: answer(("i" if image else "l") + url) is not None)

    return _RENDERED.get(text, oracle, compute).html


def _pages(view: Student, section: str) -> list[Page]:
    return sorted((p for p in view.pages if p.section == section), key=lambda p: (str(p.meta.get("date", "")), p.name))


def _image(view: Student, page: Page) -> str:
    """The first image the audience sees on `page` (an artifact of this view), as Markdown; or ''."""
    files = frozenset([*(p.name for p in view.pages), *view.artifacts])
    for url in urls(page.doc):
        if not url.image:
            continue
        target, problem = resolve(Link(url.line, url.target, True), page.name, files)
        if problem is None and target in view.artifacts:
            alt = url.alt or _("Evidence for {page}").format(page=plain(page.title))
            return f"![{inline(alt)}]({link_target(target)})"
    return ""


def _page_list(view: Student, pages: list[Page]) -> str:
    """Each page as a link, with the first image the audience sees on it under it."""
    rows = []
    for page in pages:
        row = f"- [{inline(page.title)}]({link_target(page.name)})"
        image = _image(view, page)
        rows.append(f"{row}\n\n    {image}\n" if image else row)
    return "\n".join(rows)


def _title(view: Student, context: Context, grade: int | None) -> str:
    p = view.profile
    facts = [_("Grade {grade}").format(grade=grade) if grade is not None and "name" in p else ""]
    facts.append(inline(p.get("school", "")))
    year = school_year_label(school_year(context.today, context.framework.calendar))
    facts.append(_("Student-led conference, {year}").format(year=year))
    return " · ".join(f for f in facts if f)


def _bold(label: str, text: str) -> str:
    """'**Label:** text', the label translated whole ('My strengths:')."""
    return f"**{label}** {text}"


def _about(view: Student, context: Context) -> str:
    p = view.profile
    parts = [inline(p["about"])] if "about" in p else []
    if p.get("highlights"):
        parts.append("\n".join(f"- {inline(h)}" for h in p["highlights"]))
    strengths = (p.get("interests") or {}).get("strengths")
    if strengths:
        parts.append(_bold(_("My strengths:"), inline(", ".join(strengths))))
    return "\n\n".join(parts)


def _self(view: Student, context: Context) -> str:
    interests = view.profile.get("interests") or {}
    parts = []
    if interests.get("riasec"):
        types = [context.reference.riasec.get(t, t) for t in interests["riasec"]]
        parts.append(_bold(_("My interest types, strongest first:"), inline(", ".join(types))))
    pages = _pages(view, "self-awareness")
    if pages:
        parts.append(_page_list(view, pages))
    return "\n\n".join(parts)


def _careers(view: Student, context: Context) -> str:
    career = view.profile.get("career") or {}
    parts = []
    if career.get("clusters"):
        clusters = ", ".join(context.reference.clusters.get(c, c) for c in career["clusters"])
        parts.append(_bold(_("Career clusters:"), inline(clusters)))
    if career.get("pathway"):
        parts.append(_bold(_("Pathway:"), inline(career["pathway"])))
    if career.get("interests"):
        parts.append(_bold(_("Careers I am learning about:"), inline(", ".join(career["interests"]))))
    pages = _pages(view, "career-exploration")
    if pages:
        parts.append(_page_list(view, pages))
    return "\n\n".join(parts)


def _planning(view: Student, context: Context) -> str:
    parts = []
    if "program_of_study" in view.courses:
        parts.append(_bold(_("Program of study:"), inline(view.courses["program_of_study"])))
    pages = _pages(view, "postsecondary-career-planning")
    if pages:
        parts.append(_page_list(view, pages))
    return "\n\n".join(parts)


def _high_school(view: Student, context: Context) -> str:
    parts = []
    for year in view.courses.get("years", []):
        if int(year["grade"]) >= 9:
            titles = ", ".join(c["title"] for c in year["courses"])
            parts.append(f"- {_bold(_('Grade {grade}:').format(grade=int(year['grade'])), inline(titles))}")
    pages = _pages(view, "transition-planning") + _pages(view, "coursework")
    text = "\n".join(parts)
    plan = f"**{_('My four-year plan')}**\n\n{text}" if text else ""
    return "\n\n".join(t for t in (plan, _page_list(view, pages)) if t)


def _postsecondary(view: Student, context: Context) -> str:
    pages = _pages(view, "postsecondary-career-planning") + _pages(view, "transition-planning")
    earned = [c["title"] for c in view.courses.get("credentials", []) if c.get("status") == "earned"]
    parts = [_page_list(view, pages)] if pages else []
    if earned:
        parts.append(_bold(_("Credentials I earned:"), inline(", ".join(earned))))
    return "\n\n".join(parts)


def _goal_changes(view: Student, context: Context, record: Record | None) -> str:
    """How the wording of each goal changed this year, as the record has it (Markdown)."""
    start, middle, _end = year_bounds(
        school_year(context.today, context.framework.calendar), context.framework.calendar
    )
    rows = []
    for goal in view.goals:
        versions = record.goal_versions.get(str(goal["id"]), ()) if record else ()
        steps = []
        for label, day in ((_("At the start of the year:"), start), (_("At mid-year:"), middle)):
            version = as_of(versions, day) if day <= context.today else None
            if version is not None and version.goal.get("statement") != goal["statement"]:
                steps.append(f"{label} {inline(version.goal.get('statement', ''))}")
        if steps:
            rows.append(f"- **{inline(goal['statement'])}**\n    - " + "\n    - ".join(steps))
    return f"**{_('How my goals changed')}**\n\n" + "\n".join(rows) if rows else ""


@dataclass(frozen=True)
class _Goals:
    body: str  # the slide's HTML, with the chart's placeholder
    chart: str  # the SVG


def _goals(view: Student, context: Context, record: Record | None, policy: Policy) -> _Goals | None:
    calendar = context.framework.calendar
    start, middle, _end = year_bounds(school_year(context.today, calendar), calendar)
    progress = goal_progress(view.goals, record, (start, middle), context.today)
    if not progress:
        return None
    changes = _goal_changes(view, context, record)
    body = goals_figure(progress, _SLOT) + (_render(changes, policy) if changes else "")
    return _Goals(body, goals_svg(progress))


_SLOT = "\0goals-chart\0"  # replaced by the chart's real placeholder once the deck's text is known


def _barriers(view: Student, context: Context) -> str:
    rows = []
    for goal in view.goals:
        barriers = [b["text"] if isinstance(b, dict) else b for b in goal.get("barriers", [])]
        strategies = [s["text"] if isinstance(s, dict) else s for s in goal.get("strategies", [])]
        if barriers or strategies:
            items = [f"- {_bold(_('Barrier:'), inline(b))}" for b in barriers]
            items += [f"- {_bold(_('What I did:'), inline(s))}" for s in strategies]
            rows.append(f"**{inline(goal['statement'])}**\n\n" + "\n".join(items))
    return "\n\n".join(rows)


def _evidence(view: Student, context: Context) -> str:
    pages = [page for page in view.pages if "activity" in page.meta]
    return _page_list(view, pages[:MAX_EVIDENCE])


def _next_year(view: Student, context: Context) -> str:
    open_goals = [g for g in view.goals if g.get("status") in ("in-progress", "not-started")]
    rows = [f"- {inline(g['statement'])}" for g in open_goals]
    return "\n".join(rows) + ("\n\n" if rows else "") + _("What I want to try next year: ask me!")


def _questions(view: Student, context: Context) -> str:
    questions = (
        _("What are you proudest of this year?"),
        _("Which goal was hardest, and what helped?"),
        _("What could you explore next year?"),
    )
    return _("Thank you for coming. What would you like to ask me?") + "\n\n" + "\n".join(f"- {q}" for q in questions)


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


@dataclass(frozen=True)
class _Slide:
    title: str  # plain text
    body: str  # HTML
    notes: str = ""  # HTML
    kind: str = ""  # "title" for the title slide


def _section(index: int, total: int, slide: _Slide, name: str) -> str:
    ident = f"slide-{index}"
    notes = ""
    if slide.notes:
        label = html.escape(_("Speaker notes"))
        notes = f'\n<div class="notes">\n<p class="notes-label">{label}</p>\n{slide.notes}\n</div>'
    number = html.escape(_("Slide {number} of {total}").format(number=index, total=total))
    who = f'<span class="slide-footer-name">{html.escape(name)}</span> · ' if name else ""
    classes = "slide slide-title" if slide.kind == "title" else "slide"
    return (
        f'<section class="{classes}" id="{ident}" aria-labelledby="{ident}-title">\n'
        f'<h2 id="{ident}-title">{html.escape(plain(slide.title))}</h2>\n'
        f'<div class="slide-body">\n{slide.body}\n</div>{notes}\n'
        f'<p class="slide-footer">{who}<span class="slide-number">{number}</span></p>\n</section>'
    )


def deck_page(view: Student, context: Context, record: Record | None, notes: bool) -> SitePage | None:
    """The conference deck of a student's view; speaker notes only when `notes`."""
    grade = student_grade(view, context)
    conference = view.conference
    own: list[OwnSlide] = own_slides(conference.doc)[0] if conference is not None else []
    by_id = {slide.id: slide for slide in own}
    chosen = list(conference.meta.get("slides") or []) if conference is not None else []
    name = display_name(view)
    default_title = _("{name}'s conference").format(name=name)
    title = plain((conference.meta.get("title") if conference else None) or default_title)
    policy = _policy(view)
    slides: list[_Slide] = []
    chart = ""
    for slide_id in slide_order(chosen, own, grade):
        if slide_id == "title":
            body = _render(_title(view, context, grade), policy)
            slides.append(_Slide(title, body, kind="title"))
        elif slide_id in by_id:
            slide = by_id[slide_id]
            body = render_documents([slide.body], policy).html
            note = render_documents([slide.notes], policy).html if notes and not slide.notes.is_empty() else ""
            slides.append(_Slide(slide.title, body, note))
        elif slide_id == "goals" and not chart:
            goals = _goals(view, context, record, policy)
            if goals is not None:
                slides.append(_Slide(_(BUILT_IN[slide_id]), goals.body))
                chart = goals.chart
        elif slide_id in BUILDERS:
            text = BUILDERS[slide_id](view, context)
            if text.strip():
                slides.append(_Slide(_(BUILT_IN[slide_id]), _render(text, policy)))
    if len(slides) < 2:
        return None
    footer_name = name if "name" in view.profile or "preferred_name" in view.profile else ""
    page = "\n\n".join(_section(i, len(slides), s, footer_name) for i, s in enumerate(slides, 1)) + "\n"
    meta: dict[str, str] = {"template": "deck.html", "title": title}
    if chart:
        slot = f'<div id="goals-chart-{hashlib.sha256(page.encode()).hexdigest()[:16]}"></div>'
        page = page.replace(_SLOT, slot, 1)
        meta |= {"deck_chart_slot": slot, "deck_chart": chart}
    return SitePage(DECK, html=page, meta=meta)
