"""Stage 2 for a student folder: files -> a validated Student, every problem found.

A student's folder holds YAML files with fixed names, Markdown pages in
folders named for framework sections, and evidence files in ``artifacts/``.
Nothing is followed out of the folder: a symlink that leads out is an error,
and so is a link to another student's files.
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path
from typing import Any

from generator.check import schemas
from generator.check.cross import cross_check
from generator.check.district import District
from generator.check.framework import load_front_matter, parse_body
from generator.errors import Report, did_you_mean, expected
from generator.i18n import catalogs
from generator.load.documents import LoadError, load_yaml
from generator.load.folders import walk_student
from generator.markdown.slides import CONFERENCE
from generator.model import Page, Student
from generator.model.source import Doc

STUDENT_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
STUDENT_FILES = {
    "profile.yml": "profile",
    "goals.yml": "goals",
    "courses.yml": "courses",
    "experiences.yml": "experiences",
    "checklist.yml": "checklist",
    "sharing.yml": "sharing",
}
ARTIFACTS = "artifacts"
# Folders each audience's site already has: no student may take their name.
RESERVED_IDS = frozenset({"curriculum", "search", "assets"})


def _unchecked_out(root: Path, rel: str) -> bool:
    """Whether students/<id> is a submodule of the district that is not checked out (an empty folder)."""
    modules = root / ".gitmodules"
    try:
        empty = not any((root / rel).iterdir())
        return empty and modules.is_file() and f"path = {rel}\n" in modules.read_text(encoding="utf-8") + "\n"
    except OSError:
        return False


def _as_received(district: District, profile: Doc | None) -> District:
    """The district as it checks a student whose record came from another framework (`ilp import`)."""
    joined = profile.data.get("joined") if profile is not None else None
    if not isinstance(joined, dict) or not isinstance(joined.get("framework"), str):
        return district
    own = district.framework.id if district.framework is not None else None
    foreign = joined["framework"] if joined["framework"] != own else None
    return dataclasses.replace(district, foreign=foreign, joined=str(joined.get("date", "")))


def load_student(root: Path, name: str, district: District) -> tuple[Student | None, Report]:
    """Load and check one student's folder."""
    report = Report()
    rel = f"students/{name}"
    if name in RESERVED_IDS:
        report.error(
            rel,
            1,
            f"'{name}' cannot be a student id: the sites use a folder of that name (rename the folder, such as '{name}-1')",
        )
        return None, report
    if not STUDENT_ID.match(name) or len(name) > 60:
        report.error(
            rel,
            1,
            f"folder name '{name}' is not a valid student id; use lowercase letters, digits and hyphens, such as 'ava-smith'",
        )
        return None, report
    folder = root / rel
    if folder.is_symlink():
        report.error(rel, 1, "student folder is a symlink; move the folder itself into students/")
        return None, report
    files = walk_student(folder, rel, report)
    docs: dict[str, Doc] = {}
    invalid: dict[str, Doc] = {}  # files with problems, still cross-checked so one run reports everything
    for file_name, schema in STUDENT_FILES.items():
        if (folder / file_name).is_dir() and not (folder / file_name).is_symlink():
            report.error(
                f"{rel}/{file_name}", 1, "this is a folder, but a file is expected here; rename or move the folder"
            )
            continue
        if file_name not in files:
            if file_name == "profile.yml" and _unchecked_out(root, rel):
                report.error(
                    rel,
                    1,
                    "this student's repository (a git submodule) is not checked out; run: git submodule update --init",
                )
            elif file_name == "profile.yml":
                report.error(
                    f"{rel}/profile.yml", 1, "missing profile.yml; every student folder needs one (ilp new makes it)"
                )
            continue
        try:
            doc = load_yaml(folder / file_name, f"{rel}/{file_name}")
            problems = schemas.validate(doc, schema)
        except LoadError as exc:
            report.extend(exc.diagnostics)
            if not isinstance(exc.partial, Doc):
                continue  # a syntax error: nothing more can be read of this file
            doc = exc.partial
            problems = [*exc.diagnostics, *schemas.validate(doc, schema)]
            report.extend(problems[len(exc.diagnostics) :])
        else:
            report.extend(problems)
        if problems:
            invalid[file_name] = doc
        else:
            docs[file_name] = doc
    district = _as_received(district, docs.get("profile.yml"))
    pages, artifacts, conference = _sort_files(root, rel, files, district, report)
    student = Student(
        id=name,
        path=rel,
        profile=docs["profile.yml"].data if "profile.yml" in docs else {},
        goals=tuple(docs["goals.yml"].data["goals"]) if "goals.yml" in docs else (),
        courses=docs["courses.yml"].data if "courses.yml" in docs else {},
        experiences=tuple(docs["experiences.yml"].data["experiences"]) if "experiences.yml" in docs else (),
        checklist=tuple(docs["checklist.yml"].data["items"]) if "checklist.yml" in docs else (),
        pages=tuple(pages),
        artifacts=tuple(artifacts),
        docs=docs,
        conference=conference,
        links=tuple(docs["sharing.yml"].data["links"]) if "sharing.yml" in docs else (),
    )
    cross_check(root, student, files, district, report, invalid)
    if "profile.yml" in docs:
        _check_languages(root, docs["profile.yml"], report)
    return (None if report.errors else student), report


