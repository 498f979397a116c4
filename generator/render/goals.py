"""Stage 5: the goals page of a portfolio: each goal by domain, its plan, its latest review, how it
changed and whether a review is due (pure)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from generator.history.record import Record, review_states
from generator.i18n import N_, _
from generator.markdown.text import bullets, format_date, inline
from generator.model import Educator, Student
from generator.model.site import SitePage
from generator.render.history import goal_evolution, goals_by_year, review_line, status_label
from generator.render.names import LABELS, MY_GOALS
from generator.render.vocabulary import plain_word, word

if TYPE_CHECKING:
    from generator.render.student import Context

DOMAINS = (("academic", N_("Academic")), ("career", N_("Career")), ("social-emotional", N_("Social-emotional")))
SMART = (
    ("specific", N_("Specific")),
    ("measurable", N_("Measurable")),
    ("achievable", N_("Achievable")),
    ("relevant", N_("Relevant")),
    ("time_bound", N_("Time-bound")),
)


def educator_label(roster: dict[str, Educator], ref: str) -> str:
    """Who an educator (or 'student', 'family') is, as plain text: escape it where it goes."""
    if ref in roster:
        educator = roster[ref]
        return f"{educator.name} ({plain_word(educator.role)})"
    return {"student": _("the student"), "family": _("family")}.get(ref, ref)


def _latest_review(goal: dict[str, Any], context: Context) -> list[str]:
    reviews = sorted(goal.get("reviews", []), key=lambda r: str(r["date"]))
    if not reviews:
        return [f"*{_('Not reviewed yet.')}*"]
    last = reviews[-1]
    review = _("{date}, {who}").format(
        date=format_date(last["date"]), who=inline(educator_label(context.roster, str(last["by"])))
    )
    progress = f" — {word(last['progress'])}" if "progress" in last else ""
    text = [f"**{_('Latest review')}:** {review}{progress}"]
    if "note" in last:
        text += ["", f"> {inline(last['note'])}"]
    return text


def _goal_facts(goal: dict[str, Any]) -> str:
    facts = [status_label(goal["status"]), _("long-term") if goal["term"] == "long" else _("short-term")]
    if "due" in goal:
        facts.append(_("due {date}").format(date=format_date(goal["due"])))
    if goal.get("carried_over"):
        years = ", ".join(inline(str(y)) for y in goal["carried_over"])
        facts.append(_("carried over into {years}").format(years=years))
    return f"*{' · '.join(facts)}*"


def goals_page(student: Student, context: Context, record: Record | None = None, full: bool = False) -> SitePage:
    lines = [f"# {_(LABELS[MY_GOALS])}", ""]
    states = review_states(student, context.framework, context.today) if full else {}
    for domain, title in DOMAINS:
        goals = [g for g in student.goals if g["domain"] == domain]
        if not goals:
            continue
        lines += [f"## {_(title)}", ""]
        for goal in goals:
            lines += [f"### {inline(goal['statement'])}", "", _goal_facts(goal), ""]
            smart = goal.get("smart", {})
            if smart:
                lines += [f"| {_('SMART')} | {_('My plan')} |", "| --- | --- |"]
                lines += [f"| {_(label)} | {inline(smart[key])} |" for key, label in SMART if key in smart]
                lines.append("")
            for key, label in (("barriers", _("Barriers")), ("strategies", _("Strategies"))):
                if goal.get(key):
                    lines += [f"**{label}**", "", bullets(goal[key]), ""]
            lines += [*_latest_review(goal, context), ""]
            lines += review_line(states.get(str(goal["id"])), context.framework)
            if record is not None:
                versions = record.goal_versions.get(str(goal["id"]), ())
                lines += goal_evolution(versions, context.framework.calendar, context.today)
    if len(lines) == 2:
        lines.append(_("No goals are shared here yet."))
    if record is not None:
        titles = {str(g["id"]): str(g["statement"]) for g in student.goals}
        lines += goals_by_year(record, context.framework.calendar, titles)
    return SitePage(MY_GOALS, "\n".join(lines))
