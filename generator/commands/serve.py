"""`ilp serve`: a live preview of one student's site, rebuilt when a file is saved.

Uses MkDocs' live-reload server (generator.site.preview): it watches the student's folder, the
curriculum, the district pages, the theme and mkdocs.yml, rebuilds just this
student for one audience into a temporary folder, and reloads the browser.
"""

from __future__ import annotations

import datetime
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from generator.errors import IlpError
from generator.pipeline import build
from generator.site.builder import THEME_DIR
from generator.site.preview import Server, live_server, serve_until_stopped

WATCHED = ("curriculum", "content", "mkdocs.yml")


def preview_server(
    root: Path,
    student_id: str,
    audience: str,
    host: str,
    port: int,
    today: datetime.date | None = None,
    say: Callable[[str], None] = print,
) -> tuple[Server, str, Path]:
    """A server (not yet serving), the URL of the student's home page, and the folder it serves."""
    folder = root / "students" / student_id
    if not folder.is_dir():
        raise IlpError(f"students/{student_id} does not exist; run: ilp new {student_id} --name NAME --grade N")
    serve_dir = Path(tempfile.mkdtemp(prefix="ilp-serve-"))
    out = serve_dir / "site"

    def rebuild() -> None:
        result = build(root, out, today, only={student_id}, audiences=(audience,))
        for diagnostic in result.report.sorted():
            say(diagnostic.format())
        if not (out / audience / student_id / "index.html").is_file():
            say(f"Nothing of students/{student_id} is shared with '{audience}' yet, or it has errors (see above).")
        else:
            say(f"Rebuilt students/{student_id} as the {audience} view.")

    rebuild()
    server = live_server(rebuild, out, host, port, (folder, THEME_DIR, *(root / name for name in WATCHED)))
    return server, f"{server.url.rstrip('/')}/{audience}/{student_id}/", serve_dir


def serve(root: Path, student_id: str, audience: str, host: str, port: int, today: datetime.date | None) -> None:
    server, url, serve_dir = preview_server(root, student_id, audience, host, port, today)
    print(f"Previewing {url} (press Ctrl+C to stop)")
    try:
        serve_until_stopped(server)
    finally:
        shutil.rmtree(serve_dir, ignore_errors=True)
