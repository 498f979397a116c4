"""Stage 5: the course, experience and résumé pages of a portfolio (pure)."""

from __future__ import annotations

from generator.markdown.text import block, bullets, format_date, inline
from generator.model import Student
from generator.model.site import SitePage
from generator.render.names import MY_COURSES, MY_EXPERIENCES, MY_RESUME, display_name


def courses_page(student: Student) -> SitePage:
    c = student.courses
    lines = ["# Courses", ""]
    if "program_of_study" in c:
        lines += [f"**Program of study:** {inline(c['program_of_study'])}", ""]
    for year in c.get("years", []):
        label = f" ({year['school_year']})" if "school_year" in year else ""
        lines += [f"## Grade {year['grade']}{label}", "", "| Course | Term | Level | Credits | Status | Mark |"]
        lines.append("| --- | --- | --- | --- | --- | --- |")
        for course in year["courses"]:
            provider = f" ({inline(course['provider'])})" if "provider" in course else ""
            cells = [
                inline(course["title"]) + provider,
                inline(course.get("term", "")),
                inline(str(course.get("level", "")).replace("-", " ")),
                inline(course.get("credits", "")),
                inline(str(course["status"]).replace("-", " ")),
                inline(course.get("mark", "")),
            ]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    if c.get("credentials"):
        lines += ["## Credentials", ""]
        for cred in c["credentials"]:
            issuer = f", {inline(cred['issuer'])}" if "issuer" in cred else ""
            when = f", {format_date(cred['date'])}" if "date" in cred else ""
            lines.append(f"- **{inline(cred['title'])}**{issuer}: {inline(cred['status'])}{when}")
        lines.append("")
    if c.get("assessments"):
        lines += ["## Assessments", ""]
        for test in c["assessments"]:
            lines += [f"### {inline(test['name'])} ({format_date(test['date'])})", ""]
            scores = test.get("scores", {})
            if scores:
                lines.append(", ".join(f"{inline(k)}: {inline(v)}" for k, v in scores.items()))
                lines.append("")
            if "reflection" in test:
                lines += [block(test["reflection"]), ""]
    return SitePage(MY_COURSES, "\n".join(lines))


def experiences_page(student: Student) -> SitePage:
    lines = ["# Experiences", ""]
    for item in sorted(student.experiences, key=lambda e: str(e["start"]), reverse=True):
        lines += [f"## {inline(item['title'])}", ""]
        facts = [inline(str(item["type"]).replace("-", " ")).capitalize()]
        for key in ("organization", "role"):
            if key in item:
                facts.append(inline(item[key]))
        end = format_date(item["end"]) if "end" in item else "now"
        facts.append(f"{format_date(item['start'])} to {end}")
        if "hours" in item:
            facts.append(f"{item['hours']} hours")
        lines += [" · ".join(facts), ""]
        if item.get("skills"):
            lines += [f"**Skills:** {inline(', '.join(item['skills']))}", ""]
        lines += [block(item["reflection"]), ""]
    return SitePage(MY_EXPERIENCES, "\n".join(lines))


def resume_page(student: Student) -> SitePage:
    p = student.profile
    lines = [f"# {inline(p.get('name', display_name(student)))}", "", "## Résumé", ""]
    if "school" in p:
        year = f", class of {p['graduation_year']}" if "graduation_year" in p else ""
        lines += ["### Education", "", f"{inline(p['school'])}{year}", ""]
    if student.experiences:
        lines += ["### Experience", ""]
        for item in sorted(student.experiences, key=lambda e: str(e["start"]), reverse=True):
            org = f", {inline(item['organization'])}" if "organization" in item else ""
            role = f" — {inline(item['role'])}" if "role" in item else ""
            lines.append(f"- **{inline(item['title'])}**{org}{role} ({format_date(item['start'])})")
        lines.append("")
    credentials = [c for c in student.courses.get("credentials", []) if c["status"] == "earned"]
    if credentials:
        lines += ["### Credentials", "", bullets(c["title"] for c in credentials), ""]
    skills = sorted({s for item in student.experiences for s in item.get("skills", [])})
    if skills:
        lines += ["### Skills", "", inline(", ".join(skills)), ""]
    return SitePage(MY_RESUME, "\n".join(lines))
