"""Links and images in Markdown bodies, and where they lead (pure).

A student's page may link to its own folder's pages and artifacts, to web
pages (http, https) and to mail addresses; images must be files in the
student's own folder, so that no page loads anything from another host.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
LINK_SCHEMES = ("http", "https", "mailto", "tel")


@dataclass(frozen=True)
class Link:
    line: int
    target: str
    image: bool


def resolve(link: Link, page: str, files: frozenset[str]) -> tuple[str | None, str | None]:
    """Where a link leads: (file in the student's folder or None, problem or None).

    `page` and `files` are relative to the student's folder.
    """
    target = link.target.strip()
    if re.search(r"[\x00-\x1f\x7f]", target):
        return (
            None,
            f"link '{target!r}' has a tab, line break or control character in it; write the address on one line",
        )
    scheme = _SCHEME.match(target)
    if scheme:
        name = scheme.group(1).lower()
        if link.image:
            return None, (
                f"image '{target}' is not a file in your folder; save it in artifacts/ and link it from there"
            )
        if name not in LINK_SCHEMES:
            return None, f"links starting with '{name}:' are not allowed {tuple(LINK_SCHEMES)}"
        return None, None
    if target.startswith("//"):
        return None, f"link '{target}' leads to another website; write it with https://"
    path = unquote(target.split("#", 1)[0].split("?", 1)[0])
    if not path:
        return None, None  # a link within the page
    if path.startswith("/") or path.startswith("\\"):
        return None, f"link '{target}' is an absolute path; link relative to this page, such as ../artifacts/photo.png"
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), path.replace("\\", "/")))
    if resolved == ".." or resolved.startswith("../"):
        return None, f"link '{target}' leads out of your folder; link only to your own pages and artifacts"
    if resolved not in files:
        if any(f.startswith(resolved + "/") for f in files):
            return None, f"link '{target}' leads to a folder; link to a page or a file in it, such as {resolved}/<name>"
        return None, f"link '{target}' leads to a file that does not exist in your folder"
    if resolved in files and not (resolved.endswith(".md") or resolved.startswith("artifacts/")):
        return None, f"link '{target}' leads to a data file; link only to your pages and to files in artifacts/"
    return resolved, None
