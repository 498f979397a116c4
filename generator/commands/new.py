"""`ilp new`: a new student's folder, from templates, that passes `ilp check`.

The folder is written to a temporary folder beside students/ and renamed into
place, so an interrupted run leaves nothing half-made; an existing folder is
never touched.
"""

from __future__ import annotations

import datetime
import json
import os
import posixpath
import shutil
import tempfile
from pathlib import Path
from typing import Any

import jinja2

from generator import resources
from generator.check.student import STUDENT_ID
from generator.config import Options
from generator.errors import IlpError
from generator.model import Framework
from generator.model.schoolyear import graduation_year_for, school_year, school_year_label


def _yaml_scalar(value: Any) -> str:
    """A value written as a YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def template_environment() -> jinja2.Environment:
    return resources.starter_templates()


def schema_url(options: Options, file_rel: str, name: str) -> str:
    """What a file's `$schema` line points at: a URL, or a path relative to the file."""
    file_name = f"{name}.schema.json"
    base = options.schema_base.rstrip("/")
    if base.startswith(("https://", "http://")):
        return f"{base}/{file_name}"
    return posixpath.relpath(f"{base}/{file_name}", posixpath.dirname(file_rel))


def scaffold_student(
    root: Path,
    student_id: str,
    name: str,
    grade: int,
    framework: Framework,
    options: Options,
    today: datetime.date,
    school: str | None = None,
    educators: tuple[str, ...] = (),
    preferred_name: str | None = None,
    roster: frozenset[str] = frozenset(),
) -> list[str]:
    """Write students/<student_id>/ and return the files written (relative to root)."""
    if not STUDENT_ID.match(student_id) or len(student_id) > 60:
        raise IlpError(
            f"'{student_id}' is not a valid student id; use lowercase letters, digits and hyphens, such as 'ava-smith'"
        )
    if not name.strip() or "\n" in name:
        raise IlpError("--name must be one line of text")
    for educator in educators:
        if educator not in roster:
            raise IlpError(f"--educator {educator!r} is not in the roster; use an id from students/roster.yml")
    students = root / "students"
    target = students / student_id
    if target.exists() or target.is_symlink():
        raise IlpError(f"students/{student_id} already exists; choose another id, or edit that folder")
    plan = framework.plan(grade)
    year = school_year(today, framework.calendar)
    activities = plan.activities if plan else ()
    context: dict[str, Any] = {
        "name": name.strip(),
        "preferred_name": preferred_name,
        "grade": grade,
        "graduation_year": graduation_year_for(grade, today, framework.calendar),
        "school_year": school_year_label(year),
        "school": school.strip() if school else None,
        "educators": [_yaml_scalar(e) for e in educators],
        "today": today.isoformat(),
        "due": (today + datetime.timedelta(days=120)).isoformat(),
        "required_months": framework.review_required_months,
        "checklist": plan.checklist if plan else (),
        "activity": next((a.id for a in activities if a.section == "goals"), None),
    }
    env = template_environment()
    files: dict[str, str] = {}
    for kind in ("profile", "goals", "courses", "experiences", "checklist"):
        rel = f"students/{student_id}/{kind}.yml"
        files[f"{kind}.yml"] = env.get_template(f"{kind}.yml.j2").render(
            context, schema_url=lambda n, rel=rel: schema_url(options, rel, n)
        )
    for section in framework.sections:
        files[f"{section.id}/index.md"] = env.get_template("section.md.j2").render(
            section=section,
            prompts=section.prompts,
            activities=[a for a in activities if a.section == section.id],
        )
    students.mkdir(exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".new-{student_id}-", dir=students))
    try:
        for inner, text in files.items():
            path = staging / inner
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        (staging / "artifacts").mkdir()
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(f"students/{student_id}/{inner}" for inner in files)
