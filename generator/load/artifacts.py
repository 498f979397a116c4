"""Stage 1 for a student's artifacts: the files their sites may publish, read as the build reads them."""

from __future__ import annotations

from pathlib import Path

from generator.errors import Report
from generator.load.documents import LoadError, read_bytes
from generator.model import Student
from generator.sanitize import UnsafeSvg, clean_svg


def published_artifacts(root: Path, student: Student, report: Report) -> dict[str, bytes]:
    """The artifacts of a student as they may be published (SVG rebuilt from a safe subset)."""
    data: dict[str, bytes] = {}
    for name in student.artifacts:
        rel = f"{student.path}/{name}"
        try:
            raw = read_bytes(root / rel, rel)
        except LoadError as exc:
            report.extend(exc.diagnostics)
            continue
        if name.lower().endswith(".svg"):
            try:
                raw = clean_svg(raw)
            except UnsafeSvg as exc:
                report.error(rel, 1, str(exc))
                continue
        data[name] = raw
    return data
