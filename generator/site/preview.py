"""MkDocs' live-reload server for `ilp serve` (MkDocs code stays in this package)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from mkdocs.livereload import LiveReloadServer

Server = LiveReloadServer  # the type `ilp serve` holds, without importing MkDocs itself


def live_server(
    rebuild: Callable[[], None], folder: Path, host: str, port: int, watched: Iterable[Path]
) -> LiveReloadServer:
    """A server (not yet serving) for `folder`, calling `rebuild` when a watched path changes."""
    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(folder))
    for path in watched:
        if path.exists():
            server.watch(str(path))
    return server


def serve_until_stopped(server: LiveReloadServer) -> None:
    """Serve until Ctrl+C, then shut the server down."""
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