def _check_languages(root: Path, profile: Doc, report: Report) -> None:
    """A family language with no catalog is built in the district's: say so, and how to add one."""
    known = catalogs.available(root)
    places: list[tuple[str | int, ...]] = [("languages", "family")]
    places += [("family", i, "language") for i in range(len(profile.data.get("family") or []))]
    for where in places:
        value: Any = profile.data
        for key in where:
            if isinstance(key, int):
                value = value[key] if isinstance(value, list) and key < len(value) else None
            else:
                value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, str) and value not in known:
            report.warning(
                profile.path,
                profile.line(where),
                f"no message catalog for language '{value}' {expected(known)}: the family view is built in the "
                "next language the profile or the district gives; a district adds one as "
                f"locales/{value.replace('-', '_')}/LC_MESSAGES/messages.po (content/languages.md)",
            )


def _sort_files(
    root: Path, rel: str, files: list[str], district: District, report: Report
) -> tuple[list[Page], list[str], Page | None]:
    pages: list[Page] = []
    conference: list[Page] = []
    artifacts: list[str] = []
    for inner in files:
        path = f"{rel}/{inner}"
        if inner.startswith(f"{ARTIFACTS}/"):
            artifacts.append(inner)
        elif inner == CONFERENCE:
            markdown = load_front_matter(root, path, "conference", "'slides: [...]'", report, keep_invalid=True)
            if markdown is not None and markdown.meta is not None:
                conference.append(
                    Page(path, inner, "", markdown.meta.data, parse_body(markdown, report), markdown.meta)
                )
        elif inner == "index.md":
            report.error(
                path, 1, "a page named index.md at the top of your folder would replace your home page; rename it"
            )
        elif inner.endswith(".md"):
            page = _load_page(root, path, inner, district, report)
            if page is not None:
                pages.append(page)
        elif "/" not in inner and inner.endswith((".yml", ".yaml")):
            if inner not in STUDENT_FILES:
                report.error(
                    path,
                    1,
                    f"unknown file '{inner}'{did_you_mean(inner, STUDENT_FILES)} {expected(STUDENT_FILES)}",
                )
        else:
            report.warning(
                path, 1, f"file is not part of the ILP; put evidence files in {ARTIFACTS}/ and pages in .md files"
            )
    return pages, artifacts, (conference[0] if conference else None)


def recorded_files(root: Path, name: str) -> list[str]:
    """The files of students/<name> whose old versions the change record reads: goals.yml and what
    `_sort_files` takes for pages. Listed without checking anything: for a folder without errors, the
    pages `load_student` finds (a folder with errors is not built)."""
    folder = str(root / "students" / name)
    found = [f"students/{name}/goals.yml"]
    for current, dirs, files in os.walk(folder, followlinks=False):  # a link to a folder is not entered
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        inside = current[len(folder) + 1 :].replace(os.sep, "/")
        for file in files:
            inner = f"{inside}/{file}" if inside else file
            page = file.endswith(".md") and not file.startswith(".") and not inner.startswith(f"{ARTIFACTS}/")
            if page and inner not in (CONFERENCE, "index.md"):
                found.append(f"students/{name}/{inner}")
    return found


def _load_page(root: Path, path: str, inner: str, district: District, report: Report) -> Page | None:
    markdown = load_front_matter(root, path, "page", "'title: ...'", report, keep_invalid=True)
    if markdown is None or markdown.meta is None:
        return None
    meta = markdown.meta.data
    folder = inner.split("/")[0] if "/" in inner else None
    section = meta.get("section") or folder
    framework = district.framework
    if section is None:
        report.error(path, 1, "page is not in a section folder; move it into one or add 'section:' to its front matter")
        return None
    if framework is not None and section not in framework.section_ids and district.foreign is not None:
        report.warning(
            path,
            markdown.meta.line(("section",)) if "section" in meta else 1,
            f"section '{section}' is from the {district.foreign} framework this record came from; the page is shown "
            "under 'Earlier plan', private unless it says otherwise (move it into one of this district's sections)",
        )
    elif framework is not None and section not in framework.section_ids:
        line = markdown.meta.line(("section",)) if "section" in meta else 1
        origin = "section" if "section" in meta else "folder"
        report.error(
            path,
            line,
            f"unknown {origin} '{section}'{did_you_mean(section, framework.section_ids)} {expected(framework.section_ids)}",
        )
        return None
    return Page(path, inner, section, meta, parse_body(markdown, report), markdown.meta)
