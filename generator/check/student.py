"""Stage 2 for a student folder: files -> a validated Student, every problem found.

A student's folder holds YAML files with fixed names, Markdown pages in
folders named for framework sections, and evidence files in ``artifacts/``.
Nothing is followed out of the folder: a symlink that leads out is an error,
and so is a link to another student's files.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from generator.check import schemas
from generator.markdown.slides import CONFERENCE
from generator.check.district import District
from generator.errors import Report, did_you_mean, expected
from generator.load.documents import Doc, LoadError, load_yaml
from generator.model import Page, Student
from generator.check.cross import cross_check
from generator.check.framework import load_front_matter, parse_body

STUDENT_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
STUDENT_FILES = {
    "profile.yml": "profile",
    "goals.yml": "goals",
    "courses.yml": "courses",
    "experiences.yml": "experiences",
    "checklist.yml": "checklist",
}
ARTIFACTS = "artifacts"


def student_folders(root: Path) -> list[str]:
    """Names of the folders in students/."""
    folder = root / "students"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def _walk(folder: Path, rel: str, report: Report) -> list[str]:
    """Regular files in the student's folder (relative to it).

    Symlinks that lead out of the folder, symlink loops, folders behind symlinks, files that
    are not regular files and names with control characters are reported, never followed.
    """
    real_root = folder.resolve()
    found = []
    for current, dirs, files in os.walk(folder, followlinks=False):
        here = Path(current)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (here / d).is_symlink())
        links_to_dirs = [d for d in os.listdir(here) if (here / d).is_symlink() and d not in files]
        for name in sorted([*files, *links_to_dirs]):
            if name.startswith("."):
                continue
            path = here / name
            inner = path.relative_to(folder).as_posix()
            shown = f"{rel}/{_printable(inner)}"
            if shown != f"{rel}/{inner}":
                report.error(
                    shown, 1, "file name has a control character, a line break or bytes that are not UTF-8; rename it"
                )
                continue
            problem = _link_problem(path, real_root)
            if problem:
                report.error(shown, 1, problem)
                continue
            found.append(inner)
    return found


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _printable(name: str) -> str:
    """The name with control characters and undecodable bytes escaped."""
    escaped = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", escaped)


def _link_problem(path: Path, real_root: Path) -> str | None:
    """Why a file cannot be read as part of the folder, or None."""
    try:
        target = path.resolve(strict=True) if path.is_symlink() else path
        mode = target.stat().st_mode
    except (RuntimeError, OSError):
        return "symlink that leads nowhere or in a loop; replace it with the file itself"
    if path.is_symlink():
        if not target.is_relative_to(real_root):
            return "symlink leads outside your folder; replace it with a copy of the file itself"
        if stat.S_ISDIR(mode):
            return "symlink to a folder; move the folder here instead"
    if not stat.S_ISREG(mode):
        return "not a regular file; remove it"
    return None


def load_student(root: Path, name: str, district: District) -> tuple[Student | None, Report]:
    """Load and check one student's folder."""
    report = Report()
    rel = f"students/{name}"
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
    files = _walk(folder, rel, report)
    docs: dict[str, Doc] = {}
    for file_name, schema in STUDENT_FILES.items():
        if file_name not in files:
            if file_name == "profile.yml":
                report.error(
                    f"{rel}/profile.yml", 1, "missing profile.yml; every student folder needs one (ilp new makes it)"
                )
            continue
        try:
            doc = load_yaml(folder / file_name, f"{rel}/{file_name}")
        except LoadError as exc:
            report.extend(exc.diagnostics)
            continue
        problems = schemas.validate(doc, schema)
        report.extend(problems)
        if not problems:
            docs[file_name] = doc
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
    )
    cross_check(root, student, files, district, report)
    return (None if report.errors else student), report


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
            markdown = load_front_matter(root, path, "conference", "'slides: [...]'", report)
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


def _load_page(root: Path, path: str, inner: str, district: District, report: Report) -> Page | None:
    markdown = load_front_matter(root, path, "page", "'title: ...'", report)
    if markdown is None or markdown.meta is None:
        return None
    meta = markdown.meta.data
    folder = inner.split("/")[0] if "/" in inner else None
    section = meta.get("section") or folder
    framework = district.framework
    if section is None:
        report.error(path, 1, "page is not in a section folder; move it into one or add 'section:' to its front matter")
        return None
    if framework is not None and section not in framework.section_ids:
        line = markdown.meta.line(("section",)) if "section" in meta else 1
        origin = "section" if "section" in meta else "folder"
        report.error(
            path,
            line,
            f"unknown {origin} '{section}'{did_you_mean(section, framework.section_ids)} {expected(framework.section_ids)}",
        )
        return None
    return Page(path, inner, section, meta, parse_body(markdown, report), markdown.meta)
