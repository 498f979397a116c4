"""students/roster.yml with the SIS's staff (pure): educators matched by email are updated, new ones added.

The SIS owns an educator's `name`, `role`, `school` (when it gives one) and `emails`; their `id`
never changes (profiles name it), and `access`, comments, `school_year` and educators the SIS does
not list stay as they are. A staff member without an email is left out: an educator needs one to
sign in, and to be found again by the next import.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from yaml.nodes import MappingNode, SequenceNode

from generator.errors import Report
from generator.model.source import Doc
from generator.sis.people import Staff, educator_name, new_id, roster_role
from generator.sis.yamltext import Edits, MappingText, compose, items, render_item

OWNED = ("name", "role", "school", "emails")
AFTER = {"school": ("role", "name"), "emails": ("school", "role", "name")}


@dataclass
class RosterPlan:
    text: str
    emails: dict[str, str] = field(default_factory=dict)  # lowercased email -> educator id, after the import
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unlisted: list[tuple[str, int]] = field(default_factory=list)  # educators the SIS does not list: id, line
    no_email: list[Staff] = field(default_factory=list)


def _wanted(existing: Mapping[str, Any], person: Staff) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": educator_name(existing.get("name"), person.user.known_name),
        "role": roster_role(existing.get("role"), person.role),
    }
    if person.school:
        values["school"] = person.school
    values["emails"] = [person.user.email]
    return {k: v for k, v in values.items() if existing.get(k) != v}


def _matches(
    entries: list[Mapping[str, Any]], people: list[Staff], users_path: str, report: Report
) -> dict[int, Staff]:
    by_email = {str(e).lower(): i for i, entry in enumerate(entries) for e in entry.get("emails") or []}
    matched: dict[int, Staff] = {}
    for person in people:
        index = by_email.get(person.user.email.lower())
        if index is None:
            continue
        if index in matched:
            report.error(
                users_path,
                person.user.line,
                f"this staff member and '{matched[index].user.sourced_id}' (line {matched[index].user.line}) both "
                f"match educator '{entries[index].get('id')}' of the roster by email; give them their own emails",
            )
        matched[index] = person
    return matched


def plan_roster(text: str, doc: Doc, people: list[Staff], users_path: str, report: Report) -> RosterPlan:
    """The roster's new text, and what changed in it."""
    entries: list[Mapping[str, Any]] = [e for e in doc.data.get("educators") or [] if isinstance(e, Mapping)]
    plan = RosterPlan(text, no_email=[p for p in people if not p.user.email])
    with_email = [p for p in people if p.user.email]
    matched = _matches(entries, with_email, users_path, report)
    taken = {str(e.get("id")) for e in entries}
    updates = {i: _wanted(entries[i], p) for i, p in matched.items()}
    new: list[dict[str, Any]] = []
    matched_users = {p.user.sourced_id for p in matched.values()}
    for person in with_email:
        if person.user.sourced_id in matched_users:
            continue
        entry: dict[str, Any] = {"id": new_id(person.user, taken, student=False), "name": person.user.known_name}
        entry["role"] = person.role
        if person.school:
            entry["school"] = person.school
        entry["emails"] = [person.user.email]
        taken.add(entry["id"])
        new.append(entry)
    plan.added = [e["id"] for e in new]
    plan.updated = [str(entries[i].get("id")) for i, changed in updates.items() if changed]
    plan.unlisted = [(str(e.get("id")), doc.line(("educators", i))) for i, e in enumerate(entries) if i not in matched]
    merged = [{**e, **updates.get(i, {})} for i, e in enumerate(entries)]
    for entry in [*merged, *new]:
        for email in entry.get("emails") or []:
            plan.emails[str(email).lower()] = str(entry.get("id"))
    if new or any(updates.values()):
        plan.text = _edit(text, updates, new, merged)
    return plan


def _edit(
    text: str, updates: dict[int, dict[str, Any]], new: list[dict[str, Any]], merged: list[dict[str, Any]]
) -> str:
    node = compose(text)
    edits = Edits.of(text)
    assert isinstance(node, MappingNode)  # the roster passed its schema: a mapping
    top = MappingText(edits, node, len(edits.lines))
    sequence = top.values["educators"]
    blocks = items(edits, sequence, top.spans["educators"].end) if isinstance(sequence, SequenceNode) else []
    editable = isinstance(sequence, SequenceNode) and not sequence.flow_style and sequence.value
    if not editable or any(blocks[i] is None for i, changed in updates.items() if changed):
        top.replace("educators", [*merged, *new])  # a list written inline: rewritten whole, in block style
        return edits.text()
    for index, changed in updates.items():
        block = blocks[index]
        assert block is not None  # checked above
        for key in OWNED:
            if key in changed:
                block.set(key, changed[key], AFTER.get(key, ()))
    if new:
        dash = max(sequence.value[0].start_mark.column - 2, 0)
        at = top.spans["educators"].end
        edits.add(at, at, [line for entry in new for line in render_item(entry, dash)])
    return edits.text()
