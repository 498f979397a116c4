"""`ilp serve`: a live preview of one student's site, rebuilt when a file is saved.

Uses MkDocs' live-reload server (generator.site.preview): it watches the student's folder, the
curriculum, the district pages, the theme and mkdocs.yml, rebuilds just this student for one
audience into a temporary folder, and reloads the browser. While the student's files have errors
(or the district's configuration has), the preview's pages show them, as `ilp check` prints them,
and come back by themselves once the files are fixed.
"""

from __future__ import annotations

import datetime
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator import i18n
from generator.builds import build
from generator.check.options import load_options
from generator.config import Roles
from generator.errors import IlpError
from generator.i18n import _, catalogs
from generator.load.documents import LoadError, load_yaml
from generator.signals import stopped_by_signals
from generator.site import cache as site_cache
from generator.site.builder import THEME_DIR
from generator.site.preview import Server, live_server, problem_page, serve_until_stopped
from generator.sites import folder_for_public

WATCHED = ("curriculum", "content", "mkdocs.yml")


@dataclass
class Preview:
    """What the last rebuild found: its problems, and whether the student's pages were built."""

    student_id: str
    audience: str
    problems: list[str] = field(default_factory=list)
    built: bool = False
    folder: str = ""  # the student's folder in the audience's sites (the public one is opaque)
    number: int = 0  # counts the rebuilds, so a page of problems knows when they change

    @property
    def path(self) -> str:
        return f"/{self.audience}/{self.folder or self.student_id}/"

    def page(self) -> bytes:
        """The page shown where the preview has none."""
        if self.problems:
            title = _("This portfolio cannot be shown: its files have errors")
            intro = _("Fix these and save the file: this page reloads when they are fixed.")
        elif not self.built:
            title = _("Nothing to show yet")
            intro = _("Nothing of students/{student} is shared with '{audience}' yet.").format(
                student=self.student_id, audience=self.audience
            )
        else:
            title = _("Page not found")
            intro = _("There is no page at this address.")
        return problem_page(title, intro, self.problems, self.path, self.number)


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
    state = Preview(student_id, audience)

    def rebuild(first: bool = False) -> None:
        state.number += 1
        try:
            result = build(root, out, today, only={student_id}, audiences=(audience,), cache=True)
        except IlpError as exc:
            if first:
                raise
            state.problems, state.built = str(exc).splitlines(), False
            shutil.rmtree(out, ignore_errors=True)  # no page of the last good build stays on show
            say(str(exc))
            return
        state.problems = [d.format() for d in result.report.sorted() if d.severity == "error"]
        state.folder = _folder(root, student_id, audience)
        state.built = (out / audience / state.folder / "index.html").is_file()
        for line in state.problems:
            say(line)
        if not state.built:
            say(f"Nothing of students/{student_id} is shared with '{audience}' yet, or it has errors (see above).")
        else:
            say(f"Rebuilt students/{student_id} as the {audience} view.")

    rebuild(first=True)
    options, _problems, _lines = load_options(root)
    language = catalogs.load(options.language, root)

    def missing() -> bytes:
        with i18n.language(language):
            return state.page()

    watched = (folder, THEME_DIR, *(root / name for name in WATCHED))
    server = live_server(rebuild, out, host, port, watched, missing)
    return server, f"{server.url.rstrip('/')}{state.path}", serve_dir


def _folder(root: Path, student_id: str, audience: str) -> str:
    """Where the student's site for `audience` is: their id, or for the public their opaque folder."""
    options, _problems, _lines = load_options(root)
    if audience != Roles(options).public:
        return student_id
    try:
        profile = load_yaml(root / "students" / student_id / "profile.yml", f"students/{student_id}/profile.yml")
    except LoadError:
        return student_id
    return folder_for_public(student_id, profile.data, options.public_salt)


def serve(root: Path, student_id: str, audience: str, host: str, port: int, today: datetime.date | None) -> None:
    server, url, serve_dir = preview_server(root, student_id, audience, host, port, today)
    print(f"Previewing {url} (press Ctrl+C to stop)")
    try:
        with stopped_by_signals():
            serve_until_stopped(server)
    finally:
        shutil.rmtree(serve_dir, ignore_errors=True)
        site_cache.forget(root, serve_dir / "site")
