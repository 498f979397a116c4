"""Repositories of their own: one student's history cut out, carried in, or checked out as a submodule.

`cut` runs git filter-repo on a fresh clone, so the repository it reads is never changed. The
student's files end at the root of the new repository (its folder in the district), every commit
that touched them is kept with its author, date and message, reworded where it names another
student (scrub.py).
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import git

from generator.errors import IlpError
from generator.history.scrub import Settings

# Git refuses local paths in submodules unless asked (CVE-2022-39253); we ask only for a path or file:// URL
# that the user gave or that we made.
ALLOW_FILE = ("-c", "protocol.file.allow=always")
FALLBACK_IDENTITY = {"GIT_AUTHOR_NAME": "ilp", "GIT_AUTHOR_EMAIL": "ilp@localhost"}


def _filter_repo(folder: Path, args: list[str], settings: Settings) -> None:
    """Run git filter-repo in `folder` with our callbacks reading `settings`."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as handle:
        handle.write(settings.as_json())
    env = {**os.environ, "ILP_SCRUB_SETTINGS": handle.name, "PYTHONPATH": _import_path()}
    command = [
        sys.executable,
        "-c",
        "import git_filter_repo, sys; sys.argv[0] = 'git-filter-repo'; git_filter_repo.main()",
        "--force",
        "--quiet",
        "--commit-callback",
        "from generator.history import scrub; scrub.commit(commit)",
        "--file-info-callback",
        "from generator.history import scrub; return scrub.file_info(filename, mode, blob_id, value)",
        *args,
    ]
    try:
        done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, check=False)
    finally:
        os.unlink(handle.name)
    if done.returncode:
        raise IlpError(f"git filter-repo could not rewrite the history: {_last_line(done.stderr or done.stdout)}")


def _import_path() -> str:
    here = str(Path(__file__).resolve().parents[2])
    return os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH", "")) if p)


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else "no message"


