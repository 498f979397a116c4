"""A student's profile.yml with the SIS's values (pure): only the keys the SIS owns change.

The SIS owns `name`, `preferred_name` (when it gives one), `graduation_year` (or `grade`, if the
profile uses that), `school` and `emails` (when it gives them), `family` (when the export lists
families at all), `educators` (only from a caseload file) and `sis_id`. Every other key, comment
and blank line of the file stays byte for byte; a key that does not change is not touched.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from yaml.nodes import MappingNode

from generator.sis.people import Member, merged_family
from generator.sis.yamltext import Edits, MappingText, compose


class _Remove:
    def __repr__(self) -> str:
        return "REMOVE"


REMOVE: Any = _Remove()
# Where a key the profile does not have yet goes: after the first of these that it has (else at the end).
AFTER = {
    "preferred_name": ("name",),
    "graduation_year": ("pronouns", "preferred_name", "name"),
    "grade": ("pronouns", "preferred_name", "name"),
    "school": ("graduation_year", "grade", "pronouns", "preferred_name", "name"),
    "educators": ("school", "graduation_year", "grade", "name"),
    "advisory": ("educators", "school", "graduation_year", "grade", "name"),
    "emails": ("advisory", "educators", "school", "graduation_year", "grade", "name"),
    "family": ("languages", "interests", "career", "about", "emails", "name"),
    "sis_id": (),
}
_GRADE_NOTE = re.compile(r"grade \d+ in \d{4}-\d{4}")


@dataclass(frozen=True)
class Wanted:
    """What the SIS says of one student; None means the SIS says nothing of that field."""

    name: str
    preferred_name: str | None
    grade: int | None
    graduation_year: int | None
    school_year: str  # such as 2026-2027, for the comment `ilp new` writes beside graduation_year
    school: str | None
    email: str | None
    family: tuple[Member, ...] | None
    educators: tuple[str, ...] | None
    sis_id: str
    advisory: str | None = None  # the student's homeroom class, when the SIS keeps homerooms


def _grade_changes(data: Mapping[str, Any], wanted: Wanted) -> dict[str, Any]:
    if wanted.grade is None:
        return {}
    found: dict[str, Any] = {}
    if "grade" in data:
        found["grade"] = wanted.grade
    if "graduation_year" in data or "grade" not in data:
        found["graduation_year"] = wanted.graduation_year
    return found


def changes(data: Mapping[str, Any], wanted: Wanted) -> dict[str, Any]:
    """The keys whose value the SIS changes: key -> new value (or REMOVE)."""
    found: dict[str, Any] = {"name": wanted.name}
    if wanted.preferred_name:
        found["preferred_name"] = wanted.preferred_name
    found.update(_grade_changes(data, wanted))
    if wanted.school:
        found["school"] = wanted.school
    if wanted.email:
        found["emails"] = [wanted.email]
    if wanted.advisory:
        found["advisory"] = wanted.advisory
    if wanted.family is not None:
        family = merged_family(data.get("family") or [], wanted.family)
        found["family"] = family if family else REMOVE
    if wanted.educators is not None:
        found["educators"] = list(wanted.educators)
    found["sis_id"] = wanted.sis_id
    return {
        key: value
        for key, value in found.items()
        if (value is REMOVE and key in data) or (value is not REMOVE and data.get(key, REMOVE) != value)
    }


def edit_profile(text: str, data: Mapping[str, Any], wanted: Wanted) -> tuple[str, list[str]] | None:
    """The profile's text with the SIS's values and the keys that changed; None if the file is not a
    block mapping (one `key: value` a line), which cannot be edited key by key."""
    node = compose(text)
    if not isinstance(node, MappingNode) or node.flow_style:
        return None
    edits = Edits.of(text)
    mapping = MappingText(edits, node, len(edits.lines))
    found = changes(data, wanted)
    for key, value in found.items():
        if value is REMOVE:
            mapping.remove(key)
        elif key in mapping.spans:
            comment = None
            if key == "graduation_year" and wanted.grade is not None:
                note = f"grade {wanted.grade} in {wanted.school_year}"
                comment = _GRADE_NOTE.sub(note, mapping.spans[key].comment)
            mapping.replace(key, value, comment)
        else:
            mapping.insert(key, value, AFTER[key])
    return (edits.text() if found else text), list(found)
