"""Stage 2 for the district pages in content/: front matter checked, bodies read once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.errors import Report
from generator.load.documents import LoadError, load_markdown
from generator.load.folders import markdown_files
from generator.markdown.document import Document, parse

FALLBACK_HOME = "# Individual Learning Plans\n\nThis district keeps its ILPs with ilp-portfolio.\n"


def content_pages(root: Path, report: Report) -> dict[str, tuple[dict[str, Any], Document]]:
    """content/<path> -> (front matter, body) for every district page; problems reported."""
    pages: dict[str, tuple[dict[str, Any], Document]] = {}
    for rel in markdown_files(root, "content", report):
        try:
            page = load_markdown(root / rel, rel)
        except LoadError as exc:
            report.extend(exc.diagnostics)
            continue
        if page.meta is not None and not isinstance(page.meta.data, dict):
            report.error(rel, 2, "front matter should be 'key: value' lines")
            continue
        meta = page.meta.data if page.meta is not None else {}
        pages[rel.removeprefix("content/")] = (meta, parse(page.body, page.body_line, rel))
    if "index.md" not in pages:
        pages["index.md"] = ({}, parse(FALLBACK_HOME))
    return pages
