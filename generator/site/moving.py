"""Kept sites moved into the new output, not copied: one rename per site folder, at the last moment.

A site whose files are all kept (generator/site/cache.py) is moved from the output folder into the
staging folder just before the swap, instead of having each of its files linked again: a rebuild
then costs little more for a thousand unchanged students than for one. Moving takes the site out of
the previous output, so the moves are written down first, in `.<out>.moving-<pid>.json` beside it:

- an error or an interruption while moving or swapping puts every moved folder back at once;
- a build killed meanwhile (SIGKILL, a power cut) leaves its journal, and the next build into the same
  folder puts the folders back (and the previous output in its place, if the kill came between the
  two renames of the swap) before it starts;
- SIGINT, SIGTERM and SIGHUP wait until the moves and the swap are done (milliseconds), then act.

So an interrupted build leaves the previous site whole, as before, and one killed while it moves has
the previous site made whole again by the next build; a reader of the output folder while the moves
run may find a kept page missing for that moment.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

from generator.signals import STOPPING

DEFERRED = (signal.SIGINT, *STOPPING)


def journal(out: Path, pid: int | str) -> Path:
    return out.parent / f".{out.name}.moving-{pid}.json"


def move_in(out: Path, staging: Path, dests: list[str]) -> None:
    """Each site folder of `dests` from `out` into `staging` (the journal first; put back on any error)."""
    if not dests:
        return
    staging.mkdir(parents=True, exist_ok=True)
    notes = journal(out, os.getpid())
    notes.write_text(json.dumps({"staging": staging.name, "moved": dests}), encoding="utf-8")
    moved: list[str] = []
    try:
        for dest in dests:
            target = staging / dest
            target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(out / dest, target)
            moved.append(dest)
    except BaseException:
        put_back(out, staging, moved)
        raise


def put_back(out: Path, staging: Path, dests: list[str]) -> None:
    """Every folder of `dests` moved into `staging` back into `out`, where nothing took its place."""
    for dest in reversed(dests):
        source, target = staging / dest, out / dest
        if source.is_dir() and not source.is_symlink() and not target.exists() and target.parent.is_dir():
            with contextlib.suppress(OSError):
                os.rename(source, target)


def done(out: Path) -> None:
    """The moves of this build are over (the new output is in place, or they were put back)."""
    with contextlib.suppress(OSError):
        journal(out, os.getpid()).unlink()


def recover(out: Path, pid: str) -> None:
    """Undo what the killed build `pid` left half done: the previous output back in place, the folders
    it moved back into it, its journal gone."""
    old = out.parent / f".{out.name}.old-{pid}"
    if not out.exists() and old.is_dir():
        with contextlib.suppress(OSError):
            os.rename(old, out)
    notes = journal(out, pid)
    try:
        data = json.loads(notes.read_text(encoding="utf-8"))
        staging = out.parent / str(data["staging"])
        moved = [str(d) for d in data["moved"]]
    except (OSError, ValueError, KeyError, TypeError):
        moved = []
        staging = out
    if moved and staging.parent == out.parent and staging.name.startswith(f".{out.name}.building-"):
        put_back(out, staging, moved)
    with contextlib.suppress(OSError):
        notes.unlink()


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP held back (delivered when the block ends), where the system allows it."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, DEFERRED)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, DEFERRED)
