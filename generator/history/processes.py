"""git's own processes for the history reader (generator.history.git): a streamed `git log`, and one
`git cat-file --batch` fed with blob ids as they become known while a thread reads the contents.

They are started as GitPython starts git (its git executable, English messages), and a failure
raises the GitCommandError GitPython would, so the reader reports both the same way. GitPython is
loaded only when it is needed: for a failure, when its settings name the git to run, or to find a
repository `top_level` cannot (`ilp check` of a plain clone never loads it).
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, cast

# The variables with which GitPython finds a repository its own way (top_level leaves those to it).
_GITPYTHON_ENVIRONMENT = ("GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY")


def _gitpython() -> Any:
    """GitPython, loaded now if it was not (loading it checks that git runs, as it always did)."""
    import git

    return git


def executable() -> str:
    """The git that GitPython runs: its setting, when it is loaded or the environment names one; else git."""
    if "git" in sys.modules or "GIT_PYTHON_GIT_EXECUTABLE" in os.environ:
        return str(_gitpython().Git.GIT_PYTHON_GIT_EXECUTABLE or "git")
    return "git"


def is_command_error(exc: BaseException) -> bool:
    """Whether `exc` is GitPython's GitCommandError (none was raised if GitPython is not loaded)."""
    gitpython = sys.modules.get("git")
    return gitpython is not None and isinstance(exc, gitpython.GitCommandError)


def _environment() -> dict[str, str]:
    return {**os.environ, "LANGUAGE": "C", "LC_ALL": "C"}


def _popen(args: tuple[str, ...], **options: Any) -> tuple[list[str], subprocess.Popen[bytes]]:
    """git started with `args` (and the command run); when git cannot be started before GitPython is loaded,
    GitPython is loaded (it fails as it always did without a git) and git started again with its setting."""
    command = [executable(), *args]
    try:
        return command, subprocess.Popen(command, **options)
    except OSError:
        if "git" in sys.modules:
            raise
    _gitpython()
    command = [executable(), *args]
    return command, subprocess.Popen(command, **options)


