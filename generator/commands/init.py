"""`ilp init`: a new, empty district repository that passes `ilp check` and `ilp build` at once.

It holds an `mkdocs.yml` naming the chosen built-in framework, starter district pages, the framework
and the reference data in `curriculum/`, an empty roster, the JSON Schemas for editors in `.schemas/`,
a `.gitignore` and a pre-commit configuration; and it is a git repository with that as its first
commit, so the change record starts there.
"""

from __future__ import annotations

import datetime
import json
import re
import secrets
import shutil
from pathlib import Path

from generator import resources
from generator.check.schemas import SCHEMA_NAMES, schema_file_name, schema_texts
from generator.errors import IlpError
from generator.history.git import Writer

# District pages that hold no sample district's names: copied as they are.
GENERIC_PAGES = ("how-to-edit.md", "sharing.md", "change-record.md", "conference-deck.md")
MAX_NAME = 200
MKDOCS_YML = """\
# Site configuration for {name}'s ILP portfolios.
# The `ilp` plugin's options are documented in content/reference/configuration.md.
site_name: {title}
docs_dir: content
plugins:
  - ilp:
      framework: curriculum/framework.yml
      roster: students/roster.yml
      reference: curriculum/reference
      # Editors find the JSON Schemas of every file here (`ilp schema --out .schemas` rewrites them).
      schema_base: .schemas
      # Makes the public portfolio addresses impossible to work out from a student's id; keep it.
      public_salt: {salt}
      # The language of the district's pages (en, es, or one the district adds: content/languages.md).
      # A family's view is built in the family's language, from the student's profile.
      language: en
"""
INDEX = """\
---
title: {title}
---

# {heading}

Every student from grade 6 to grade 12 keeps an Individual Learning Plan (ILP): goals, course
plans, career exploration and the evidence of their work, in their own folder of this repository.

- [How to edit your ILP](how-to-edit.md)
- [Who sees what: sharing your ILP](sharing.md)
- [Your change record](change-record.md)
- [Your student-led conference deck](conference-deck.md)
"""
ROSTER = """\
# yaml-language-server: $schema=../.schemas/roster.schema.json
# The educators who serve students in this district. Profiles list these ids under `educators:`;
# the change record uses the email addresses to tell who made each change.
# Reference: content/reference/roster.md
educators: []
"""
GITIGNORE = "site/\n.ilp-cache/\n.venv/\n"
PRE_COMMIT = """\
# Runs `ilp check` before every commit (https://pre-commit.com): `pre-commit install` once.
repos:
  - repo: local
    hooks:
      - id: ilp-check
        name: ilp check
        entry: ilp check
        language: system
        files: ^(students|curriculum|content)/|^mkdocs\\.yml$
        pass_filenames: true
        require_serial: true
"""


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML string


def init_district(target: Path, framework: str, name: str, when: datetime.datetime | None = None) -> int:
    """Create the district at `target` (which must be new or empty); the number of files written."""
    if framework not in resources.FRAMEWORKS:
        raise IlpError(f"unknown framework '{framework}' (expected: {', '.join(sorted(resources.FRAMEWORKS))})")
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME or re.search(r"[\x00-\x1f\x7f<>]", name):
        raise IlpError(f"--name must be a district name of 1 to {MAX_NAME} characters, without < or >")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise IlpError(f"{target} already exists and is not an empty folder; choose a new folder")
    title = f"{name} ILP"
    files: dict[str, bytes | None] = {
        "mkdocs.yml": MKDOCS_YML.format(name=name, title=_quoted(title), salt=secrets.token_hex(16)).encode(),
        "content/index.md": INDEX.format(title=_quoted(title), heading=f"Individual Learning Plans at {name}").encode(),
        "students/roster.yml": ROSTER.encode(),
        ".gitignore": GITIGNORE.encode(),
        ".pre-commit-config.yaml": PRE_COMMIT.encode(),
        "curriculum/framework.yml": resources.FRAMEWORKS[framework].read_bytes(),
    }
    for page in GENERIC_PAGES:
        files[f"content/{page}"] = (resources.SAMPLE / "content" / page).read_bytes()
    copied = (
        (resources.SAMPLE / "content" / "reference", "content/reference"),
        (resources.REFERENCE_DIR, "curriculum/reference"),
    )
    for folder, prefix in copied:
        for file in sorted(folder.iterdir()):
            if file.is_file():
                files[f"{prefix}/{file.name}"] = file.read_bytes()
    texts = schema_texts()
    for schema in SCHEMA_NAMES:
        files[f".schemas/{schema_file_name(schema)}"] = texts[schema].encode()
    created = not target.exists()
    try:
        writer = Writer(target)
        stamp = when or datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        writer.commit(files, "ilp init", "ilp-init@localhost", stamp, f"Start the ILP repository of {name}")
    except BaseException:
        shutil.rmtree(target if created else target / ".git", ignore_errors=True)
        raise
    return len(files)
