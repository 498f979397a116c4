"""Stage 5: the course, experience and résumé pages of a portfolio (pure)."""

from __future__ import annotations

from generator.i18n import _
from generator.markdown.text import block, bullets, format_date, inline
from generator.model import Student
from generator.model.site import SitePage
from generator.render.names import LABELS, MY_COURSES, MY_EXPERIENCES, MY_RESUME, display_name
from generator.render.vocabulary import word


def _words(value: object) -> str:
    """A value of the data files' vocabulary (`in-progress`, `work-based-learning`) as words."""
    return word(value)


def courses_page(student: Student) -> SitePage:
    c = student.courses
    lines = [f"# {_(LABELS[MY_COURSES])}", ""]
    if "program_of_study" in c:
        lines += [f"**{_('Program of study')}:** {inline(c['program_of_study'])}", ""]
    header = [_("Course"), _("Term"), _("Level"), _("Credits"), _("Status"), _("Mark")]
    for year in c.get("years", []):
        if "school_year" in year:
            title = _("Grade {grade} ({school_year})").format(
                grade=year["grade"], school_year=inline(year["school_year"])
            )
        else:
            title = _("Grade {grade}").format(grade=year["grade"])
        lines += [f"## {title}", "", "| " + " | ".join(header) + " |", "| --- | --- | --- | --- | --- | --- |"]
        for course in year["courses"]:
            provider = f" ({inline(course['provider'])})" if "provider" in course else ""
            cells = [
                inline(course["title"]) + provider,
                inline(course.get("term", "")),
                _words(course.get("level", "")),
                inline(course.get("credits", "")),
                _words(course["status"]),
                inline(course.get("mark", "")),
            ]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    if c.get("credentials"):
        lines += [f"## {_('Credentials')}", ""]
        for cred in c["credentials"]:
            issuer = f", {inline(cred['issuer'])}" if "issuer" in cred else ""
            when = f", {format_date(cred['date'])}" if "date" in cred else ""
            lines.append(f"- **{inline(cred['title'])}**{issuer}: {_words(cred['status'])}{when}")
        lines.append("")
    if c.get("assessments"):
        lines += [f"## {_('Assessments')}", ""]
        for test in c["assessments"]:
            lines += [f"### {inline(test['name'])}", "", f"*{format_date(test['date'])}*", ""]
            scores = test.get("scores", {})
            if scores:
                lines.append("; ".join(f"{inline(k)}: {inline(v)}" for k, v in scores.items()))
                lines.append("")
            if "reflection" in test:
                lines += [block(test["reflection"]), ""]
    return SitePage(MY_COURSES, "\n".join(lines))


def experiences_page(student: Student) -> SitePage:
    lines = [f"# {_(LABELS[MY_EXPERIENCES])}", ""]
    for item in sorted(student.experiences, key=lambda e: str(e["start"]), reverse=True):
        lines += [f"## {inline(item['title'])}", ""]
        facts = [_words(item["type"]).capitalize()]
        for key in ("organization", "role"):
            if key in item:
                facts.append(inline(item[key]))
        start = format_date(item["start"])
        if "end" in item:
            facts.append(_("{start} to {end}").format(start=start, end=format_date(item["end"])))
        else:
            facts.append(_("since {start}").format(start=start))
        if "hours" in item:
            facts.append(_("{hours} hours").format(hours=inline(item["hours"])))
        lines += [" · ".join(facts), ""]
        if item.get("skills"):
            lines += [f"**{_('Skills')}:** {inline(', '.join(item['skills']))}", ""]
        lines += [block(item["reflection"]), ""]
    return SitePage(MY_EXPERIENCES, "\n".join(lines))


def resume_page(student: Student) -> SitePage:
    p = student.profile
    lines = [f"# {inline(p.get('name', display_name(student)))}", "", f"## {_('Résumé')}", ""]
    if "school" in p:
        school = inline(p["school"])
        if "graduation_year" in p:
            school = _("{school}, class of {year}").format(school=school, year=p["graduation_year"])
        lines += [f"### {_('Education')}", "", school, ""]
    if student.experiences:
        lines += [f"### {_('Experience')}", ""]
        for item in sorted(student.experiences, key=lambda e: str(e["start"]), reverse=True):
            org = f", {inline(item['organization'])}" if "organization" in item else ""
            role = f" — {inline(item['role'])}" if "role" in item else ""
            lines.append(f"- **{inline(item['title'])}**{org}{role} · {format_date(item['start'])}")
        lines.append("")
    credentials = [c for c in student.courses.get("credentials", []) if c["status"] == "earned"]
    if credentials:
        lines += [f"### {_('Credentials')}", "", bullets(c["title"] for c in credentials), ""]
    skills = sorted({s for item in student.experiences for s in item.get("skills", [])})
    if skills:
        lines += [f"### {_('Skills')}", "", inline(", ".join(skills)), ""]
    return SitePage(MY_RESUME, "\n".join(lines), meta={"title": _(LABELS[MY_RESUME])})
