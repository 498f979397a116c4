"""MkDocs' live-reload server for `ilp serve`, and the page it shows where there is no page (MkDocs code
stays in this package).

Where the preview has no page at an address (the student's files have errors, nothing is shared with
the audience yet, or the address is wrong), the server answers with `problem_page`: what went wrong,
as `path:line: message` lines, and a small script that asks again every second and reloads the
browser as soon as the address has a page, or the problems change. MkDocs' own script reloads the
preview's pages on every rebuild.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from html import escape
from pathlib import Path

from mkdocs.livereload import LiveReloadServer

from generator.i18n import _
from generator.site.output import html_page

Server = LiveReloadServer  # the type `ilp serve` holds, without importing MkDocs itself

# Polls the address it was served at: a page there (200), or other problems (another build number),
# reloads. It is only served by `ilp serve` on the reader's own machine, never by a deployed site.
POLL = """<script>
(function () {
  var build = document.querySelector('meta[name="ilp-build"]').content;
  function poll() {
    fetch(window.location.href, { cache: "no-store" }).then(function (response) {
      return response.text().then(function (text) {
        var found = /<meta name="ilp-build" content="([^"]*)"/.exec(text);
        if (response.ok || !found || found[1] !== build) { window.location.reload(); return; }
        window.setTimeout(poll, 1000);
      });
    }, function () { window.setTimeout(poll, 1000); });
  }
  window.setTimeout(poll, 1000);
})();
</script>
"""


def live_server(
    rebuild: Callable[[], None],
    folder: Path,
    host: str,
    port: int,
    watched: Iterable[Path],
    missing: Callable[[], bytes] | None = None,
) -> LiveReloadServer:
    """A server (not yet serving) for `folder`, calling `rebuild` when a watched path changes and
    answering `missing()` where the folder has no file."""
    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(folder))
    if missing is not None:
        server.error_handler = lambda code: missing()
    for path in watched:
        if path.exists():
            server.watch(str(path))
    return server


def problem_page(title: str, intro: str, problems: Sequence[str], home: str, build: int) -> bytes:
    """The preview's page where it has none: `problems` (such as `path:line: message`), each escaped."""
    body = f"<p>{escape(intro)}</p>\n"
    if problems:
        items = "".join(f"<li><code>{escape(line)}</code></li>\n" for line in problems)
        body += f'<ul class="preview-problems">\n{items}</ul>\n'
    back = _("Go to the portfolio's home page")
    body += f'<p><a href="{escape(home)}">{escape(back)}</a></p>\n'
    main = f'<main id="content" class="root-index">\n<h1>{escape(title)}</h1>\n{body}</main>\n'
    meta = (("robots", "noindex, nofollow"), ("ilp-build", str(build)))
    return html_page(title, main + POLL, "/assets/ilp.css", meta)


def serve_until_stopped(server: LiveReloadServer) -> None:
    """Serve until Ctrl+C, then shut the server down."""
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
