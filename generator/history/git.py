"""Stage 4: git -> the change record. The only module that talks to git (through GitPython).

It reads the history once for the whole district: one `git log` pass over
students/ with rename detection, and the versions of files it needs through
one persistent `git cat-file --batch` process. No git process per student or
per file. A folder that is not in a git repository, or a shallow clone, is
reported in the History it returns, never as an exception.

A student's folder may be a git submodule: the student's own repository,
checked out at students/<id>/. Its history is read the same way, one `git log`
pass and one `git cat-file` process for that repository, with its paths
placed under students/<id>/, so every later stage sees one district history.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable
from pathlib import Path

import git

from generator.model import Change, Commit, History

# Fields of one commit in `git log` output; the separators cannot appear in them.
_START, _FIELD, _END = "\x01", "\x1f", "\x02"
_FORMAT = _START + _FIELD.join(["%H", "%P", "%an", "%ae", "%aI", "%B"]) + _END


def unavailable(reason: str) -> History:
    return History(False, reason)


def _parse_log(raw: str, prefix: str, place: str = "") -> list[Commit]:
    """Commits from `git log` output; paths lose `prefix` and gain `place` (a student repository's folder)."""
    commits: list[Commit] = []
    for chunk in raw.split(_START)[1:]:
        header, _, names = chunk.partition(_END)
        sha, parents, author, email, date, message = header.split(_FIELD, 5)
        parts = [p for p in names.split("\x00") if p.strip("\n")]
        parts = [p.lstrip("\n") for p in parts]
        changes: list[Change] = []
        index = 0
        while index < len(parts):
            status = parts[index][:1]
            if status in ("R", "C") and index + 2 < len(parts) + 1:
                old, new = parts[index + 1], parts[index + 2]
                changes.append(Change(status, place + new.removeprefix(prefix), place + old.removeprefix(prefix)))
                index += 3
            else:
                changes.append(Change(status, place + parts[index + 1].removeprefix(prefix)))
                index += 2
        try:
            when = datetime.datetime.fromisoformat(date)
        except ValueError:
            when = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
        commits.append(
            Commit(sha, tuple(parents.split()), author, email.lower(), when, message.strip(), tuple(changes))
        )
    return commits


def student_repositories(root: Path, names: Iterable[str] | None = None) -> dict[str, Path]:
    """The student folders of `root` that are repositories of their own (a submodule's checkout), by id."""
    folder = root / "students"
    found: dict[str, Path] = {}
    if not folder.is_dir():
        return found
    for name in sorted(names if names is not None else os.listdir(folder)):
        marker = folder / name / ".git"
        inside = not name.startswith(".") and (folder / name).is_dir() and not (folder / name).is_symlink()
        if inside and (marker.is_file() or marker.is_dir()) and not marker.is_symlink():
            found[name] = folder / name
    return found


def read_history(root: Path, wanted: Iterable[str] = (), paths: Iterable[str] = ("students/",)) -> History:
    """The history of `root`'s students/ folder, and the text of the `wanted` files at each commit that changed them.

    `wanted` holds paths such as 'students/ava/goals.yml' (relative to `root`); `paths` limits the
    log to these paths (the whole students/ folder by default). Students whose folder is a
    repository of its own are read from it.
    """
    wanted, paths = set(wanted), list(paths)
    names = None if "students/" in paths else [p.split("/")[1] for p in paths if p.count("/") >= 2]
    own = student_repositories(root, names)
    district = _history_of(root, wanted, [p for p in paths if p.split("/")[1:2] not in ([n] for n in own)])
    if not own:
        return district
    commits = list(district.commits) if district.available else []
    versions = dict(district.versions)
    shallow = district.shallow
    unreadable: dict[str, str] = {}
    for name, folder in own.items():
        part = _history_of(folder, wanted, ["."], place=f"students/{name}/", own=True)
        if not part.available:  # that student's record only: the others are read
            unreadable[f"students/{name}/"] = part.reason
            continue
        commits.extend(part.commits)
        versions.update(part.versions)
        shallow = shallow or part.shallow
    commits.sort(key=lambda c: c.date, reverse=True)
    if not district.available and not commits:
        return district
    return History(True, "", shallow, tuple(commits), versions, unreadable)


def read_repository(folder: Path, wanted: Iterable[str], place: str) -> History:
    """The history of a student's own repository at `folder`, its paths under `place` (students/<id>/)."""
    return _history_of(folder, set(wanted), ["."], place=place, own=True)


def _history_of(root: Path, wanted: set[str], paths: list[str], place: str = "", own: bool = False) -> History:
    if not paths:
        return History(True)
    try:
        repo = git.Repo(root, search_parent_directories=not own)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return unavailable("this ILP is not kept in a git repository, so there is no change record yet")
    except git.GitCommandNotFound:
        return unavailable("git is not installed on the machine that built this site")
    try:
        with repo:
            return _read(repo, root, wanted, paths, place)
    except (git.GitCommandError, ValueError) as exc:
        if "does not have any commits" in str(exc) or "bad default revision" in str(exc):
            return unavailable("nothing has been committed yet, so there is no change record yet")
        return unavailable(f"git could not read the history ({str(exc).strip().splitlines()[0][:200]})")


def _read(repo: git.Repo, root: Path, wanted: set[str], paths: list[str], place: str = "") -> History:
    top = Path(repo.working_tree_dir or root).resolve()
    prefix = root.resolve().relative_to(top).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    shallow = repo.git.rev_parse("--is-shallow-repository").strip() == "true"
    raw = repo.git.log(
        "-z",
        "--name-status",
        "-M",
        f"--format={_FORMAT}",
        "--",
        *(prefix + path for path in paths),
        stdout_as_string=False,
    )
    commits = _parse_log(raw.decode("utf-8", errors="replace"), prefix, place)
    versions: dict[tuple[str, str], str] = {}
    for commit in commits:
        for change in commit.changes:
            if change.path in wanted and change.status != "D":
                inner = prefix + change.path.removeprefix(place)
                _, _, _, data = repo.git.get_object_data(f"{commit.sha}:{inner}")
                versions[(commit.sha, change.path)] = data.decode("utf-8", errors="replace")
    return History(True, "", shallow, tuple(commits), versions)


class Writer:
    """Makes commits with given authors and dates (for `ilp demo` and tests); the only writer of git history."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.repo = git.Repo.init(folder, initial_branch="main")

    def commit(
        self, files: dict[str, bytes | None], name: str, email: str, when: datetime.datetime, message: str
    ) -> None:
        """Write (bytes) or delete (None) `files` (relative paths) and commit them as `name` on `when`."""
        for rel, data in files.items():
            path = self.folder / rel
            if data is None:
                if path.exists():
                    self.repo.index.remove([rel], working_tree=True)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            self.repo.index.add([rel])
        self._commit(name, email, when, message)

    def move(self, old: str, new: str, name: str, email: str, when: datetime.datetime, message: str) -> None:
        (self.folder / new).parent.mkdir(parents=True, exist_ok=True)
        self.repo.index.move([old, new])
        self._commit(name, email, when, message)

    def merge_history(self, other: Path, name: str, email: str, when: datetime.datetime, message: str) -> None:
        """Merge another repository's whole history (a student's folder arriving from elsewhere)."""
        stamp = f"{int(when.timestamp())} +0000"
        env = {
            "GIT_AUTHOR_NAME": name,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_AUTHOR_DATE": stamp,
            "GIT_COMMITTER_NAME": name,
            "GIT_COMMITTER_EMAIL": email,
            "GIT_COMMITTER_DATE": stamp,
        }
        self.repo.git.fetch(str(other), "HEAD")
        self.repo.git.merge("FETCH_HEAD", "--allow-unrelated-histories", "--no-edit", "-m", message, env=env)

    def _commit(self, name: str, email: str, when: datetime.datetime, message: str) -> None:
        actor = git.Actor(name, email)
        stamp = f"{int(when.timestamp())} +0000"
        self.repo.index.commit(message, author=actor, committer=actor, author_date=stamp, commit_date=stamp)
