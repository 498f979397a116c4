"""`ilp conference ID --pdf FILE`: the conference deck as a handout PDF.

Builds the student's deck for one audience into a temporary folder and prints it
with headless Chromium. The deck's print stylesheet (theme/assets/deck.css) starts
each slide on a new page and lets a long one go on to the next, each with its
footer (the student's name, the slide's number); links print their address inside
the portfolio. tests/test_deck_browser.py reads the PDF back to check that no
slide is cut.
"""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from generator.builds import build
from generator.errors import IlpError

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
    "--print-to-pdf-no-header",
)


def find_browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise IlpError(
        "printing the handout needs headless Chromium, which is not installed here "
        "(on Debian or Ubuntu: apt-get install chromium). Or open the deck in a browser and print it."
    )


def print_deck(root: Path, student_id: str, audience: str, pdf: Path, today: datetime.date | None) -> int:
    """Write the handout to `pdf`; the number of slides (each starts a page; a long one takes more)."""
    if not (root / "students" / student_id).is_dir():
        raise IlpError(f"students/{student_id} does not exist")
    browser = find_browser()
    with tempfile.TemporaryDirectory(prefix="ilp-conference-") as scratch:
        out = Path(scratch) / "site"
        result = build(root, out, today, only={student_id}, audiences=(audience,))
        if result.errors:
            lines = "\n".join(d.format() for d in result.report.sorted() if d.severity == "error")
            raise IlpError(f"{lines}\nfix these errors first")
        deck = out / audience / student_id / "conference" / "index.html"
        if not deck.is_file():
            raise IlpError(
                f"students/{student_id} has no conference deck for '{audience}' (nothing is shared with it yet)"
            )
        slides = len(re.findall(r'<section class="slide[ "]', deck.read_text(encoding="utf-8")))
        pdf.parent.mkdir(parents=True, exist_ok=True)
        run = subprocess.run(
            [
                browser,
                *FLAGS,
                f"--user-data-dir={Path(scratch) / 'profile'}",
                f"--print-to-pdf={pdf.resolve()}",
                deck.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if run.returncode != 0 or not pdf.is_file():
            raise IlpError(f"Chromium could not print the deck: {(run.stderr or run.stdout).strip()[-500:]}")
    return slides
