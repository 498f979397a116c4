"""SIGTERM and SIGHUP stop a command as Ctrl+C does.

A process manager stopping `ilp serve`, a CI job cancelled during `ilp build`, a closed terminal: by
Python's default these end the process at once, and the rendered pages in its temporary folders (a
student's pages, for any audience) stay on disk. Raised as KeyboardInterrupt instead, they run the
command's clean-up (`finally` blocks, the site builder's `close`), and click reports "Aborted!" with
a non-zero exit. The worker processes of a build, forked from it, have their own handler
(generator.building), and the moves and the swap of the output hold these signals back with Ctrl+C's
until they are done (generator.site.moving).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

STOPPING = tuple(number for number in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if number)


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


@contextmanager
def stopped_by_signals() -> Iterator[None]:
    """While inside: SIGTERM and SIGHUP raise KeyboardInterrupt (in the main thread, the only one that
    may handle signals; elsewhere nothing changes)."""
    before: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for number in STOPPING:
            before[number] = signal.signal(number, _interrupt)
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)
