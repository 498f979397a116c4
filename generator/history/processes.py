"""git's own processes for the history reader (generator.history.git): a streamed `git log`, and one
`git cat-file --batch` fed with blob ids as they become known while a thread reads the contents.

They are started as GitPython starts git (its git executable, English messages), and a failure
raises the GitCommandError GitPython would, so the reader reports both the same way.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, cast

import git


class Process:
    """A git process; what it writes to stderr is kept in a file (never a full pipe), read when it ends."""

    def __init__(self, cwd: Path, *args: str, stdin: bool = False) -> None:
        self.command = [str(git.Git.GIT_PYTHON_GIT_EXECUTABLE or "git"), *args]
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed by finish()
        env = {**os.environ, "LANGUAGE": "C", "LC_ALL": "C"}
        try:
            self.proc = subprocess.Popen(
                self.command,
                cwd=cwd,
                env=env,
                stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=self.errors,
            )
        except FileNotFoundError as exc:
            self.errors.close()
            raise git.GitCommandNotFound(self.command, exc) from exc

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
            raise git.GitCommandError(self.command, status, stderr)

    def stop(self) -> None:
        """End git now (its output is not needed)."""
        with contextlib.suppress(OSError):
            self.proc.kill()

    def kill(self) -> None:
        """End git now and wait for it, whatever state it is in."""
        self.stop()
        with contextlib.suppress(OSError, ValueError, git.GitCommandError):
            if self.proc.stdin is not None:
                self.proc.stdin.close()
        with contextlib.suppress(OSError, ValueError, git.GitCommandError):
            self.finish()


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
