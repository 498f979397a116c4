"""Benchmark the Markdown stage: pages per second, parsed once and rendered for every audience.

The pages are the sample district's student pages and lessons (the pages bench/build.py scales),
repeated to `--pages`. For each page: one parse, then for each of the five audiences the
visibility filter and the HTML rendering of what that audience keeps. For scale, the same pages
are also converted once per audience by Python-Markdown (the renderer MkDocs ships), the least
work the previous design did per page before its second reading and link collection.

    python bench/markdown_stage.py [--pages 2000] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import markdown  # noqa: E402

from bench.check import machine  # noqa: E402
from generator.load.documents import split_markdown  # noqa: E402
from generator.markdown.document import parse  # noqa: E402
from generator.markdown.html import render_document  # noqa: E402
from generator.visibility.markers import filter_document, sees, words  # noqa: E402

AUDIENCES = ("student", "educator", "family", "advisory", "public")
FULL = ("student", "educator")
PYTHON_MARKDOWN = ["toc", "tables", "fenced_code", "attr_list", "def_list", "abbr", "footnotes", "md_in_html"]


def sample_pages() -> list[tuple[str, str, int, tuple[str, ...]]]:
    pages = []
    for file in sorted([*(REPO / "students").rglob("*.md"), *(REPO / "curriculum").rglob("grade-*/*.md")]):
        rel = file.relative_to(REPO).as_posix()
        page = split_markdown(file.read_text(encoding="utf-8"), rel)
        meta = page.meta.data if page.meta is not None else {}
        pages.append((rel, page.body, page.body_line, words(meta.get("visibility", "family"))))
    return pages


def ours(pages: list[tuple[str, str, int, tuple[str, ...]]]) -> int:
    size = 0
    for rel, body, line, default in pages:
        doc = parse(body, line, rel)
        for audience in AUDIENCES:
            kept = filter_document(doc, default, lambda v, a=audience: sees(a, v, FULL, "public"), audience in FULL)
            size += len(render_document(kept).html)
    return size


def python_markdown(pages: list[tuple[str, str, int, tuple[str, ...]]]) -> int:
    md = markdown.Markdown(extensions=PYTHON_MARKDOWN)
    size = 0
    for _, body, _, _ in pages:
        for _ in AUDIENCES:
            size += len(md.reset().convert(body))
    return size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sample = sample_pages()
    pages = [sample[i % len(sample)] for i in range(args.pages)]
    print(f"machine: {machine()}")
    print(f"pages: {len(pages)} ({len(sample)} distinct sample pages), audiences: {len(AUDIENCES)}")
    results = {}
    for name, stage in (
        ("markdown-it-py, parse once + filter + render", ours),
        ("python-markdown, convert", python_markdown),
    ):
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            stage(pages)
            times.append(time.perf_counter() - started)
        results[name] = statistics.median(times)
        rate = len(pages) / results[name]
        print(f"{name}: {results[name]:.2f} s median of {args.runs} ({rate:.0f} pages/s, every audience)")
    first, second = results.values()
    print(f"ratio: python-markdown / markdown-it-py = {second / first:.2f}")


if __name__ == "__main__":
    main()
