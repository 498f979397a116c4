"""What a student's view shows they achieved, as Open Badges 3.0 achievements with their evidence (pure).

Five kinds, each from the view only:

- a framework activity with evidence (a page, goal, experience, course or assessment that names it);
- a lesson a page was written in (the page's `lesson:`);
- a goal whose status is `achieved`;
- a credential in courses.yml whose status is `earned`;
- an experience in experiences.yml.

Only the facts of an achievement are taken: titles, dates, roles, the framework's and the lesson's
public descriptions, ASCA codes. Never barriers, strategies, review notes, reflections, supports,
family, emails or a lesson's facilitator part (a lesson's body is not read at all). Every string a
student wrote passes `clean_text` (no comments, no markup).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from generator.markdown.text import clean_text
from generator.model import Activity, Framework, Lesson, Student
from generator.render.names import MY_COURSES, MY_EXPERIENCES, MY_GOALS
from generator.render.student import Context

ASCA_FRAMEWORK = "ASCA Student Standards: Mindsets & Behaviors for Student Success"
# The publisher's site: the standards have no address of their own per code (targetCode tells them apart).
ASCA_URL = "https://www.schoolcounselor.org/"

EXPERIENCE_TYPES = {
    "volunteer": "CommunityService",
    "service": "CommunityService",
    "work": "Fieldwork",
    "job-shadow": "Fieldwork",
    "internship": "Fieldwork",
    "apprenticeship": "Fieldwork",
    "work-based-learning": "Fieldwork",
    "summer-program": "LearningProgram",
    "extracurricular": "CoCurricular",
    "athletics": "CoCurricular",
    "arts": "CoCurricular",
    "club": "CoCurricular",
    "leadership": "CoCurricular",
}


@dataclass(frozen=True)
class Evidence:
    page: str  # a page of the exported site: a student page's name, or my-goals.md and the like
    name: str
    description: str = ""


@dataclass(frozen=True)
class Earned:
    """One achievement of the student, before it becomes an AchievementCredential."""

    key: str  # stable within the district: what the achievement's and the credential's ids derive from
    kind: str  # achievementType
    name: str
    description: str
    criteria: str
    codes: tuple[str, ...] = ()  # ASCA codes
    evidence: tuple[Evidence, ...] = ()
    awarded: str | None = None  # YYYY-MM-DD
    tags: tuple[str, ...] = ()
    creator: str | None = None  # who defined it, when not the district (a credential's issuer)
    subject: dict[str, Any] = field(default_factory=dict)  # AchievementSubject facts: role, dates


def text(value: Any) -> str:
    return clean_text(value) if value is not None else ""


def learner_name(view: Student) -> str:
    """The name the view shows for the student (their full name, else the name they go by)."""
    return text(view.profile.get("name")) or text(view.profile.get("preferred_name"))


def _date(value: Any) -> str | None:
    found = str(value)[:10] if value is not None else ""
    return found or None


def _latest(dates: Iterable[str | None]) -> str | None:
    known = [d for d in dates if d]
    return max(known) if known else None


def _earliest(dates: Iterable[str | None]) -> str | None:
    """When something first had evidence: the earliest known date."""
    known = [d for d in dates if d]
    return min(known) if known else None


def _unique(codes: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(str(c) for c in codes))


def evidence_by_activity(
    view: Student, lessons: dict[str, Lesson]
) -> dict[str, list[tuple[Evidence, str | None, tuple[str, ...]]]]:
    """Activity id -> its evidence in the view: (evidence, date, ASCA codes the evidence carries: a
    goal's own, or those of the lesson a page was written in)."""
    found: dict[str, list[tuple[Evidence, str | None, tuple[str, ...]]]] = {}

    def add(activity: Any, evidence: Evidence, date: Any, codes: Iterable[str] = ()) -> None:
        found.setdefault(str(activity), []).append((evidence, _date(date), _unique(codes)))

    for page in view.pages:
        if "activity" in page.meta:
            lesson = lessons.get(str(page.meta.get("lesson")))
            evidence = Evidence(page.name, text(page.title), text(page.meta.get("summary")))
            add(page.meta["activity"], evidence, page.meta.get("date"), lesson.asca if lesson else ())
    for goal in view.goals:
        if "activity" in goal:
            first_review = _earliest(_date(r.get("date")) for r in goal.get("reviews", []))
            evidence = Evidence(MY_GOALS, f"Goal: {text(goal['statement'])}")
            add(goal["activity"], evidence, goal.get("set") or first_review, goal.get("asca", []))
    for item in view.experiences:
        if "activity" in item:
            add(
                item["activity"],
                Evidence(MY_EXPERIENCES, f"Experience: {text(item['title'])}"),
                item.get("start"),
            )
    for year in view.courses.get("years", []):
        for course in year["courses"]:
            if "activity" in course:
                add(course["activity"], Evidence(MY_COURSES, f"Course: {text(course['title'])}"), None)
    for test in view.courses.get("assessments", []):
        if "activity" in test:
            add(test["activity"], Evidence(MY_COURSES, f"Assessment: {text(test['name'])}"), test.get("date"))
    return found


def _activity_codes(activity: Activity, lessons: Iterable[Lesson]) -> tuple[str, ...]:
    """The ASCA codes of the lessons in which the curriculum teaches an activity."""
    return _unique(code for lesson in lessons if activity.id in lesson.activities for code in lesson.asca)


def _activities(view: Student, framework: Framework, lessons: dict[str, Lesson]) -> list[Earned]:
    found = evidence_by_activity(view, lessons)
    curriculum = sorted(lessons.values(), key=lambda x: x.path)
    earned = []
    for plan in framework.grades:
        for activity in plan.activities:
            items = found.get(activity.id)
            if not items:
                continue
            section = framework.section(activity.section)
            codes = _unique([*_activity_codes(activity, curriculum), *(c for _, _, cs in items for c in cs)])
            earned.append(
                Earned(
                    key=f"activity {framework.id} {activity.id}",
                    kind="Assignment",
                    name=text(activity.title),
                    description=text(activity.description) or text(activity.artifact),
                    criteria=text(activity.artifact),
                    codes=codes,
                    evidence=_distinct(e for e, _, _ in items),
                    awarded=_earliest(d for _, d, _ in items),
                    tags=(f"Grade {activity.grade}", *([text(section.title)] if section else [])),
                )
            )
    return earned


def _distinct(evidence: Iterable[Evidence]) -> tuple[Evidence, ...]:
    return tuple(dict.fromkeys(evidence))


def _lessons(view: Student, lessons: dict[str, Lesson]) -> list[Earned]:
    pages: dict[str, list[tuple[Evidence, str | None]]] = {}
    for page in view.pages:
        if "lesson" in page.meta:
            evidence = Evidence(page.name, text(page.title), text(page.meta.get("summary")))
            pages.setdefault(str(page.meta["lesson"]), []).append((evidence, _date(page.meta.get("date"))))
    earned = []
    for lesson in sorted((x for x in lessons.values() if x.id in pages), key=lambda x: (x.grade, x.path)):
        objectives = [text(o) for o in lesson.meta.get("objectives", []) if text(o)]
        earned.append(
            Earned(
                key=f"lesson {lesson.id}",
                kind="Achievement",
                name=text(lesson.title),
                description=text(lesson.meta.get("summary")) or text(lesson.title),
                criteria="\n".join(f"- {o}" for o in objectives) or f"Took part in the lesson {text(lesson.title)}.",
                codes=_unique(lesson.asca),
                evidence=_distinct(e for e, _ in pages[lesson.id]),
                awarded=_earliest(d for _, d in pages[lesson.id]),
                tags=(f"Grade {lesson.grade}", "Lesson"),
            )
        )
    return earned


def _goals(view: Student) -> list[Earned]:
    earned = []
    for goal in view.goals:
        if goal.get("status") != "achieved":
            continue
        reviews = goal.get("reviews", [])
        when = _latest(_date(r.get("date")) for r in reviews if r.get("progress") == "achieved")
        term = "Long-term" if goal.get("term") == "long" else "Short-term"
        domain = str(goal.get("domain", "")).replace("-", " ")
        measure = text((goal.get("smart") or {}).get("measurable"))
        earned.append(
            Earned(
                key=f"goal {view.id} {goal['id']}",
                kind="Achievement",
                name=text(goal["statement"]),
                description=f"{term} {domain} goal, met.",
                criteria=measure or text(goal["statement"]),
                codes=_unique(goal.get("asca", [])),
                evidence=(Evidence(MY_GOALS, "Goals"),),
                awarded=when or _date(goal.get("due")),
                tags=("Goal", domain.capitalize()),
            )
        )
    return earned


def _credentials(view: Student) -> list[Earned]:
    earned = []
    for cred in view.courses.get("credentials", []):
        if cred.get("status") != "earned":
            continue
        issuer = text(cred.get("issuer"))
        earned.append(
            Earned(
                key=f"credential {view.id} {text(cred['title'])} {issuer} {_date(cred.get('date')) or ''}",
                kind="Certification",
                name=text(cred["title"]),
                description=text(cred["title"]) + (f", issued by {issuer}" if issuer else ""),
                criteria=f"Earned {text(cred['title'])}" + (f" from {issuer}." if issuer else "."),
                evidence=(Evidence(MY_COURSES, "Courses and credentials"),),
                awarded=_date(cred.get("date")),
                tags=("Credential",),
                creator=issuer or None,
            )
        )
    return earned


def _experiences(view: Student) -> list[Earned]:
    earned = []
    ordered = sorted(view.experiences, key=lambda e: (str(e["start"]), str(e["id"])))
    for item in ordered:
        facts = [text(item.get(k)) for k in ("role", "organization") if text(item.get(k))]
        hours = f" ({item['hours']:g} hours)" if isinstance(item.get("hours"), int | float) else ""
        kind_word = str(item["type"]).replace("-", " ")
        subject: dict[str, Any] = {"activityStartDate": f"{_date(item['start'])}T00:00:00Z"}
        if item.get("end"):
            subject["activityEndDate"] = f"{_date(item['end'])}T00:00:00Z"
        if text(item.get("role")):
            subject["role"] = text(item["role"])
        earned.append(
            Earned(
                key=f"experience {view.id} {item['id']}",
                kind=EXPERIENCE_TYPES.get(str(item["type"]), "Achievement"),
                name=text(item["title"]),
                description=(", ".join(facts) or kind_word.capitalize()) + hours,
                criteria=f"Took part in {text(item['title'])}" + (f" ({', '.join(facts)})" if facts else "") + ".",
                evidence=(Evidence(MY_EXPERIENCES, "Experiences"),),
                awarded=_date(item.get("end")),
                tags=(kind_word.capitalize(), *(text(s) for s in item.get("skills", []) if text(s))),
                subject=subject,
            )
        )
    return earned


def achievements(view: Student, context: Context) -> list[Earned]:
    """Everything the view shows the student achieved, in a stable order."""
    return [
        *_activities(view, context.framework, context.lessons),
        *_lessons(view, context.lessons),
        *_goals(view),
        *_credentials(view),
        *_experiences(view),
    ]


def alignments(codes: Iterable[str], asca: dict[str, str], edition: int) -> list[dict[str, Any]]:
    """Open Badges alignments to ASCA Mindsets & Behaviors codes, with the reference's texts."""
    framework = f"{ASCA_FRAMEWORK} ({edition})" if edition else ASCA_FRAMEWORK
    found = []
    for code in codes:
        described = asca.get(code, "")
        entry: dict[str, Any] = {
            "type": ["Alignment"],
            "targetCode": code,
            "targetName": f"{code}: {described}" if described else code,
            "targetFramework": framework,
            "targetUrl": ASCA_URL,
        }
        if described:
            entry["targetDescription"] = described
        found.append(entry)
    return found
