"""Stage 2 for starter text: what `ilp new` wrote that is still there, where others can see it.

`ilp new` (and `ilp promote`, for a new grade's pages) writes prompts for the student to replace: the
profile's `about`, a first goal and a page for each section. Left as they are, they are published to
the family, the advisory group or everyone, as if the student had written them. The starter text is
what the templates in generator/templates/new render, through the one environment `ilp new` uses
(`resources.starter_templates()`), and what each audience sees is decided by the visibility stage's own
`view_student`, so the warning names exactly the audiences that would see it. The student's and the
educators' views (the full ones) are never warned about: there the prompts are a to-do list.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import Any

import yaml

from generator import resources
from generator.check.district import District
from generator.errors import Report
from generator.model import Page, Student
from generator.starter import is_starter_page
from generator.visibility.markers import filter_document
from generator.visibility.views import Viewer, view_student

SMART = ("specific", "measurable", "achievable", "relevant", "time_bound")
LISTS = ("barriers", "strategies")
ADVICE = "write your own or remove it"
# Placeholder values for the templates' other variables: only the starter text is read from them.
_CONTEXT: dict[str, Any] = {
    "name": "Name",
    "preferred_name": None,
    "grade": 6,
    "graduation_year": 2032,
    "school_year": "2025-2026",
    "school": None,
    "educators": [],
    "today": "2025-09-01",
    "due": "2026-01-01",
    "required_months": 4,
    "checklist": (),
    "activity": None,
}


@dataclasses.dataclass(frozen=True)
class Starter:
    """The starter text of the YAML files, as YAML reads it."""

    about: str
    statement: str
    smart: dict[str, str]
    lists: dict[str, tuple[str, ...]]


def _render(template: str, context: dict[str, Any]) -> str:
    return (
        resources.starter_templates()
        .get_template(template)
        .render(context, schema_url=lambda kind: f"{kind}.schema.json")
    )


@functools.cache
def starter() -> Starter:
    profile = yaml.safe_load(_render("profile.yml.j2", _CONTEXT))
    goal = yaml.safe_load(_render("goals.yml.j2", _CONTEXT))["goals"][0]
    return Starter(
        about=str(profile["about"]),
        statement=str(goal["statement"]),
        smart={key: str(value) for key, value in goal.get("smart", {}).items()},
        lists={key: tuple(str(item) for item in goal.get(key, [])) for key in LISTS},
    )


Shown = Callable[[Viewer, Student | None], bool]


@dataclasses.dataclass(frozen=True)
class _Place:
    """Starter text at one place, and how to tell whether an audience's view still shows it.

    The places of one goal share its `what` and are reported together, naming their fields."""

    path: str
    line: int
    what: str  # the start of the warning
    shown: Shown
    field: str = ""  # the goal's field it is in


def _goal_in(view: Student | None, goal_id: Any) -> dict[str, Any] | None:
    return next((g for g in (view.goals if view else ()) if g.get("id") == goal_id), None)


def _text(item: Any) -> Any:
    return item.get("text") if isinstance(item, dict) else item


def _in_goal(goal_id: Any, still: Callable[[dict[str, Any]], bool]) -> Shown:
    """Whether the audience sees the goal, with the starter text still in it."""

    def shown(viewer: Viewer, view: Student | None) -> bool:
        found = _goal_in(view, goal_id)
        return found is not None and still(found)

    return shown


def _same(key: str, value: str) -> Callable[[dict[str, Any]], bool]:
    return lambda goal: goal.get(key) == value


def _same_smart(key: str, value: str) -> Callable[[dict[str, Any]], bool]:
    return lambda goal: isinstance(goal.get("smart"), dict) and goal["smart"].get(key) == value


def _listed(key: str, value: Any) -> Callable[[dict[str, Any]], bool]:
    return lambda goal: any(_text(item) == value for item in goal.get(key) or [])


def _goal_places(student: Student, text: Starter) -> list[_Place]:
    doc = student.docs.get("goals.yml")
    if doc is None:
        return []
    places: list[_Place] = []
    for i, goal in enumerate(student.goals):
        fields: list[tuple[tuple[str | int, ...], str, Callable[[dict[str, Any]], bool]]] = []
        if goal.get("statement") == text.statement:
            fields.append((("statement",), "statement", _same("statement", text.statement)))
        smart: dict[str, Any] = goal["smart"] if isinstance(goal.get("smart"), dict) else {}
        for key in SMART:
            if key in text.smart and smart.get(key) == text.smart[key]:
                fields.append((("smart", key), "smart", _same_smart(key, text.smart[key])))
        for key in LISTS:
            for j, item in enumerate(goal.get(key) or []):
                if _text(item) in text.lists[key]:
                    fields.append(((key, j), key, _listed(key, _text(item))))
        what = f"goal '{goal.get('id')}' still holds the starter text of ilp new"
        for at, name, still in fields:
            places.append(_Place(doc.path, doc.line(("goals", i, *at)), what, _in_goal(goal.get("id"), still), name))
    return places


def _page_shown(page: Page) -> Shown:
    """Whether an audience sees the page, or a part of it (as `view_student` decides)."""

    def shown(viewer: Viewer, view: Student | None) -> bool:
        default = viewer.page_default(page)
        return viewer.can_see(default) or not filter_document(page.doc, default, viewer.can_see).is_empty()

    return shown


def _about_shown(about: str) -> Shown:
    return lambda viewer, view: view is not None and view.profile.get("about") == about


def _places(student: Student, district: District) -> list[_Place]:
    text = starter()
    places: list[_Place] = []
    profile = student.docs.get("profile.yml")
    if profile is not None and student.profile.get("about") == text.about:
        what = "'about' still holds the starter text of ilp new"
        places.append(_Place(profile.path, profile.line(("about",)), what, _about_shown(text.about)))
    places.extend(_goal_places(student, text))
    if district.framework is not None:
        what = "this page still holds the starter text of ilp new"
        for page in student.pages:
            if is_starter_page(page, district.framework):
                places.append(_Place(page.path, 1, what, _page_shown(page)))
    return places


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def check_starter_text(student: Student, district: District, report: Report) -> None:
    """A warning for each place where starter text of `ilp new` is left that an audience other than
    the student and the educators can see (a goal's places together, by who sees them). When the
    framework is missing (an error reported already), every audience is taken to see it: when
    unsure, warn."""
    places = _places(student, district)
    if not places:
        return
    options = district.options
    others = [a for a in options.audiences if a not in options.full_access]
    views: dict[str, tuple[Viewer, Student | None]] = {}
    if district.framework is not None:
        for audience in others:
            viewer = Viewer(audience, options, district.framework)
            views[audience] = (viewer, view_student(student, viewer))
    grouped: dict[tuple[str, str, tuple[str, ...]], list[_Place]] = {}
    for place in places:
        seen = tuple(a for a in others if a not in views or place.shown(*views[a]))
        if seen:
            grouped.setdefault((place.path, place.what, seen), []).append(place)
    for (path, what, seen), group in grouped.items():
        fields = list(dict.fromkeys(p.field for p in group if p.field))
        where = f" ({_and(fields)})" if fields else ""
        report.warning(path, group[0].line, f"{what}{where}, and {_and(list(seen))} can see it; {ADVICE}")
