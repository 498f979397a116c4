"""`ilp export`'s `site/`: the student's own view as a site that works opened from disk (no server).

    site/index.html      the student's portfolio, as the student's own view of `ilp build` holds it
    site/curriculum/     the student-facing lessons (the edition the student's view links to)
    site/assets/         the theme's stylesheets and scripts
    site/404.html

The view is made as `ilp build` makes the student's: `view_student` for the student audience, then
`student_site`; only the addresses differ. Every link names a file (`my-goals.html`, never a folder),
every path stays inside `site/`, nothing is loaded from another host, and search reads its index
from a script (`search/search_index.js`), which a page opened from disk may load. A link that would
leave the export (to another host, or to a file it does not hold) is dropped; its text stays.
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from generator.config import Options, Roles
from generator.errors import IlpError, did_you_mean
from generator.history.record import Record
from generator.i18n import _
from generator.markdown.text import plain
from generator.model import Student
from generator.model.site import Site, SitePage
from generator.pipeline import Corpus
from generator.render.deck import deck_page
from generator.render.district import curriculum_site
from generator.render.student import audience_title, student_site
from generator.site import output
from generator.site.builder import THEME_DIR, site_builder
from generator.sites import rendering
from generator.visibility.views import Viewer, view_record, view_student

LESSONS = "curriculum"  # the lessons' folder inside site/
RESERVED = (LESSONS, "assets", "search", "404.html")  # what the export writes besides the portfolio's pages


def page_url(page_name: str) -> str:
    """The file in `site/` of a page of the student's site, from its name in the site.

    `<section>/index.md` -> `<section>/index.html`, `<section>/<page>.md` -> `<section>/<page>.html`,
    `my-goals.md` -> `my-goals.html`: MkDocs' `use_directory_urls: false`.
    """
    stem, ext = posixpath.splitext(page_name)
    if ext != ".md":
        raise ValueError(f"{page_name} is not the name of a page (expected a .md name)")
    return stem + ".html"


def own_audience(options: Options) -> str:
    """The audience of the student's own view: `student`, else the first full-access audience."""
    return "student" if "student" in options.audiences else options.full_access[0]


def write_student_site(corpus: Corpus, student_id: str, out: Path, extra_pages: Sequence[SitePage] = ()) -> int:
    """Write the student's own view to `out` (the `site/` folder, replaced whole); return its page count.

    The count is of the pages built: the portfolio's (with `extra_pages`, added to the navigation after
    Home) and the lessons'. Raises IlpError for a student who is not in the corpus or was left out.
    """
    student = _student(corpus, student_id)
    options = corpus.district.options
    public = Roles(options).curriculum_for(own_audience(options))
    with rendering(corpus, options.language):
        site = _with_pages(portfolio_site(corpus, student), extra_pages)
        lessons = curriculum_site(corpus.context, public, LESSONS, False, audience_title(public))
        back = _("Back to my portfolio")
    site = dataclasses.replace(site, lang=options.language)
    lessons = dataclasses.replace(lessons, nav=[{back: "../index.html"}, *lessons.nav], lang=options.language)
    output.check_output(corpus.root, out)
    with output.staging(out) as folder, site_builder(THEME_DIR, file_urls=True, district=corpus.root) as builder:
        built_lessons = builder.build(lessons, folder / LESSONS)
        built = builder.build(site, folder, frozenset(f"{LESSONS}/{name}" for name in built_lessons.files))
        output.write_offline_shared(folder, THEME_DIR, site.title)
    return built.pages + built_lessons.pages


def portfolio_site(corpus: Corpus, student: Student) -> Site:
    """The student's own view as `ilp build` makes it (see `pipeline.student_sites`), at the root of `site/`."""
    context, options = corpus.context, corpus.district.options
    audience = own_audience(options)
    viewer = Viewer(audience, options, context.framework)
    view = view_student(student, viewer)
    if view is None:
        raise IlpError(f"{student.path}: nothing of it is in the '{audience}' view, so there is no site to export")
    record = view_record(corpus.records.get(student.id, Record(False, "the history was not read")), view, viewer)
    with_deck = viewer.full or audience == options.conference
    return student_site(
        view,
        context,
        audience,
        ".",
        corpus.artifacts.get(student.id, {}),
        LESSONS,  # from every page: with file URLs, all of the student's pages are files at the root
        (LESSONS,),
        record=record,
        full=viewer.full,
        deck=deck_page(view, context, record, notes=audience == Roles(options).student) if with_deck else None,
    )


def _student(corpus: Corpus, student_id: str) -> Student:
    for student in corpus.students:
        if student.id == student_id:
            return student
    if student_id in corpus.skipped:
        raise IlpError(f"students/{student_id} has errors and was left out; fix them (ilp check) before exporting")
    known = [s.id for s in corpus.students]
    raise IlpError(f"there is no student '{student_id}' in students/{did_you_mean(student_id, known)}")


def _with_pages(site: Site, extra: Sequence[SitePage]) -> Site:
    """The site with `extra` pages, each in the navigation after Home; no name may be taken."""
    taken = {p.path for p in site.pages} | {f.path for f in site.files}
    for path in sorted(taken):
        if path.split("/")[0] in RESERVED or path == "404.md":
            raise IlpError(f"the page {path} would overwrite the export's own {path.split('/')[0]}; rename it")
    entries: list[Any] = []
    for page in extra:
        if not page.path.endswith(".md") or page.path in taken or page.path.split("/")[0] in RESERVED:
            raise IlpError(f"cannot add the page {page.path} to the export: the name is taken or not a .md name")
        taken.add(page.path)
        entries.append({_title(page): page.path})
    if not entries:
        return site
    return dataclasses.replace(site, pages=(*site.pages, *extra), nav=[*site.nav[:1], *entries, *site.nav[1:]])


def _title(page: SitePage) -> str:
    """The navigation title of a page: its `title`, else its first heading, else its name."""
    if page.meta.get("title"):
        return str(page.meta["title"])
    for line in page.markdown.splitlines():
        if line.startswith("# "):
            return plain(line[2:].strip())
    return posixpath.splitext(posixpath.basename(page.path))[0].replace("_", " ").replace("-", " ").capitalize()
