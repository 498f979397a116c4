"""Stage 4: git -> the change record. With history/processes.py, the only module that talks to git.

It reads the history once for the whole district: one `git log --raw` pass over
students/ with rename detection, parsed as it streams, and the versions of files
it needs by the blob ids that log names, through one `git cat-file --batch`
process fed while the log is read. No git process per student or per file. A
folder that is not in a git repository, or a shallow clone, is reported in the
History it returns, never as an exception.

`start()` begins that reading in a background thread, so that git works while the
build loads the students' files; `Reading.history()` waits for it.

A student's folder may be a git submodule: the student's own repository,
checked out at students/<id>/. Its history is read the same way, one `git log`
pass and one `git cat-file` process for that repository, with its paths
placed under students/<id>/, so every later stage sees one district history.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from generator.history.processes import Blobs, Process, commits, is_command_error, top_level
from generator.model import Change, Commit, History

if TYPE_CHECKING:
    import git

# With more student folders than this to read, the log reads the whole students/ folder (the versions read
# stay those asked for): git's time grows with the number of pathspecs (500 folders: 40 times slower).
MANY_FOLDERS = 16

# Fields of one commit in `git log` output; the separators cannot appear in them.
_START, _FIELD, _END = "\x01", "\x1f", "\x02"
_FORMAT = _START + _FIELD.join(["%H", "%P", "%an", "%ae", "%aI", "%B"]) + _END


def unavailable(reason: str) -> History:
    return History(False, reason)


def _parse_commit(chunk: str, prefix: str, place: str) -> tuple[Commit, list[tuple[str, str]]]:
    """One commit of `git log -z --raw` output (after its _START), and the (path, blob id) of each file it
    leaves behind; paths lose `prefix` and gain `place` (a student repository's folder)."""
    header, _, names = chunk.partition(_END)
    sha, parents, author, email, date, message = header.split(_FIELD, 5)
    parts = names.split("\x00")
    changes: list[Change] = []
    blobs: list[tuple[str, str]] = []
    index = 0
    while index < len(parts):
        item = parts[index].lstrip("\n")  # ':<old mode> <new mode> <old blob> <new blob> <status>'
        index += 1
        if not item.startswith(":"):
            continue
        fields = item.split(" ")
        status = fields[-1][:1]
        if status in ("R", "C"):
            old, new = parts[index], parts[index + 1]
            change = Change(status, place + new.removeprefix(prefix), place + old.removeprefix(prefix))
            index += 2
        else:
            change = Change(status, place + parts[index].removeprefix(prefix))
            index += 1
        changes.append(change)
        if status != "D":
            blobs.append((change.path, fields[3]))
    try:
        when = datetime.datetime.fromisoformat(date)
    except ValueError:
        when = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
    commit = Commit(sha, tuple(parents.split()), author, email.lower(), when, message.strip(), tuple(changes))
    return commit, blobs


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
    return start(root, paths, wanted).history()


def read_repository(folder: Path, wanted: Iterable[str], place: str) -> History:
    """The history of a student's own repository at `folder`, its paths under `place` (students/<id>/)."""
    source = _Source(folder, ["."], place, own=True)
    source.log(set(wanted), threading.Event())
    return source.history(None)


def start(root: Path, paths: Iterable[str] = ("students/",), wanted: Iterable[str] | None = None) -> Reading:
    """Begin reading the history (as `read_history`) in a background thread. The `wanted` files may be
    named now (their versions are then read while the log streams) or later, to `Reading.history()`."""
    return Reading(root, list(paths), None if wanted is None else set(wanted))


class Reading:
    """A history being read in the background: `history()` waits for it, `cancel()` stops it."""

    def __init__(self, root: Path, paths: list[str], wanted: set[str] | None) -> None:
        self.root, self.paths, self.wanted = root, paths, wanted
        self.sources: list[_Source] = []
        self.own: dict[str, Path] = {}
        self.error: BaseException | None = None
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="ilp-history", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            paths = self.paths
            names = None if "students/" in paths else [p.split("/")[1] for p in paths if p.count("/") >= 2]
            self.own = student_repositories(self.root, names)
            inside = [p for p in paths if p.split("/")[1:2] not in ([n] for n in self.own)]
            if len(inside) > MANY_FOLDERS:  # git matches every path against every pathspec: one is far faster
                inside = ["students/"]
            self.sources.append(_Source(self.root, inside))
            self.sources.extend(_Source(f, ["."], f"students/{n}/", own=True) for n, f in self.own.items())
            for source in list(self.sources):
                if self.stop.is_set():
                    return
                source.log(self.wanted, self.stop)
        except BaseException as exc:  # raised where the history is asked for, as if read there
            self.error = exc

    def history(self, wanted: Iterable[str] | None = None) -> History:
        """The history, with the versions of the `wanted` files (named here or to `start()`, not both)."""
        if wanted is not None and self.wanted is not None:
            raise TypeError("the wanted files were named when the reading started")
        self.thread.join()
        if self.error is not None:
            raise self.error
        later = None if self.wanted is not None else set(wanted or ())
        district, *own = [source.history(later) for source in self.sources]
        if not own:
            return district
        commits = list(district.commits) if district.available else []
        versions = dict(district.versions)
        shallow = district.shallow
        unreadable: dict[str, str] = {}
        for name, part in zip(self.own, own, strict=True):
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

    def cancel(self) -> None:
        """Stop reading (the history is not needed after all): git is stopped, the thread ended."""
        self.stop.set()
        for source in self.sources:
            source.terminate()
        self.thread.join()


def _feed(process: Process, shas: list[str]) -> None:
    with contextlib.suppress(OSError, ValueError):
        process.stdin.write("".join(f"{sha}\n" for sha in shas).encode())
        process.stdin.close()


def _failure(exc: Exception) -> History:
    if "does not have any commits" in str(exc) or "bad default revision" in str(exc):
        return unavailable("nothing has been committed yet, so there is no change record yet")
    return unavailable(f"git could not read the history ({str(exc).strip().splitlines()[0][:200]})")


class _Source:
    """One repository's history: its `git log` parsed as it streams, the versions it needs by blob id."""

    def __init__(self, root: Path, paths: list[str], place: str = "", own: bool = False) -> None:
        self.root, self.paths, self.place, self.own = root, paths, place, own
        self.top = root
        self.result: History | None = None  # when there is nothing more to read
        self.shallow = False
        self.commits: list[Commit] = []
        self.versions: list[tuple[str, str, str]] = []  # (commit, path, blob id): every version the log names
        self.blobs = Blobs(root)
        self.contents: dict[str, bytes] | None = None  # when the versions were read with the log
        self.process: Process | None = None

    def log(self, wanted: set[str] | None, stop: threading.Event) -> None:
        """Read the log (and the `wanted` versions with it, when they are known)."""
        if not self.paths:
            self.result = History(True)
            return
        found = top_level(self.root, parents=not self.own)
        if found is None:
            self._log_through_gitpython(wanted, stop)
            return
        top, shallow = found
        self._reading(lambda: self._log(top, lambda: shallow, wanted, stop))

    def _log_through_gitpython(self, wanted: set[str] | None, stop: threading.Event) -> None:
        """`log()` in a repository git's own answer did not place plainly: GitPython finds it, and says what
        is wrong when it cannot."""
        import git

        try:
            repo = git.Repo(self.root, search_parent_directories=not self.own)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            self.result = unavailable("this ILP is not kept in a git repository, so there is no change record yet")
            return
        except git.GitCommandNotFound:
            self.result = unavailable("git is not installed on the machine that built this site")
            return

        def read() -> None:
            with repo:
                top = Path(repo.working_tree_dir or self.root).resolve()
                self._log(top, lambda: repo.git.rev_parse("--is-shallow-repository").strip() == "true", wanted, stop)

        self._reading(read)

    def _reading(self, read: Callable[[], None]) -> None:
        """Run `read`; a failure of git (or an unreadable answer) becomes this source's result."""
        try:
            read()
        except Exception as exc:
            self.blobs.kill()
            if not isinstance(exc, ValueError) and not is_command_error(exc):
                raise
            self.result = _failure(exc)
        except BaseException:
            self.blobs.kill()
            raise

    def _log(self, top: Path, shallow: Callable[[], bool], wanted: set[str] | None, stop: threading.Event) -> None:
        self.top = top
        prefix = self.root.resolve().relative_to(self.top).as_posix()
        prefix = "" if prefix == "." else prefix + "/"
        self.shallow = shallow()
        self.blobs.cwd = self.top
        specs = [prefix + path for path in self.paths]
        self.process = Process(self.top, "log", "-z", "--raw", "--no-abbrev", "-M", f"--format={_FORMAT}", "--", *specs)
        try:
            for chunk in commits(self.process.stdout, _START.encode(), stop):
                commit, blobs = _parse_commit(chunk, prefix, self.place)
                self.commits.append(commit)
                for path, blob in blobs:
                    if wanted is None or path in wanted:
                        self.versions.append((commit.sha, path, blob))
                        if wanted is not None:
                            self.blobs.ask(blob)
        except BaseException:
            self.process.kill()
            raise
        if stop.is_set():
            self.process.kill()
            self.blobs.kill()
            return
        self.process.finish()
        if not self.own and "students/" not in self.paths:
            self._whole_renames(prefix)
        if wanted is not None:
            self.contents = self.blobs.finish()

    def _whole_renames(self, prefix: str) -> None:
        """With the log limited to some students' folders, git pairs a rename only inside them: a file moved
        in from another folder shows as added, one moved out as removed. The commits that add, remove or
        rename anything are read again over the whole students/ folder, so every change is told as the
        district's whole log tells it (then kept where it touches these folders)."""
        again = [c.sha for c in self.commits if any(change.status in "ADRC" for change in c.changes)]
        if not again:
            return
        process = Process(
            self.top, "log", "--no-walk=unsorted", "--stdin", "-z", "--raw", "--no-abbrev", "-M",
            f"--format={_FORMAT}", "--", prefix + "students/", stdin=True,
        )  # fmt: skip
        feeder = threading.Thread(target=_feed, args=(process, again), daemon=True)
        feeder.start()
        told: dict[str, tuple[Change, ...]] = {}
        try:
            for chunk in commits(process.stdout, _START.encode(), threading.Event()):
                commit, _blobs = _parse_commit(chunk, prefix, self.place)
                told[commit.sha] = commit.changes
        except BaseException:
            process.kill()
            raise
        feeder.join()
        process.finish()
        folders = tuple(self.paths)
        for index, commit in enumerate(self.commits):
            if commit.sha in told:
                changes = tuple(
                    c for c in told[commit.sha] if c.path.startswith(folders) or (c.old_path or "").startswith(folders)
                )
                self.commits[index] = dataclasses.replace(commit, changes=changes)

    def terminate(self) -> None:
        if self.process is not None:
            self.process.stop()

    def history(self, wanted: set[str] | None) -> History:
        """The history read, with the versions of the `wanted` files (None: those named to `log()`)."""
        if self.result is not None:
            return self.result
        try:
            if self.contents is None:
                self.versions = [v for v in self.versions if wanted is not None and v[1] in wanted]
                for _, _, blob in self.versions:
                    self.blobs.ask(blob)
                self.contents = self.blobs.finish()
        except Exception as exc:
            if not isinstance(exc, ValueError) and not is_command_error(exc):
                raise
            self.blobs.kill()
            return _failure(exc)
        texts = {blob: data.decode("utf-8", errors="replace") for blob, data in self.contents.items()}
        versions = {(sha, path): texts[blob] for sha, path, blob in self.versions}
        return History(True, "", self.shallow, tuple(self.commits), versions)


class Writer:
    """Makes commits with given authors and dates (for `ilp demo` and tests); the only writer of git history."""

    def __init__(self, folder: Path) -> None:
        import git

        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.repo: git.Repo = git.Repo.init(folder, initial_branch="main")

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
        import git

        actor = git.Actor(name, email)
        stamp = f"{int(when.timestamp())} +0000"
        self.repo.index.commit(message, author=actor, committer=actor, author_date=stamp, commit_date=stamp)
