"""Stages 3 and 5 for a whole district: every site of every audience, each in its language (pure).

`district_sites` are the district's pages, the lessons and the reader groups' start pages;
`student_sites` a student's site per audience. Each is rendered inside `generator.i18n.language`:
the district's language, or for a family the family's (generator/render/languages.py).
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import i18n
from generator.config import Roles
from generator.deploy.access import START, Group, access
from generator.history.record import Record
from generator.i18n import _, catalogs
from generator.markdown.document import Document
from generator.model import Student
from generator.model.site import Site
from generator.render.charts import charts_html, student_change_days
from generator.render.dashboard import Row, chart_data, dashboard_row
from generator.render.deck import deck_page
from generator.render.district import Listed, curriculum_site, district_site, start_site
from generator.render.languages import family_language, help_page_url, readers_language, with_help_link
from generator.render.listing import Summary, access_profile, listing
from generator.render.student import audience_title, student_grade, student_site
from generator.visibility.views import Viewer, view_record, view_student

if TYPE_CHECKING:
    from generator.pipeline import Corpus

FAMILY = "family"  # the audience whose sites are built in the family's language


def rendering(corpus: Corpus, lang: str) -> contextlib.AbstractContextManager[i18n.Language]:
    """Render in `lang` (its catalog, the district's first), marking the district's own text where it
    is in another language."""
    return i18n.language(catalogs.load(lang, corpus.root), source=corpus.district.options.language)


# --- Stages 3 and 5: the sites of the district ----------------------------------------------------


def district_sites(
    corpus: Corpus, chosen: tuple[str, ...], content: dict[str, tuple[dict[str, Any], Document]]
) -> list[Site]:
    """The district's own sites: its pages and the lessons in both editions (the start pages: `start_sites`)."""
    with rendering(corpus, corpus.district.options.language):
        sites = _district_sites(corpus, chosen, content)
    return [replace(site, lang=corpus.district.options.language) for site in sites]


def _district_sites(
    corpus: Corpus, chosen: tuple[str, ...], content: dict[str, tuple[dict[str, Any], Document]]
) -> list[Site]:
    context, roles, options = corpus.context, Roles(corpus.district.options), corpus.district.options
    sites: list[Site] = []
    if roles.public in chosen:
        sites.append(
            district_site(content, options.site_name, roles.public, roles.public, audience_title(roles.public))
        )
        sites.append(
            curriculum_site(context, roles.public, f"{roles.public}/curriculum", False, audience_title(roles.public))
        )
    if roles.educator in chosen:
        sites.append(
            curriculum_site(
                context, roles.educator, f"{roles.educator}/curriculum", True, audience_title(roles.educator)
            )
        )
    return sites


def start_sites(corpus: Corpus, chosen: tuple[str, ...], summaries: Sequence[Summary]) -> list[Site]:
    """One start page per reader group (an educator's caseload, a family, an advisory group), listing only
    the students that group may read, each as that group's audience sees them (from the students'
    summaries: generator/render/listing.py). An educator's is their dashboard (rows from the educator
    view and its change record); a lead's (roster `access: school` or `district`) adds figures by
    school and grade."""
    options = corpus.district.options
    by_id = {s.id: s for s in summaries}
    kinds = {"educator": Roles(options).educator, "family": "family", "advisory": "advisory"}
    warnings = _warnings_by_student(corpus)
    sites = []
    roles = Roles(options)
    helps = _help_pages(corpus, chosen)
    languages = catalogs.available(corpus.root)
    for group in access(summaries, corpus.context.roster, options).groups:
        audience = kinds[group.kind]
        if audience not in chosen:
            continue
        lang = options.language
        if group.kind == FAMILY:
            lang = readers_language((by_id[i] for i in group.students), group.readers, lang, languages)
        with rendering(corpus, lang):
            site = _start_site(corpus, group, audience, by_id, warnings)
            if group.kind == FAMILY:
                site = _with_help(replace(site, link_roots=(*site.link_roots, roles.public)), helps, lang, corpus)
        sites.append(replace(site, lang=lang, text_lang=options.language))
    return sites


def _start_site(
    corpus: Corpus, group: Group, audience: str, by_id: dict[str, Summary], warnings: dict[str, int]
) -> Site:
    context = corpus.context
    listed = []
    rows: list[Row] | None = [] if group.kind == "educator" else None
    days: list[datetime.date] = []
    for student_id in group.students:
        item = by_id[student_id].listings.get(audience)
        if item is None:
            continue
        name = item.name if item.name is not None else _("A student")
        listed.append(Listed(student_id, name, item.grade, item.school, item.educators))
        if rows is not None and item.row is not None:
            rows.append(replace(item.row, name=name, warnings=warnings.get(student_id, 0)))
            days.extend(item.change_days)
    label = audience_title(audience)
    educator = context.roster.get(group.dest.rsplit("/", 1)[-1].removeprefix(START))
    lead = group.kind == "educator" and educator is not None and educator.access in ("school", "district")
    charts = charts_html(chart_data(rows, days, context)) if rows is not None else ""
    return start_site(group.dest, group.kind, audience, group.title, listed, label, rows, context.today, lead, charts)


def _warnings_by_student(corpus: Corpus) -> dict[str, int]:
    """The `ilp check` warnings under each student's folder."""
    counts: dict[str, int] = {}
    for diagnostic in corpus.report:
        parts = diagnostic.path.split("/")
        if diagnostic.severity == "warning" and len(parts) > 2 and parts[0] == "students":
            counts[parts[1]] = counts.get(parts[1], 0) + 1
    return counts


class Views:
    """Each audience's view of one student and of their change record, made once for their sites and their
    summary."""

    def __init__(self, corpus: Corpus, student: Student) -> None:
        self.corpus, self.student = corpus, student
        self.record = corpus.records.get(student.id, Record(False, "the history was not read"))
        self._views: dict[str, tuple[Viewer, Student | None]] = {}
        self._records: dict[str, Record] = {}

    def of(self, audience: str) -> tuple[Viewer, Student | None]:
        """The audience's viewer and their view of the student (None: they see nothing of them)."""
        if audience not in self._views:
            viewer = Viewer(audience, self.corpus.district.options, self.corpus.context.framework)
            self._views[audience] = (viewer, view_student(self.student, viewer))
        return self._views[audience]

    def record_for(self, audience: str, view: Student) -> Record:
        """The change record as the audience sees it (`view`: theirs of the student, from `of`)."""
        if audience not in self._records:
            self._records[audience] = view_record(self.record, view, self.of(audience)[0])
        return self._records[audience]


def summarize(
    corpus: Corpus,
    student: Student,
    chosen: tuple[str, ...],
    sites: Sequence[str],
    names: Iterable[str] = (),
    views: Views | None = None,
) -> Summary:
    """What the start pages need of `student` (`sites`: the folders of their sites; `names`, with file URLs,
    their files), as the cache keeps it."""
    context, options = corpus.context, corpus.district.options
    roles = Roles(options)
    views = views or Views(corpus, student)
    listings = {}
    for audience in dict.fromkeys((roles.educator, FAMILY, "advisory")):
        if audience not in chosen:
            continue
        view = views.of(audience)[1]
        if view is None:
            continue
        item = listing(view, student_grade(view, context), context.roster)
        if audience == roles.educator:
            shown = views.record_for(audience, view)
            row = dashboard_row(view, shown, context, 0)
            item = replace(item, row=replace(row, name=""), change_days=tuple(student_change_days([shown])))
        listings[audience] = item
    doc = student.docs.get("profile.yml")
    line = doc.line(("public_path",)) if doc is not None and "public_path" in student.profile else 1
    prefix = f"{student.path}/"
    warnings = tuple(d for d in corpus.report if d.severity == "warning" and d.path.startswith(prefix))
    profile = access_profile(student.profile)
    summary = Summary(student.id, student.path, profile, line, listings, warnings, tuple(sites), tuple(sorted(names)))
    return summary.exact()


def student_sites(
    corpus: Corpus, student: Student, chosen: tuple[str, ...], views: Views | None = None
) -> Iterator[Site]:
    """One site per audience that may see anything of the student: the view first, then its pages."""
    context, options = corpus.context, corpus.district.options
    roles = Roles(options)
    views = views or Views(corpus, student)
    languages = catalogs.available(corpus.root)
    helps = _help_pages(corpus, chosen)
    help_roots = (roles.public,) if helps else ()
    for audience in chosen:
        viewer, view = views.of(audience)
        if view is None:
            continue
        shown_record = views.record_for(audience, view)
        folder = public_folder(student, options.public_salt) if audience == roles.public else student.id
        dest = f"{audience}/{folder}"
        curriculum = f"{roles.curriculum_for(audience)}/curriculum"
        # From the "This year" page: this-year/index.html, or this-year.html without directory URLs.
        depth = len(Path(dest).parts) + (1 if options.use_directory_urls else 0)
        lesson_url = "/".join([".."] * depth + [curriculum])
        with_deck = viewer.full or audience == options.conference
        lang = family_language(student, options.language, languages) if audience == FAMILY else options.language
        with rendering(corpus, lang):
            site = student_site(
                view,
                context,
                audience,
                dest,
                corpus.artifacts.get(student.id, {}),
                lesson_url,
                (curriculum, *help_roots),
                indexable=audience == roles.public,
                record=shown_record,
                full=viewer.full,
                deck=deck_page(view, context, shown_record, notes=audience == roles.student) if with_deck else None,
            )
            if audience == FAMILY:
                site = _with_help(site, helps, lang, corpus)
        yield replace(site, lang=lang, text_lang=options.language)


def public_folder(student: Student, salt: str) -> str:
    """The folder of a student's public portfolio: the `public_path` they chose, or a name that names no one.

    The opaque name is made from the student's id and the district's `public_salt` (in mkdocs.yml, which
    the public never sees), so it cannot be worked out from a guessed id; it stays the same from build
    to build, in any clone, as long as the salt does.
    """
    return folder_for_public(student.id, student.profile, salt)


def folder_for_public(student_id: str, profile: Any, salt: str) -> str:
    """`public_folder` from a student's id and profile data."""
    chosen = profile.get("public_path") if isinstance(profile, dict) else None
    if isinstance(chosen, str) and chosen:
        return chosen
    return "p-" + hashlib.sha256(f"ilp-public\0{salt}\0{student_id}".encode()).hexdigest()[:16]


def _help_pages(corpus: Corpus, chosen: tuple[str, ...]) -> dict[str, str]:
    """The families' help page in each language (`family_help:`) that is built: a page of content/."""
    options = corpus.district.options
    if Roles(options).public not in chosen:
        return {}
    return {code: page for code, page in options.family_help.items() if (corpus.root / "content" / page).is_file()}


def _with_help(site: Site, helps: dict[str, str], lang: str, corpus: Corpus) -> Site:
    """A family's site with the help page in its language (else the district's) linked from its home page."""
    options = corpus.district.options
    page = helps.get(lang) or helps.get(options.language)
    return with_help_link(site, help_page_url(site.dest, Roles(options).public, page)) if page else site
