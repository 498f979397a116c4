"""`ilp export ID --out DIR`: one student's portable record, and with --graduate the hand-over.

    DIR/history/     a git repository: the student's folder at its root, every commit that touched it
    DIR/site/        the student's own view, a site that works opened from disk
    DIR/clr.json     a Comprehensive Learner Record 2.0 (signed as clr.jwt too, with a district key)
    DIR/resume.json  the résumé in JSON Resume format
    DIR/export.json  what `ilp import` reads: the student's id, the district, its framework
    DIR/README.md    for whoever receives it

Everything is written to a folder beside DIR and renamed into place at the end, so a failed
export leaves nothing half-made. The site and the two documents are made from the student's own
view; the history holds the student's whole folder (which their own view shows whole) less what
belongs to the old district and every mention of another student (see generator/history/scrub.py).
"""

from __future__ import annotations

import dataclasses
import datetime
import shutil
import tempfile
from pathlib import Path
from typing import Any

from generator import __version__
from generator.commands.export_site import page_url, write_student_site
from generator.commands.people import other_people
from generator.config import Roles
from generator.errors import IlpError
from generator.export.clr import EmptyRecord, clr_document, district_urn, validate_clr
from generator.export.encoding import dumps
from generator.export.resume import resume_document, validate_resume
from generator.export.sign import sign_clr
from generator.history import repos
from generator.history.changes import student_record
from generator.history.git import read_repository
from generator.history.moves import move_to_graduates
from generator.history.scrub import settings_for
from generator.model import Student
from generator.model.site import SitePage
from generator.pipeline import Corpus, corpus
from generator.render.names import display_name
from generator.render.summary import summary_page
from generator.visibility.views import Viewer, view_student

FORMAT = 1


def _student(loaded: Corpus, student_id: str) -> Student:
    for student in loaded.students:
        if student.id == student_id:
            return student
    if student_id in loaded.skipped:
        mine = f"students/{student_id}"
        problems = [
            d.format()
            for d in loaded.report.sorted()
            if d.severity == "error" and (d.path == mine or d.path.startswith(mine + "/"))
        ]
        raise IlpError("\n".join([*problems, f"students/{student_id} has errors; fix them before exporting"]))
    raise IlpError(f"there is no student '{student_id}' in students/; check the id (ilp check lists the students)")


