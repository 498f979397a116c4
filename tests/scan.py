"""Helpers for the leak-hunting suites: write a probe page, build as a user would, read back everything built."""

from __future__ import annotations

import gzip
from pathlib import Path

from click.testing import Result

from tests.conftest import TODAY, District

FULL_ACCESS = ("student", "educator")
PAGE = "students/ava/career-exploration/probe.md"


def write_page(
    district: District, body: str, front: str = "title: Probe page\nvisibility: family\n", rel: str = PAGE
) -> Path:
    """A Markdown page written byte for byte (no dedent): front matter, then `body`."""
    return district.write(rel, f"---\n{front}---\n{body}", dedent=False)


def build(district: District) -> tuple[Path, Result]:
    """Run `ilp build` into a fresh folder; the output folder and the command's result."""
    out = district.root.parent / "site"
    result = district.run("build", "--root", str(district.root), "--out", str(out), "--today", TODAY)
    return out, result


def corpus(folder: Path) -> str:
    """Every file name and every file's bytes (gzip unpacked) under `folder`, lowercased; '' if absent."""
    if not folder.exists():
        return ""
    parts = []
    for path in sorted(folder.rglob("*")):
        parts.append(path.relative_to(folder).as_posix())
        if path.is_file():
            data = path.read_bytes()
            if path.name.endswith(".gz"):
                data = gzip.decompress(data)
            parts.append(data.decode("utf-8", errors="replace"))
    return "\n".join(parts).lower()


def restricted_corpus(out: Path) -> str:
    """Everything built that is not only for the student and educators: other audiences and shared files."""
    if not out.exists():
        return ""
    parts = []
    for child in sorted(out.iterdir()):
        if child.name in FULL_ACCESS:
            continue
        parts.append(child.name)
        parts.append(corpus(child) if child.is_dir() else child.read_bytes().decode("utf-8", "replace").lower())
    return "\n".join(parts)
