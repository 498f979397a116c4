"""`ilp split --out DIR`: a single-repository district turned into one repository per student.

    DIR/students/<id>.git     each student's repository (bare): their folder at its root, with every
                              commit that touched it (authors, dates, messages; other students unnamed)
    DIR/graduates/<id>.git    the same for each graduate
    DIR/district.git          the district's repository (bare), rewritten so that no commit holds a
                              student's files, referring to the students' repositories as submodules
    DIR/district/             a checkout of it with every submodule checked out, ready to build

The repository being split is only read. The submodules' URLs follow `--url` (`{id}` is replaced by
the student's id); the default, `../students/{id}.git`, is relative to the district's own URL, so
the layout works wherever the folder is and on a forge that nests repositories the same way.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from generator.commands.people import other_people
from generator.errors import IlpError
from generator.history import repos
from generator.history.git import student_repositories
from generator.history.scrub import settings_for
from generator.load.folders import student_folders

DEFAULT_URL = "../{top}/{id}.git"
TOPS = ("students", "graduates")


def _folders(root: Path) -> dict[str, list[str]]:
    graduates = root / "graduates"
    found = {"students": student_folders(root)}
    found["graduates"] = (
        sorted(p.name for p in graduates.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith("."))
        if graduates.is_dir()
        else []
    )
    return found


def check_template(url: str) -> None:
    """Refuse a repository URL template that cannot be filled for every student."""
    try:
        filled = url.format(top="students", id="x")
    except (KeyError, IndexError, ValueError, AttributeError):
        filled = ""
    if "{id}" not in url or not filled:
        raise IlpError(
            f"--url {url!r}: use {{id}} (and optionally {{top}}) and no other braces, "
            "such as 'git@forge.example.org:district/ilp-{id}.git'"
        )


def split_district(root: Path, out: Path, url: str = DEFAULT_URL) -> list[str]:
    """Split the district at `root` into `out`; return the repositories made."""
    root, out = root.resolve(), out.resolve()  # git runs in other folders
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise IlpError(f"--out {out} already exists and is not empty; choose a new folder")
    check_template(url)
    with repos.repository_of(root) as repo:
        if Path(repo.working_tree_dir or "").resolve() != root.resolve():
            raise IlpError(f"{root} is not the top of its git repository; split the repository from its top folder")
    if student_repositories(root):
        raise IlpError("some students already have their own repositories; ilp split works on a single repository")
    changed = repos.uncommitted(root)
    if changed:
        raise IlpError(f"the district has changes that are not committed ({', '.join(changed[:3])}); commit them first")
    folders = _folders(root)
    if not any(folders.values()):
        raise IlpError("there are no student folders to split")
    out.mkdir(parents=True, exist_ok=True)
    made: list[str] = []
    everyone = other_people(root, "")
    try:
        _repositories(root, out, folders, everyone, made)
        checkout = out / "district"
        repos.clone(out / "district.git", checkout)
        for top, names in folders.items():
            for name in names:
                # Checked out from the repository just made; the district then names it by `url` (which
                # need not exist yet: the forge's repositories are made from these).
                repos.add_submodule(checkout, DEFAULT_URL.format(top=top, id=name), f"{top}/{name}")
                if url != DEFAULT_URL:
                    repos.set_submodule_url(checkout, f"{top}/{name}", url.format(top=top, id=name))
        paths = [".gitmodules", *(f"{t}/{n}" for t, ns in folders.items() for n in ns)]
        repos.commit_paths(checkout, paths, SPLIT_MESSAGE)
        repos.push_current(checkout)
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)  # nothing half-made is left
        raise
    return [*made, "district.git", "district/"]


def _repositories(
    root: Path, out: Path, folders: dict[str, list[str]], everyone: list[dict[str, Any]], made: list[str]
) -> None:
    """Each student's repository and the district's, bare, in `out`."""
    with tempfile.TemporaryDirectory(prefix=".split-", dir=out) as work:
        for top, names in folders.items():
            for name in names:
                own = next((p for p in everyone if p["id"] == name), {"id": name})
                others = [p for p in everyone if p["id"] != name]
                cut = Path(work) / top / name
                repos.cut(root / top / name, cut, settings_for(others, own, scrub_files=False))
                repos.bare_from(cut, out / top / f"{name}.git")
                made.append(f"{top}/{name}.git")
        district = Path(work) / "district"
        repos.strip_students(root, district, settings_for(everyone, {}, scrub_files=False))
        repos.bare_from(district, out / "district.git")


SPLIT_MESSAGE = "Each student's ILP in a repository of their own (ilp split)"
