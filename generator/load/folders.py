"""Stage 1: which files there are. Folder walks that follow nothing out and refuse what is not a file.

Every folder the generator reads is listed here: students/ and each student's folder, content/, the
lessons in curriculum/grade-NN/. Symlinks that lead out of a student's folder, symlink loops, folders
behind symlinks, devices, FIFOs and sockets, and names with control characters are reported with
their path, never followed or opened; an unreadable folder is reported, never silently skipped.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from generator.errors import Report

STUDENTS = "students"
LESSON_FOLDER = re.compile(r"^grade-(0[6-9]|1[0-2])$")


def student_folders(root: Path, report: Report | None = None) -> list[str]:
    """Names of the folders in students/ (a symlink among them is kept, for the student check to refuse)."""
    folder = root / STUDENTS
    if not folder.is_dir():
        return []
    names = []
    for name in _listing(folder, STUDENTS, report):
        path = folder / name
        if name.startswith(".") or not (path.is_dir() or path.is_symlink()):
            continue
        if _printable(name) != name:
            if report is not None:
                report.error(f"{STUDENTS}/{_printable(name)}", 1, CONTROL_NAME)
            continue
        if path.is_symlink() and not path.is_dir():
            continue
        names.append(name)
    return sorted(names)


def _listing(folder: Path, rel: str, report: Report | None) -> list[str]:
    try:
        return sorted(os.listdir(folder))
    except OSError as exc:
        if report is not None:
            report.error(rel, 1, f"cannot read this folder ({exc.strerror}); give the build read access to it")
        return []


def markdown_files(root: Path, top: str, report: Report) -> list[str]:
    """The .md files under `top` (such as content), relative to root: regular files only, names printable."""
    found: list[str] = []
    folder = root / top
    if not folder.is_dir():
        return found
    for current, dirs, files in os.walk(folder, followlinks=False, onerror=lambda e: _unreadable(root, e, report)):
        here = Path(current)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (here / d).is_symlink())
        for name in sorted(files):
            if name.startswith(".") or not name.endswith(".md"):
                continue
            rel = (here / name).relative_to(root).as_posix()
            problem = CONTROL_NAME if _printable(rel) != rel else _not_regular(here / name)
            if problem:
                report.error(_printable(rel), 1, problem)
                continue
            found.append(rel)
    return sorted(found)


def lesson_files(root: Path, report: Report | None = None) -> list[str]:
    """Lesson files, relative to root: curriculum/grade-NN/*.md (regular files only)."""
    folder = root / "curriculum"
    if not folder.is_dir():
        return []
    found: list[str] = []
    for name in _listing(folder, "curriculum", report):
        grade_dir = folder / name
        if not (name.startswith("grade-") and grade_dir.is_dir() and not grade_dir.is_symlink()):
            continue
        for file_name in _listing(grade_dir, f"curriculum/{name}", report):
            rel = f"curriculum/{name}/{file_name}"
            if not file_name.endswith(".md") or file_name.startswith("."):
                continue
            problem = CONTROL_NAME if _printable(rel) != rel else _not_regular(grade_dir / file_name)
            if problem:
                if report is not None:
                    report.error(_printable(rel), 1, problem)
                continue
            found.append(rel)
    return found


def _unreadable(root: Path, error: OSError, report: Report) -> None:
    where = Path(error.filename).relative_to(root).as_posix() if error.filename else "."
    report.error(where, 1, f"cannot read this folder ({error.strerror}); give the build read access to it")


def _not_regular(path: Path) -> str | None:
    try:
        mode = path.lstat().st_mode
    except OSError as exc:
        return f"cannot read this file ({exc.strerror})"
    if stat.S_ISLNK(mode):
        return "symlink; replace it with the file itself"
    if not stat.S_ISREG(mode):
        return "not a regular file (a device, pipe or socket); remove it"
    return None


def walk_student(folder: Path, rel: str, report: Report) -> list[str]:
    """Regular files in the student's folder (relative to it).

    Symlinks that lead out of the folder, symlink loops, folders behind symlinks, files that
    are not regular files and names with control characters are reported, never followed.
    """
    real_root = folder.resolve()
    found = []

    def unreadable(error: OSError) -> None:
        where = Path(error.filename).relative_to(folder).as_posix() if error.filename else "."
        shown = rel if where == "." else f"{rel}/{_printable(where)}"
        report.error(shown, 1, f"cannot read this folder ({error.strerror}); give the build read access to it")

    for current, dirs, files in os.walk(folder, followlinks=False, onerror=unreadable):
        here = Path(current)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (here / d).is_symlink())
        for nested in [d for d in dirs if os.path.lexists(here / d / ".git")]:
            dirs.remove(nested)  # another repository (a submodule inside the student's): never read
            shown = f"{rel}/{_printable((here / nested).relative_to(folder).as_posix())}"
            report.error(shown, 1, NESTED_REPOSITORY)
        links_to_dirs = [d for d in os.listdir(here) if (here / d).is_symlink() and d not in files]
        for name in sorted([*files, *links_to_dirs]):
            if name.startswith("."):
                continue
            path = here / name
            inner = path.relative_to(folder).as_posix()
            shown = f"{rel}/{_printable(inner)}"
            if shown != f"{rel}/{inner}":
                report.error(shown, 1, CONTROL_NAME)
                continue
            problem = _link_problem(path, real_root)
            if problem:
                report.error(shown, 1, problem)
                continue
            found.append(inner)
    return found


NESTED_REPOSITORY = (
    "a git repository inside the student's folder (a submodule?); remove it: a student's folder holds only "
    "their own files"
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
CONTROL_NAME = "file name has a control character, a line break or bytes that are not UTF-8; rename it"


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
        return "symlink; replace it with a copy of the file itself"
    if not stat.S_ISREG(mode):
        return "not a regular file (a device, pipe or socket); remove it"
    return None