def top_level(folder: Path, parents: bool) -> tuple[Path, bool] | None:
    """The working tree `folder` is in (resolved) and whether its repository is shallow, as
    `git.Repo(folder, search_parent_directories=parents)` and `git rev-parse --is-shallow-repository`
    find them, told by one git process without loading GitPython.

    None when the answer is not a plain one (no repository, a bare or broken one, no git, a path or
    environment GitPython reads its own way, a working tree git and GitPython could place apart): the
    caller then asks GitPython, so every such case is answered, and fails, as GitPython does."""
    given = str(folder)
    if any(name in os.environ for name in _GITPYTHON_ENVIRONMENT) or "$" in given or given.startswith("~"):
        return None
    if sys.platform in ("win32", "cygwin"):
        return None
    place = os.path.normpath(os.path.abspath(given))
    if not os.path.isdir(place):
        return None
    while True:  # GitPython's walk: the first folder up from `folder` with a .git in it
        marker = os.path.join(place, ".git")
        if os.path.isdir(marker) or os.path.isfile(marker):
            break
        if os.path.lexists(marker) or os.path.lexists(os.path.join(place, "HEAD")) or not parents:
            return None  # a broken .git, or a folder that may be a repository itself
        place, below = os.path.dirname(place), place
        if place == below:
            return None
    try:
        done = subprocess.run(
            [executable(), "rev-parse", "--is-shallow-repository", "--show-toplevel"],
            cwd=place,
            env=_environment(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
        )
    except OSError:
        return None
    lines = os.fsdecode(done.stdout).split("\n")
    if done.returncode != 0 or len(lines) != 3 or lines[0] not in ("true", "false") or lines[2]:
        return None
    top = Path(place).resolve()
    if Path(lines[1]).resolve() != top:
        return None
    return top, lines[0] == "true"


class Process:
    """A git process; what it writes to stderr is kept in a file (never a full pipe), read when it ends."""

    def __init__(self, cwd: Path, *args: str, stdin: bool = False) -> None:
        self.command = [executable(), *args]
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed by finish()
        try:
            self.command, self.proc = _popen(
                args,
                cwd=cwd,
                env=_environment(),
                stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=self.errors,
            )
        except FileNotFoundError as exc:
            self.errors.close()
            raise _gitpython().GitCommandNotFound(self.command, exc) from exc

    @property
    def stdin(self) -> IO[bytes]:
        assert self.proc.stdin is not None
        return self.proc.stdin

    @property
    def stdout(self) -> io.BufferedReader:
        return cast(io.BufferedReader, self.proc.stdout)

    def finish(self) -> None:
        """Wait for git; a failure raises the GitCommandError GitPython would."""
        status = self.proc.wait()
        self.stdout.close()
        self.errors.seek(0)
        stderr = self.errors.read()
        self.errors.close()
        if status != 0:
            raise _gitpython().GitCommandError(self.command, status, stderr)

    def stop(self) -> None:
        """End git now (its output is not needed)."""
        with contextlib.suppress(OSError):
            self.proc.kill()

    def kill(self) -> None:
        """End git now and wait for it, whatever state it is in."""
        self.stop()
        with contextlib.suppress(OSError, ValueError):
            if self.proc.stdin is not None:
                self.proc.stdin.close()
        try:
            self.finish()
        except Exception as exc:
            if not isinstance(exc, (OSError, ValueError)) and not is_command_error(exc):
                raise


def commits(stream: io.BufferedReader, start: bytes, stop: threading.Event) -> Iterator[str]:
    """The commits of `git log` output (the text after each `start` separator), decoded, as they arrive."""
    pending, started = b"", False
    while not stop.is_set() and (block := stream.read1(1 << 16)):
        pieces = (pending + block).split(start)
        pending = pieces.pop()
        if pieces and not started:  # what comes before the first commit
            started = True
            del pieces[0]
        for piece in pieces:
            yield piece.decode("utf-8", errors="replace")
    if started and not stop.is_set():
        yield pending.decode("utf-8", errors="replace")


class Blobs:
    """One `git cat-file --batch` process, started for the first blob asked for: ids go in as they
    become known, a thread reads the contents (so git never waits on a full pipe)."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        self.process: Process | None = None
        self.asked: set[str] = set()
        self.contents: dict[str, bytes] = {}
        self.error: ValueError | None = None
        self.reader = threading.Thread(target=self._read, name="ilp-history-blobs", daemon=True)

    def ask(self, blob: str) -> None:
        if blob in self.asked:
            return
        if self.process is None:
            self.process = Process(self.cwd, "cat-file", "--batch", "--buffer", stdin=True)
            self.reader.start()
        self.asked.add(blob)
        with contextlib.suppress(BrokenPipeError):  # git stopped: finish() says why
            self.process.stdin.write(blob.encode("ascii") + b"\n")

    def _read(self) -> None:
        assert self.process is not None
        out = self.process.stdout
        with contextlib.suppress(OSError, ValueError):  # closed by kill()
            while header := out.readline():
                fields = header.split()
                if len(fields) != 3:  # '<id> missing': read on, so that git is never stuck writing
                    found = header.strip()
                    self.error = self.error or ValueError(f"SHA could not be resolved, git returned: {found!r}")
                    continue
                self.contents[fields[0].decode("ascii")] = out.read(int(fields[2]))
                out.read(1)

    def finish(self) -> dict[str, bytes]:
        """The contents of every blob asked for, by id."""
        if self.process is None:
            return self.contents
        with contextlib.suppress(BrokenPipeError):
            self.process.stdin.close()
        self.reader.join()
        self.process.finish()
        if self.error is not None:
            raise self.error
        return self.contents

    def kill(self) -> None:
        if self.process is not None:
            self.process.stop()  # first, so that the reader meets the end of the output
            self.reader.join()
            self.process.kill()
