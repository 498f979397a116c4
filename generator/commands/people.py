"""The district's students as the history scrubber needs them: ids, names and commit emails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.history import repos
from generator.load.documents import LoadError, load_yaml, parse_yaml
from generator.load.folders import student_folders


def other_people(root: Path, student_id: str) -> list[dict[str, Any]]:
    """Every other student of the district (active and graduated): id, names and commit emails."""
    found = []
    for top in ("students", "graduates"):
        names = student_folders(root) if top == "students" else _folders(root / top)
        for name in names:
            if name == student_id:
                continue
            person: dict[str, Any] = {"id": name}
            try:
                data = load_yaml(root / top / name / "profile.yml", f"{top}/{name}/profile.yml").data
            except LoadError:
                data = None
            if isinstance(data, dict):
                person.update({k: data.get(k) for k in ("name", "preferred_name", "emails")})
            found.append(person)
    present = {p["id"] for p in found} | {student_id}
    for name, text in repos.departed(root, present).items():  # students who have left still go unnamed
        person = {"id": name}
        try:
            data = parse_yaml(text, f"students/{name}/profile.yml").data if text else None
        except LoadError:
            data = None
        if isinstance(data, dict):
            person.update({k: data.get(k) for k in ("name", "preferred_name", "emails")})
        found.append(person)
    return found


def _folders(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith("."))
