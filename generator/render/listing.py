"""What the district's shared pages need of one student (pure): a `Summary`, made where the student's
sites are built, kept by the build cache for a student whose files did not change.

The start pages (an educator's dashboard, a family's page, an advisory group's) and who may read
what are computed from every student's summary, never from the student: so an unchanged student is
neither loaded nor rendered again. A summary holds, per audience, only what that audience's start
page lists of the student (their name as that view shows it, grade, school, educators, and for the
educators the dashboard's figures and the days of the student's own changes), the profile fields
that decide who reads what (`ACCESS_FIELDS`), the `ilp check` warnings of their folder, and the
names of the files their sites have. Never a page's text, a goal, or anything a view leaves out.

`as_json` / `from_json` round-trip it exactly; the build always uses the round-tripped summary, so a
summary from the cache and one just made give the same pages.
"""

from __future__ import annotations

import datetime
import json
import types
import typing
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from generator.errors import Diagnostic
from generator.model import Educator, Student
from generator.render.dashboard import Row
from generator.render.names import display_name

# The profile fields access() and the languages of start pages read, and the public address.
ACCESS_FIELDS = ("emails", "family", "educators", "school", "advisory", "languages", "public_path")


@dataclass(frozen=True)
class Listing:
    """One student as one audience's start page lists them (`name` None: that view shows no name)."""

    name: str | None
    grade: int | None
    school: str
    educators: str
    row: Row | None = None  # the educators' dashboard row (its `name` and `warnings` filled in when shown)
    change_days: tuple[datetime.date, ...] = ()  # the student's own changes in the record that view shows


@dataclass(frozen=True)
class Summary:
    id: str
    path: str
    profile: dict[str, Any]  # ACCESS_FIELDS only, as JSON gives them back
    public_line: int  # the line of public_path in profile.yml (for the error when it is taken)
    listings: dict[str, Listing] = field(default_factory=dict)  # by audience; absent: that audience sees nothing
    diagnostics: tuple[Diagnostic, ...] = ()  # the warnings under the student's folder
    sites: tuple[str, ...] = ()  # the folders of the student's sites, from the output root
    names: tuple[str, ...] = ()  # with file URLs: the files of those sites (what links may name)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "path": self.path,
            "profile": self.profile,
            "public_line": self.public_line,
            "listings": {audience: _listing_json(item) for audience, item in sorted(self.listings.items())},
            "diagnostics": [d.as_json() for d in self.diagnostics],
            "sites": list(self.sites),
            "names": list(self.names),
        }

    @staticmethod
    def from_json(data: Any) -> Summary:
        """The summary `as_json` gave; ValueError (or TypeError, KeyError) for anything else."""
        if not isinstance(data, dict):
            raise ValueError("a summary is an object")
        diagnostics = tuple(
            Diagnostic(_text(d["path"]), _number(d["line"]), _text(d["message"]), _severity(d["severity"]))
            for d in data["diagnostics"]
        )
        profile = data["profile"]
        if not isinstance(profile, dict) or set(profile) - set(ACCESS_FIELDS):
            raise ValueError("a summary's profile holds the access fields only")
        return Summary(
            _text(data["id"]),
            _text(data["path"]),
            profile,
            _number(data["public_line"]),
            {_text(audience): _listing(item) for audience, item in data["listings"].items()},
            diagnostics,
            tuple(_text(dest) for dest in data["sites"]),
            tuple(_text(name) for name in data["names"]),
        )

    def exact(self) -> Summary:
        """This summary as the cache gives it back (what every build uses)."""
        return Summary.from_json(json.loads(json.dumps(self.as_json())))


def access_profile(profile: dict[str, Any]) -> dict[str, Any]:
    """The profile fields that decide who reads what, as plain JSON values."""
    picked = {key: profile[key] for key in ACCESS_FIELDS if key in profile}
    return dict(json.loads(json.dumps(picked, default=str, sort_keys=True)))


def listing(view: Student, grade: int | None, roster: dict[str, Educator]) -> Listing:
    """How a start page lists the student of `view` (one audience's view of them)."""
    educators = ", ".join(roster[e].name for e in view.profile.get("educators", []) if e in roster)
    named = "name" in view.profile
    return Listing(
        display_name(view) if named else None,
        grade if named else None,
        str(view.profile.get("school", "")),
        educators,
    )


def _listing_json(item: Listing) -> dict[str, Any]:
    row = None
    if item.row is not None:
        row = asdict(item.row)
        row["last_change"] = item.row.last_change.isoformat() if item.row.last_change else None
        row["starter"] = list(item.row.starter)
    return {
        "name": item.name,
        "grade": item.grade,
        "school": item.school,
        "educators": item.educators,
        "row": row,
        "change_days": [day.isoformat() for day in item.change_days],
    }


_ROW_FIELDS = {f.name for f in fields(Row)}
_ROW_TYPES = typing.get_type_hints(Row)


def _fits(value: Any, hint: Any) -> bool:
    """Whether `value` is of the type `hint` names (the few kinds a row holds; a bool is not a number)."""
    origin = typing.get_origin(hint)
    if origin is types.UnionType:
        return any(_fits(value, option) for option in typing.get_args(hint))
    if origin is tuple:
        return isinstance(value, tuple) and all(_fits(item, typing.get_args(hint)[0]) for item in value)
    if hint is type(None):
        return value is None
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, hint)


def _listing(data: Any) -> Listing:
    if not isinstance(data, dict):
        raise ValueError("a listing is an object")
    row = None
    if data["row"] is not None:
        values = dict(data["row"])
        if set(values) != _ROW_FIELDS:
            raise ValueError("a dashboard row has other fields")
        last = values["last_change"]
        values["last_change"] = datetime.date.fromisoformat(last) if last is not None else None
        values["starter"] = tuple(_text(s) for s in values["starter"])
        for key, value in values.items():
            if not _fits(value, _ROW_TYPES[key]):
                raise ValueError(f"a dashboard row's {key} is not a {_ROW_TYPES[key]}")
        row = Row(**values)
    name = data["name"]
    grade = data["grade"]
    return Listing(
        None if name is None else _text(name),
        None if grade is None else _number(grade),
        _text(data["school"]),
        _text(data["educators"]),
        row,
        tuple(datetime.date.fromisoformat(_text(day)) for day in data["change_days"]),
    )


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected text, not {type(value).__name__}")
    return value


def _number(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"expected a number, not {type(value).__name__}")
    return value


def _severity(value: Any) -> Any:
    if value not in ("error", "warning"):
        raise ValueError("a diagnostic is an error or a warning")
    return value