def export_student(
    root: Path,
    student_id: str,
    out: Path,
    today: datetime.date | None,
    graduate: bool = False,
    key: tuple[bytes, str] | None = None,
) -> list[str]:
    """Write the export of `student_id` to `out`; return what was written (and moved, for a graduation)."""
    root, out = root.resolve(), out.resolve()  # git runs in other folders
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise IlpError(f"--out {out} already exists and is not empty; choose a new folder")
    if out.is_relative_to(root):
        raise IlpError(f"--out {out} is inside the district's repository; write the export outside it")
    if graduate and (root / "graduates" / student_id).exists():
        raise IlpError(f"graduates/{student_id} already exists; a graduate's folder is moved there only once")
    loaded = corpus(root, today)
    today = loaded.district.today
    student = _student(loaded, student_id)
    folder = root / student.path
    changed = repos.uncommitted(folder)
    if changed:
        raise IlpError(
            f"students/{student_id} has changes that are not committed ({', '.join(changed[:3])}); "
            "commit them first, so that the history and the record agree"
        )
    context = loaded.context
    options = loaded.district.options
    view = view_student(student, Viewer(Roles(options).student, options, context.framework))
    if view is None:
        raise IlpError(f"students/{student_id}: the student's own view is empty; nothing to export")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".export-{student_id}-", dir=out.parent))
    try:
        settings = settings_for(other_people(root, student_id), student.profile, scrub_files=True)
        commits = repos.cut(folder, staging / "history", settings)
        # The site's change record is read from the exported history, so it says only what that says.
        wanted = [f"{student.path}/goals.yml", *(page.path for page in student.pages)]
        cut = read_repository(staging / "history", wanted, f"{student.path}/")
        record = student_record(cut, student, context.roster)
        loaded = dataclasses.replace(loaded, records={**loaded.records, student_id: record})
        extra: list[SitePage] = [summary_page(view, record, context)] if graduate else []
        pages = write_student_site(loaded, student_id, staging / "site", extra)
        try:
            clr: dict[str, Any] | None = clr_document(
                view,
                context,
                issued=today,
                page_url=lambda name: "site/" + page_url(name),
                district_id=district_urn(options.site_name),
                district_name=options.site_name,
            )
        except EmptyRecord:
            clr = None  # a CLR must record something: a student with nothing achieved yet gets none
        if clr is not None:
            _valid(validate_clr(clr), "clr.json")
            _write_json(staging / "clr.json", clr)
            if key is not None:
                (staging / "clr.jwt").write_text(sign_clr(clr, key[0], key[1]) + "\n", encoding="utf-8")
        resume = resume_document(view, context)
        _valid(validate_resume(resume), "resume.json")
        _write_json(staging / "resume.json", resume)
        manifest = {
            "format": FORMAT,
            "student": student_id,
            "name": display_name(view),
            "district": options.site_name,
            "framework": context.framework.id,
            "exported": today.isoformat(),
            "graduated": graduate,
            "commits": commits,
            "ilp": __version__,
        }
        _write_json(staging / "export.json", manifest)
        manifest["clr"] = clr is not None
        (staging / "README.md").write_text(readme(manifest, pages, key is not None), encoding="utf-8")
        if out.exists():
            out.rmdir()
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    written = sorted(str(p.relative_to(out)) for p in out.iterdir())
    if graduate:
        how = move_to_graduates(root, student_id)
        written.append(f"moved students/{student_id} to graduates/{student_id} ({how})")
    return written


def _valid(problems: list[str], name: str) -> None:
    if problems:
        raise IlpError(f"internal error: {name} does not match its schema ({problems[0]}); report this as a bug in ilp")


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(dumps(data), encoding="utf-8")  # the builders' order: @context first


def readme(manifest: dict[str, Any], pages: int, signed: bool) -> str:
    """The README of an export, for whoever receives it (a family, the next school, the student)."""
    graduated = " It was made when the student graduated." if manifest["graduated"] else ""
    signature = (
        (
            "`clr.jwt` is the same record signed by the district (a VC-JWT, EdDSA); check it with the district's public key."
            if signed
            else "It is not signed: the district gave no key."
        )
        if manifest["clr"]
        else "No `clr.json` was written: nothing is recorded as achieved yet."
    )
    return f"""# The Individual Learning Plan of {manifest["name"]}

Exported from {manifest["district"]} on {manifest["exported"]} (framework: {manifest["framework"]}).{graduated}

| | |
| --- | --- |
| `site/` | The portfolio as the student sees it ({pages} pages). Open `site/index.html` in a browser; it needs no internet connection and no server. |
| `history/` | The ILP's files with their full history ({manifest["commits"]} commits): a git repository. `git -C history log` shows who changed what and when. Other students are not named in it. |
| `clr.json` | A Comprehensive Learner Record (1EdTech CLR 2.0): the activities, lessons and goals completed, aligned to the ASCA Mindsets & Behaviors standards, with the pages that show them. {signature} |
| `resume.json` | The résumé in the JSON Resume format, which résumé tools can read. |
| `export.json` | What `ilp import` needs to bring this ILP into another district. |

## For the receiving school

A district that uses ilp-portfolio brings this ILP in with its history:

    ilp import PATH-TO-THIS-FOLDER [--id NEW-ID]

Any other system can read `clr.json` and `resume.json`, and the files in `history/` are plain
Markdown and YAML.

## Privacy

This folder holds a student's plan: their goals, and possibly notes about their learning and
their family. Keep it where only the student, their family and the people they choose can read it.
The files hold none of the old district's sign-in addresses, SIS number or family links; the
commits keep their authors' names and email addresses, as git records every commit.
"""