def repository_of(folder: Path) -> git.Repo:
    try:
        return git.Repo(folder, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise IlpError(f"{folder} is not in a git repository; commit the district to git first") from None


def uncommitted(folder: Path) -> list[str]:
    """Files under `folder` with changes git has not committed (the student's own repository, or the district's)."""
    with repository_of(folder) as repo:
        top = Path(repo.working_tree_dir or folder).resolve()
        inner = folder.resolve().relative_to(top).as_posix()
        out = repo.git.status("--porcelain", "--untracked-files=all", "--", inner or ".")
    return [line[3:] for line in out.splitlines() if line.strip()]


def departed(root: Path, present: set[str]) -> dict[str, str | None]:
    """Student folders that some commit had and today's tree has not: their id, and their last profile.yml."""
    found: dict[str, str | None] = {}
    try:
        with repository_of(root) as repo:
            names = repo.git.log("--all", "--name-only", "--format=", "--", "students/", "graduates/")
            for path in names.splitlines():
                parts = path.split("/")
                if len(parts) > 2 and parts[1] not in present and parts[1] not in found:
                    found[parts[1]] = None
            for name in list(found):
                for top in ("students", "graduates"):
                    rel = f"{top}/{name}/profile.yml"
                    sha = repo.git.log("--all", "-1", "--format=%H", "--diff-filter=AM", "--", rel).strip()
                    if sha:
                        found[name] = repo.git.show(f"{sha}:{rel}")
                        break
    except (IlpError, git.GitCommandError):
        return found
    return found


def staged_or_changed(root: Path) -> list[str]:
    """Tracked files of the repository at `root` with changes not committed (untracked files do not count)."""
    with repository_of(root) as repo:
        out = repo.git.status("--porcelain", "--untracked-files=no")
    return [line[3:] for line in out.splitlines() if line.strip()]


def exported_history(folder: Path) -> str | None:
    """Why `folder` is not the history of an ILP export, or None when it is (a repository whose HEAD has profile.yml)."""
    try:
        repo = git.Repo(folder)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return "history/ is not a git repository"
    with repo:
        if not repo.head.is_valid():
            return "history/ has no commits"
        if "profile.yml" not in [item.path for item in repo.head.commit.tree.blobs]:
            return "history/ has no profile.yml at its root"
    return None


def _folder_args(top: Path, inner: str) -> list[str]:
    """filter-repo arguments that keep `inner` (students/<id>) at the root, and the folders it was renamed from.

    A folder counts as the student's earlier name only where a commit renamed its profile.yml into
    `inner` (or into an earlier name): a page moved in from another student brings none of their history.
    """
    names = [inner]
    with git.Repo(top) as repo:
        raw = repo.git.log("-M", "--name-status", "--format=", "--diff-filter=R", "--", posixpath.dirname(inner) or ".")
    renames = [line.split("\t") for line in raw.splitlines() if line.startswith("R")]
    changed = True
    while changed:
        changed = False
        for _, old, new in (r for r in renames if len(r) == 3):
            earlier = posixpath.dirname(old)
            if posixpath.basename(old) == "profile.yml" and posixpath.dirname(new) in names and earlier not in names:
                names.append(earlier)
                changed = True
    args: list[str] = []
    for name in names:
        args += ["--path", f"{name}/", "--path-rename", f"{name}/:"]
    return args


def cut(folder: Path, out: Path, settings: Settings) -> int:
    """A new repository at `out` with the files of `folder` at its root and every commit that touched them.

    `folder` is a student's folder: inside the district's repository, or a repository of its own.
    Returns the number of commits kept.
    """
    with repository_of(folder) as repo:
        top = Path(repo.working_tree_dir or folder).resolve()
        inner = folder.resolve().relative_to(top).as_posix()
        branch = repo.active_branch.name if not repo.head.is_detached else None
    if out.exists() and any(out.iterdir()):
        raise IlpError(f"{out} already exists and is not empty; choose another --out or remove it")
    clone = ["clone", "--quiet", "--no-local", "--single-branch", "--no-tags"]
    git.Git().execute(["git", *ALLOW_FILE, *clone, *(["--branch", branch] if branch else []), str(top), str(out)])
    args = [] if inner in ("", ".") else _folder_args(top, inner)
    _filter_repo(out, args, settings)
    _main_branch(out)
    shutil.rmtree(out / ".git" / "filter-repo", ignore_errors=True)  # its maps name the district's commits
    with git.Repo(out) as result:
        for remote in list(result.remotes):
            result.delete_remote(remote)
        count = int(result.git.rev_list("--count", "HEAD")) if result.head.is_valid() else 0
    if not count:
        raise IlpError(f"{inner or folder}: no commit touches this folder; commit the student's files first")
    return count


def _main_branch(folder: Path) -> None:
    """Name the one branch of a new repository `main` (not the district's branch name, which may name anyone)."""
    with git.Repo(folder) as repo:
        if repo.head.is_valid() and not repo.head.is_detached and repo.active_branch.name != "main":
            repo.git.branch("-M", "main")


def place(history: Path, out: Path, folder: str, settings: Settings) -> None:
    """A fresh copy of an exported `history` repository at `out`, its files moved into `folder` (students/<id>)."""
    git.Git().execute(["git", *ALLOW_FILE, "clone", "--quiet", "--no-local", str(history), str(out)])
    _filter_repo(out, ["--to-subdirectory-filter", folder] if folder else [], settings)
    _main_branch(out)


def merge_in(root: Path, source: Path, message: str) -> None:
    """Merge the history of `source` into the district at `root` (unrelated histories, no conflicts)."""
    with repository_of(root) as repo:
        env = _identity(repo)
        repo.git.fetch(str(source), "HEAD", env=env)
        repo.git.merge("FETCH_HEAD", "--allow-unrelated-histories", "--no-edit", "-m", message, env=env)


def _identity(repo: git.Repo) -> dict[str, str]:
    """The environment for a commit: the user's own git identity, or a stand-in when git has none."""
    try:
        repo.git.config("user.email")
        return {}
    except git.GitCommandError:
        name, email = FALLBACK_IDENTITY["GIT_AUTHOR_NAME"], FALLBACK_IDENTITY["GIT_AUTHOR_EMAIL"]
        return {
            "GIT_AUTHOR_NAME": name,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_COMMITTER_NAME": name,
            "GIT_COMMITTER_EMAIL": email,
        }


def commit_paths(root: Path, paths: list[str], message: str) -> None:
    """Stage `paths` (relative to the repository of `root`) and commit them."""
    with repository_of(root) as repo:
        env = _identity(repo)
        repo.git.add("--", *paths)
        repo.git.commit("--quiet", "-m", message, "--", *paths, env=env)


def add_submodule(root: Path, url: str, folder: str) -> None:
    """Check out the repository at `url` as the submodule `folder` of the district at `root`."""
    with repository_of(root) as repo:
        args = ALLOW_FILE if _local(url) else ()
        try:
            repo.git.execute(
                ["git", *args, "submodule", "add", "--quiet", "-b", "main", "--", url, folder], env=_identity(repo)
            )
            repo.git.execute(["git", "submodule", "absorbgitdirs", "--", folder])
        except git.GitCommandError as exc:
            raise IlpError(f"git could not add {url} at {folder}: {_last_line(str(exc.stderr))}") from None


def set_submodule_url(root: Path, folder: str, url: str) -> None:
    """Name the submodule `folder` by `url` in .gitmodules (its checkout stays as it is)."""
    with repository_of(root) as repo:
        repo.git.config("--file", ".gitmodules", f"submodule.{folder}.url", url)
        repo.git.submodule("sync", "--quiet", "--", folder)


def push_new(folder: Path, url: str, message: str) -> None:
    """Make `folder` a repository with its files as the first commit, and push it to the empty repository `url`."""
    repo = git.Repo.init(folder, initial_branch="main")
    with repo:
        env = _identity(repo)
        repo.git.add("--all")
        repo.git.commit("--quiet", "-m", message, env=env)
        repo.git.remote("add", "origin", url)
        try:
            repo.git.execute(["git", *(ALLOW_FILE if _local(url) else ()), "push", "--quiet", "origin", "main"])
        except git.GitCommandError as exc:
            raise IlpError(f"git could not push to {url}: {_last_line(str(exc.stderr))}") from None


def push_to(folder: Path, url: str) -> None:
    """Push the repository at `folder` to the empty repository `url`, as its main branch."""
    with git.Repo(folder) as repo:
        try:
            repo.git.execute(
                ["git", *(ALLOW_FILE if _local(url) else ()), "push", "--quiet", "--", url, "HEAD:refs/heads/main"]
            )
        except git.GitCommandError as exc:
            raise IlpError(f"git could not push to {url}: {_last_line(str(exc.stderr))}") from None


def push_current(folder: Path) -> None:
    """Push the student's repository checked out at `folder` to where it came from."""
    with git.Repo(folder) as repo:
        url = repo.remotes.origin.url if repo.remotes else ""
        try:
            repo.git.execute(
                ["git", *(ALLOW_FILE if _local(url) else ()), "push", "--quiet", "origin", "HEAD:refs/heads/main"]
            )
        except git.GitCommandError as exc:
            raise IlpError(f"git could not push {folder}: {_last_line(str(exc.stderr))}") from None


def has_commits(url: str) -> bool:
    """Whether the repository at `url` has any branch; an unreachable one is an error."""
    try:
        out = git.Git().execute(["git", *(ALLOW_FILE if _local(url) else ()), "ls-remote", "--heads", "--", url])
    except git.GitCommandError as exc:
        raise IlpError(f"--repo {url}: git cannot reach this repository ({_last_line(str(exc.stderr))})") from None
    return bool(str(out).strip())


def _local(url: str) -> bool:
    return url.startswith(("file://", "/", "./", "../")) or (":" not in url)


def bare_from(source: Path, out: Path) -> None:
    """A bare copy of the repository at `source` (for a local forge)."""
    git.Git().execute(["git", *ALLOW_FILE, "clone", "--quiet", "--bare", "--no-local", str(source), str(out)])


def clone(source: Path, out: Path) -> None:
    git.Git().execute(["git", *ALLOW_FILE, "clone", "--quiet", str(source), str(out)])


def strip_students(source: Path, out: Path, settings: Settings) -> None:
    """A copy of the repository at `source` at `out` whose commits hold no file under students/ or graduates/
    but students/roster.yml: not today's folders only, but every folder any commit ever had there."""
    git.Git().execute(["git", *ALLOW_FILE, "clone", "--quiet", "--no-local", str(source), str(out)])
    _filter_repo(out, [], dataclasses.replace(settings, only_roster=True))
    with git.Repo(out) as result:
        for remote in list(result.remotes):
            result.delete_remote(remote)
