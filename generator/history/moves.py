"""Moving a student's folder out of the active roster, history kept (the only module that moves folders in git).

A graduate's folder goes from students/<id>/ to graduates/<id>/ at the repository's root. Only
students/ is built, so the sites stop publishing the student, while the folder and its change record
stay in the repository (`git log --follow graduates/<id>/...` follows the files back through the
move). The move is staged, never committed: whoever runs it reviews it with `git diff --cached` and
commits it.
"""

from __future__ import annotations

import os
from pathlib import Path

import git

from generator.errors import IlpError

GRADUATES = "graduates"


def _repository(root: Path) -> git.Repo | None:
    """The git repository `root` is in, or None when it is in none (or git is not installed)."""
    try:
        return git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError, git.GitCommandNotFound):
        return None


def _tracked(repo: git.Repo, path: Path) -> bool:
    """Whether git knows anything under `path`: a file in the index, or the folder as a submodule."""
    try:
        return bool(repo.git.ls_files("--", str(path)).strip())
    except git.GitCommandError:
        return False


def move_to_graduates(root: Path, student_id: str) -> str:
    """Move students/<student_id>/ to graduates/<student_id>/ and say how ('git mv' or 'renamed').

    With `git mv` when git tracks the folder (a folder of files, or a submodule, whose .gitmodules
    entry git updates), so the move is staged and `git log --follow` follows every file through it;
    with a plain rename when the repository is not in git or git tracks nothing in the folder yet.
    Raises IlpError when the student's folder is missing or graduates/<student_id> already exists.
    """
    source = root / "students" / student_id
    target = root / GRADUATES / student_id
    if not source.is_dir() or source.is_symlink():
        raise IlpError(f"students/{student_id} is not a student folder; there is nothing to move")
    if target.exists() or target.is_symlink():
        raise IlpError(
            f"{GRADUATES}/{student_id} already exists, so students/{student_id} cannot be moved there; "
            f"compare the two folders, keep one, and run again"
        )
    created = not target.parent.exists()
    target.parent.mkdir(exist_ok=True)
    repo = _repository(root)
    try:
        if repo is not None and repo.working_tree_dir is not None:
            with repo:
                top = Path(repo.working_tree_dir).resolve()
                relative_source = source.resolve().relative_to(top)
                if _tracked(repo, relative_source):
                    relative_target = target.parent.resolve().relative_to(top) / student_id
                    repo.git.mv("--", str(relative_source), str(relative_target))
                    return "git mv"
        os.rename(source, target)
        return "renamed"
    except git.GitCommandError as exc:
        message = (exc.stderr or str(exc)).strip().removeprefix("stderr:").strip().strip("'").strip()
        raise IlpError(f"git could not move students/{student_id} to {GRADUATES}/{student_id}: {message}") from exc
    except OSError as exc:
        raise IlpError(
            f"could not move students/{student_id} to {GRADUATES}/{student_id}: {exc.strerror or exc}"
        ) from exc
    finally:
        if created and not any(target.parent.iterdir()):
            target.parent.rmdir()
