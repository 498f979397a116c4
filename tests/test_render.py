"""Stage 5 in memory: student_site on a view of a Student built by hand.

No files: the framework, the student and their pages (bodies from `parse(...)`) are built
here, the view comes from view_student, and the Site is inspected as data: its pages, their
Markdown rendered with render_markdown, their meta, the navigation.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest

from generator.config import Options
from generator.history.record import Entry, GoalVersion, Item, Record
from generator.markdown.document import parse
from generator.markdown.html import render_document, render_markdown
from generator.model import (
    Activity,
    Calendar,
    ChecklistItem,
    Commit,
    Educator,
    Framework,
    GradePlan,
    Lesson,
    Page,
    Reference,
    Section,
    Student,
    Term,
)
from generator.model.site import Site, SitePage
from generator.model.source import Doc
from generator.render.deck import deck_page
from generator.render.history import CHANGE_RECORD
from generator.render.names import EVIDENCE_FILES, MY_COURSES, MY_EXPERIENCES, MY_GOALS, MY_RESUME, THIS_YEAR
from generator.render.student import AUDIENCE_TITLES, Context, student_site
from generator.visibility.views import Viewer, view_record, view_student

TODAY = datetime.date(2026, 11, 25)  # school year 2026-2027: a student graduating in 2032 is in grade 7
OPTIONS = Options()

FRAMEWORK = Framework(
    id="test",
    title="Test framework",
    sections=(
        Section("goals", "Goals", "Set goals.", ("family",)),
        Section("coursework", "Coursework", "Plan courses.", ("family",)),
        Section("self-awareness", "Self-awareness", "Who I am.", ("family", "advisory")),
        Section("career-exploration", "Careers", "Explore careers.", ("public",)),
        Section("journal", "Journal", "Reflect.", ("private",)),
    ),
    grades=(
        GradePlan(
            7,
            "Explore careers",
            (Activity("g7-interests", 7, "Interest inventory", "self-awareness", "An inventory reflection"),),
            (ChecklistItem("g7-visit", 7, "Visit the career center"),),
        ),
    ),
    calendar=Calendar((8, 27), (1, 21), (6, 17), (Term("fall", "Fall", (8, 27)), Term("spring", "Spring", (1, 21)))),
    review_required_months=6,
    review_recommended_months=3,
)


def page(name: str, body: str, **meta: Any) -> Page:
    path = f"students/ava/{name}"
    return Page(path, name, name.split("/")[0], meta, parse(body, 4, path), Doc(path, meta))


def context(roster_name: str = "Ms. Rivera", lessons: dict[str, Lesson] | None = None) -> Context:
    roster = {"mrivera": Educator("mrivera", roster_name, "school-counselor")}
    return Context(FRAMEWORK, Reference(), roster, lessons or {}, TODAY, AUDIENCE_TITLES)


def ava(**fields: Any) -> Student:
    values: dict[str, Any] = {
        "id": "ava",
        "path": "students/ava",
        "profile": {"name": "Ava Reyes", "graduation_year": 2032, "school": "Harbor View"},
        "goals": (
            {
                "id": "math-b",
                "domain": "academic",
                "term": "short",
                "statement": "Get a B in math.",
                "status": "in-progress",
            },
        ),
        "courses": {"years": [{"grade": 7, "courses": [{"title": "Math 7", "status": "in-progress"}]}]},
        "experiences": (
            {"id": "art", "type": "club", "title": "Art club", "start": "2025-10-01", "reflection": "I shade."},
        ),
        "checklist": ({"id": "g7-visit", "done": True, "date": "2026-10-01"},),
        "pages": (
            page(
                "self-awareness/inventory.md",
                "I am social.\n\n![Chart](../artifacts/chart.png)\n",
                title="My inventory",
                date="2026-10-05",
                activity="g7-interests",
            ),
            page("career-exploration/nurse.md", "Nurses help.\n", title="Nursing"),
            page("journal/day.md", "A bad day.\n", title="Bad day"),
        ),
        "artifacts": ("artifacts/chart.png", "artifacts/unlinked.png"),
    }
    values.update(fields)
    return Student(**values)


ARTIFACT_BYTES = {"artifacts/chart.png": b"\x89PNG chart", "artifacts/unlinked.png": b"\x89PNG unlinked"}


def site_for(
    s: Student,
    audience: str,
    record: Record | None = None,
    ctx: Context | None = None,
    deck: bool = False,
) -> Site:
    ctx = ctx or context()
    viewer = Viewer(audience, OPTIONS, FRAMEWORK)
    v = view_student(s, viewer)
    assert v is not None, f"{audience} sees nothing"
    shown = view_record(record, v, viewer) if record is not None else None
    return student_site(
        v,
        ctx,
        audience,
        f"{audience}/{s.id}",
        ARTIFACT_BYTES,
        "../../public/curriculum",
        ("public/curriculum",),
        indexable=audience == "public",
        record=shown,
        full=viewer.full,
        deck=deck_page(v, ctx, shown, notes=audience == "student") if deck else None,
    )


def paths(site: Site) -> list[str]:
    return [p.path for p in site.pages]


def by_path(site: Site, path: str) -> SitePage:
    found = [p for p in site.pages if p.path == path]
    assert len(found) == 1, f"{path} in {paths(site)}"
    return found[0]


def html(site: Site, path: str) -> str:
    """The page as the site shows it: the generator's Markdown, then the student's body as the view holds it."""
    p = by_path(site, path)
    parts = [render_markdown(p.markdown).html]
    if p.body is not None:
        parts.append(render_document(p.body).html)
    if p.html is not None:
        parts.append(p.html)
    return "".join(parts)


def nav_entries(nav: list[Any]) -> Iterator[tuple[str, Any]]:
    """(label, target) for every entry of the navigation, sections and their children."""
    for entry in nav:
        for label, target in entry.items():
            yield label, target
            if isinstance(target, list):
                yield from nav_entries(target)


def nav_labels(site: Site) -> list[str]:
    return [label for label, _ in nav_entries(site.nav)]


def nav_targets(site: Site) -> list[str]:
    return [t for _, t in nav_entries(site.nav) if isinstance(t, str)]


def record() -> Record:
    def at(day: str) -> datetime.datetime:
        return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(15), datetime.UTC)

    goal = {"id": "math-b", "domain": "academic", "term": "short", "status": "in-progress"}
    versions = (
        GoalVersion(datetime.date(2026, 9, 10), "a1", {**goal, "statement": "Get a C in math."}),
        GoalVersion(datetime.date(2026, 10, 1), "b2", {**goal, "statement": "Get a B in math."}),
    )
    entries = (
        Entry(
            Commit("b2", ("a1",), "Ava Reyes", "ava@example.org", at("2026-10-01"), "Raise my goal", ()),
            "student",
            "Ava Reyes",
            (Item("goals.yml", "changed"),),
            frozenset({"math-b"}),
        ),
        Entry(
            Commit("a1", (), "Ava Reyes", "ava@example.org", at("2026-09-10"), "Start my ILP", ()),
            "student",
            "Ava Reyes",
            (Item("goals.yml", "added"), Item("self-awareness/inventory.md", "added")),
            frozenset({"math-b"}),
        ),
    )
    return Record(True, entries=entries, goal_versions={"math-b": versions})


# --- What a site holds -------------------------------------------------------------------------


def test_home_page_comes_first_in_pages_and_nav() -> None:
    site = site_for(ava(), "family")
    assert site.pages[0].path == "index.md"
    assert site.nav[0] == {"Home": "index.md"}
    home = html(site, "index.md")
    assert "Ava Reyes" in home
    assert "Grade 7" in home
    assert "Harbor View" in home


def test_home_page_lists_recent_dated_work() -> None:
    home = html(site_for(ava(), "family"), "index.md")
    assert '<a href="self-awareness/inventory.md">My inventory</a>' in home
    assert "October 5, 2026" in home


def test_goals_page_holds_the_views_goals() -> None:
    site = site_for(ava(), "family")
    # the framework has a goals section: the goals page is its first entry, not a "Goals" page beside it
    assert {"Goals": [{"My goals": MY_GOALS}]} in site.nav
    assert {"My goals": MY_GOALS} not in site.nav
    goals = html(site, MY_GOALS)
    assert "<h1" in goals
    assert "My goals</h1>" in goals
    assert "Get a B in math." in goals
    assert "In progress" in goals


def test_goals_page_is_left_out_when_the_view_has_no_goals() -> None:
    site = site_for(ava(goals=()), "family")
    assert MY_GOALS not in paths(site)
    assert MY_GOALS not in nav_targets(site)


def test_this_year_page_for_a_grade_in_the_framework() -> None:
    site = site_for(ava(), "family")
    assert {"This year": THIS_YEAR} in site.nav
    this_year = html(site, THIS_YEAR)
    assert "This year</h1>" in this_year
    assert "Grade 7, 2026-2027" in this_year
    assert '<a href="self-awareness/inventory.md">An inventory reflection</a>' in this_year
    assert "☑ Visit the career center · October 1, 2026" in this_year


def test_each_section_with_pages_gets_an_overview_and_its_pages() -> None:
    site = site_for(ava(), "student")
    labels = {label: target for entry in site.nav for label, target in entry.items()}
    assert labels["Self-awareness"] == [
        {"Overview": "self-awareness/index.md"},
        {"My inventory": "self-awareness/inventory.md"},
    ]
    assert labels["Careers"] == [
        {"Overview": "career-exploration/index.md"},
        {"Nursing": "career-exploration/nurse.md"},
    ]
    assert labels["Journal"] == [{"Overview": "journal/index.md"}, {"Bad day": "journal/day.md"}]
    assert labels["Goals"] == [{"My goals": MY_GOALS}]  # the goals section's only entry: the goals page
    overview = html(site, "self-awareness/index.md")
    assert "Who I am." in overview
    assert '<a href="inventory.md">My inventory</a>' in overview


def test_sections_follow_the_framework_order() -> None:
    site = site_for(ava(), "student")
    sections = [label for entry in site.nav for label, t in entry.items() if isinstance(t, list)]
    assert sections == ["Goals", "Self-awareness", "Careers", "Journal"]


def test_section_the_view_holds_no_page_of_is_left_out() -> None:
    site = site_for(ava(), "family")
    assert "journal/day.md" not in paths(site)
    assert "journal/index.md" not in paths(site)
    assert "Journal" not in nav_labels(site)


def test_students_page_carries_its_title_date_and_body() -> None:
    p = by_path(site_for(ava(), "family"), "self-awareness/inventory.md")
    assert p.meta == {"title": "My inventory"}
    assert p.body is not None
    shown = html(site_for(ava(), "family"), "self-awareness/inventory.md")
    assert "<h1" in shown
    assert "My inventory" in shown
    assert "October 5, 2026" in shown
    assert "I am social." in shown


def test_page_that_starts_with_its_own_title_gets_no_second_one() -> None:
    own = page("career-exploration/nurse.md", "# Nurses\n\nThey help.\n", title="Nursing")
    p = by_path(site_for(ava(pages=(own,)), "public"), "career-exploration/nurse.md")
    assert "Nursing" not in p.markdown


def test_student_index_page_replaces_the_generated_overview() -> None:
    index = page("career-exploration/index.md", "My careers.\n", title="All about careers")
    site = site_for(ava(pages=(index,)), "public")
    careers = next(t for entry in site.nav for label, t in entry.items() if label == "Careers")
    assert careers == [
        {"Overview": "career-exploration/index.md"}
    ]  # whoever wrote it, a section starts with its overview
    assert by_path(site, "career-exploration/index.md").body is not None


def test_courses_and_experiences_pages_when_the_view_has_them() -> None:
    site = site_for(ava(), "family")
    assert {"My courses": MY_COURSES} in site.nav
    assert {"My experiences": MY_EXPERIENCES} in site.nav
    assert "Math 7" in html(site, MY_COURSES)
    assert "Art club" in html(site, MY_EXPERIENCES)


def test_resume_page_from_grade_nine() -> None:
    older = ava(profile={"name": "Ava Reyes", "graduation_year": 2030, "school": "Harbor View"})
    assert MY_RESUME in paths(site_for(older, "family"))
    assert MY_RESUME not in paths(site_for(ava(), "family"))


def test_evidence_files_are_the_views_artifacts() -> None:
    site = site_for(ava(), "family")
    assert {"Evidence files": EVIDENCE_FILES} in site.nav
    assert [(f.path, f.content) for f in site.files] == [("artifacts/chart.png", b"\x89PNG chart")]
    listing = html(site, EVIDENCE_FILES)
    assert '<a href="artifacts/chart.png">chart.png</a>' in listing
    assert "unlinked" not in listing


def test_evidence_link_to_a_file_with_a_space_in_its_name_stays_a_link() -> None:
    inventory = page("self-awareness/inventory.md", "![Chart](<../artifacts/my chart.png>)\n", title="My inventory")
    s = ava(pages=(inventory,), artifacts=("artifacts/my chart.png",))
    viewer = Viewer("family", OPTIONS, FRAMEWORK)
    v = view_student(s, viewer)
    assert v is not None
    assert v.artifacts == ("artifacts/my chart.png",)  # the view publishes it ...
    site = student_site(v, context(), "family", "family/ava", {"artifacts/my chart.png": b"png"}, "", ())
    assert "<a href=" in html(
        site, EVIDENCE_FILES
    )  # ... but the listing shows '[my chart.png](artifacts/my chart.png)'


def test_no_evidence_page_when_the_view_publishes_no_artifact() -> None:
    site = site_for(ava(), "advisory")  # the only linked artifact is on a family-and-advisory page ...
    assert [f.path for f in site.files] == ["artifacts/chart.png"]
    site = site_for(ava(), "public")  # ... which the public does not see
    assert site.files == ()
    assert EVIDENCE_FILES not in paths(site)


def test_change_record_page_only_when_a_record_is_passed() -> None:
    assert CHANGE_RECORD not in paths(site_for(ava(), "family"))
    site = site_for(ava(), "family", record=record())
    assert {"Change record": CHANGE_RECORD} in site.nav
    shown = html(site, CHANGE_RECORD)
    assert "October 1, 2026" in shown
    assert "September 10, 2026" in shown
    assert "Raise my goal" not in shown  # messages only for the full audiences


def test_full_change_record_shows_who_and_why() -> None:
    shown = html(site_for(ava(), "educator", record=record()), CHANGE_RECORD)
    assert "Ava Reyes (student)" in shown
    assert "Raise my goal" in shown


def test_goals_page_shows_how_a_goal_changed_when_a_record_is_passed() -> None:
    goals = html(site_for(ava(), "family", record=record()), MY_GOALS)
    assert "How this goal changed" in goals
    assert '<h4 id="how-this-goal-changed">How this goal changed</h4>' in goals
    assert "Revised on October 1, 2026" in goals


def test_site_describes_its_audience() -> None:
    site = site_for(ava(), "family")
    assert site.dest == "family/ava"
    assert site.audience == "family"
    assert site.title == "Ava Reyes's ILP"
    assert site.view_label == "Family view"
    assert site.noindex is True
    assert site_for(ava(), "public").noindex is False


def test_site_without_the_name_has_a_neutral_title() -> None:
    s = ava(profile={"name": "Ava Reyes", "graduation_year": 2032, "visibility": "family"})
    site = site_for(s, "public")
    assert site.title == "ILP portfolio"
    assert "Ava" not in html(site, "index.md")


def test_conference_deck_is_a_page_and_a_nav_entry() -> None:
    deck_meta = {"visibility": "family", "slides": ["title", "my-robot", "goals"]}
    deck = Page(
        "students/ava/conference.md",
        "conference.md",
        "",
        deck_meta,
        parse("## My robot\n\nIt climbs.\n\nNotes: thank Ms. Rivera.\n", 4, "students/ava/conference.md"),
        Doc("students/ava/conference.md", deck_meta),
    )
    student_deck = by_path(site_for(ava(conference=deck), "student", deck=True), "conference.md")
    assert student_deck.meta["template"] == "deck.html"
    assert "thank Ms. Rivera" in (student_deck.html or "")
    site = site_for(ava(conference=deck), "family", deck=True)
    assert {"Conference": "conference.md"} in site.nav
    family_deck = by_path(site, "conference.md").html or ""
    assert "It climbs." in family_deck
    assert "Get a B in math." in family_deck
    assert "thank Ms. Rivera" not in family_deck


# --- Student-written strings never carry a comment or markup into a page --------------------------

COMMENT = "<!-- hidden comment -->"
H = f"Shown {COMMENT}<b>markup</b> words"
FORBIDDEN = ("hidden comment", "<!--", "-->", "<b>", "</b>")


def hostile_student() -> Student:
    deck_meta = {"title": H, "visibility": "family"}
    deck_body = f"## Robot {H}\n\nIt climbs.\n"
    return Student(
        id="ava",
        path="students/ava",
        profile={
            "name": H,
            "preferred_name": H,
            "pronouns": H,
            "graduation_year": 2030,  # grade 9: the résumé page too
            "school": H,
            "advisory": H,
            "about": f"{H}\n\nSecond {H} paragraph.",
            "career": {"pathway": H, "clusters": [H], "interests": [H]},
            "interests": {"riasec": [H], "inventory": H, "strengths": [H], "hobbies": [H]},
            "highlights": [H, {"text": H}],
            "educators": ["mrivera", H],
            "supports": [{"type": "504", "note": H, "since": "2025-09-01", "visibility": "family"}],
            "family": [{"name": H, "relationship": "mother", "visibility": "family"}],
            "joined": {"grade": 6, "date": "2025-08-27", "from": H, "note": H},
        },
        goals=(
            {
                "id": "g1",
                "domain": "career",
                "term": "long",
                "statement": H,
                "status": "in-progress",
                "set": "2026-01-05",
                "due": "2027-06-01",
                "smart": {"specific": H, "measurable": H, "time_bound": H},
                "barriers": [H, {"text": H}],
                "strategies": [{"text": H}],
                "reviews": [{"date": "2026-02-01", "by": "mrivera", "progress": "on-track", "note": H}],
            },
        ),
        courses={
            "program_of_study": H,
            "years": [
                {
                    "grade": 9,
                    "school_year": "2026-2027",
                    "courses": [{"title": H, "provider": H, "term": H, "status": "in-progress", "mark": H}],
                }
            ],
            "credentials": [{"title": H, "issuer": H, "status": "earned", "date": "2026-05-01"}],
            "assessments": [{"name": H, "date": "2026-04-01", "scores": {H: H}, "reflection": H}],
        },
        experiences=(
            {
                "id": "e1",
                "type": "job",
                "title": H,
                "organization": H,
                "role": H,
                "start": "2026-06-01",
                "skills": [H],
                "reflection": H,
            },
        ),
        checklist=({"id": "g7-visit", "done": True, "note": H},),
        pages=(
            page("self-awareness/me.md", "Plain words.\n", title=H, date="2026-10-05"),
            page("journal/day.md", f'Mine.\n\n## Shared {H} {{: visibility="family" }}\n\nFor family.\n', title=H),
        ),
        artifacts=(),
        conference=Page(
            "students/ava/conference.md",
            "conference.md",
            "",
            deck_meta,
            parse(deck_body, 4, "students/ava/conference.md"),
            Doc("students/ava/conference.md", deck_meta),
        ),
    )


def hostile_record() -> Record:
    when = datetime.datetime(2026, 10, 1, 15, tzinfo=datetime.UTC)
    entry = Entry(
        Commit("c1", (), H, "ava@example.org", when, f"{H}\nmore", ()),
        "student",
        H,
        (Item("self-awareness/me.md", "renamed", old_name=H), Item("goals.yml", "changed")),
        frozenset({"g1"}),
    )
    versions = (
        GoalVersion(datetime.date(2026, 1, 5), "c0", {"id": "g1", "statement": H, "status": "not-started"}),
        GoalVersion(datetime.date(2026, 10, 1), "c1", {"id": "g1", "statement": f"{H} v2", "status": "in-progress"}),
    )
    return Record(True, entries=(entry,), goal_versions={"g1": versions})


def hostile_context() -> Context:
    lesson_meta = {"title": H}
    lesson = Lesson(
        "g9-lesson",
        H,
        9,
        "curriculum/grade-09/lesson.md",
        lesson_meta,
        parse("Body.\n", 1, "curriculum/grade-09/lesson.md"),
    )
    framework = Framework(
        FRAMEWORK.id,
        FRAMEWORK.title,
        FRAMEWORK.sections,
        (GradePlan(9, H, (Activity("g9-a", 9, H, "self-awareness", H),), (ChecklistItem("g7-visit", 9, H),)),),
        FRAMEWORK.calendar,
        6,
        3,
    )
    roster = {"mrivera": Educator("mrivera", H, "school-counselor")}
    return Context(framework, Reference(), roster, {"g9-lesson": lesson}, TODAY, AUDIENCE_TITLES)


def site_texts(site: Site) -> Iterator[tuple[str, str]]:
    """(where, text) for everything of a site a reader may see that the generator wrote."""
    yield "site title", site.title
    for p in site.pages:
        yield f"{p.path} markdown", p.markdown
        yield f"{p.path} html", render_markdown(p.markdown).html
        yield f"{p.path} toc", " ".join(entry.title for entry in render_markdown(p.markdown).toc)
        for key, value in p.meta.items():
            yield f"{p.path} meta {key}", str(value)
        if p.html is not None:
            yield f"{p.path} deck", p.html
    for label, target in nav_entries(site.nav):
        yield f"nav label {label!r}", label
        if isinstance(target, str):
            yield f"nav target {target!r}", target


@pytest.mark.parametrize("audience", ["student", "educator", "family"])
def test_comments_and_markup_in_student_strings_never_reach_a_page(audience: str) -> None:
    site = site_for(hostile_student(), audience, record=hostile_record(), ctx=hostile_context(), deck=True)
    leaks = [(where, bad) for where, text in site_texts(site) for bad in FORBIDDEN if bad in text]
    assert leaks == []


@pytest.mark.parametrize("audience", ["student", "family"])
def test_student_strings_still_show_their_words(audience: str) -> None:
    site = site_for(hostile_student(), audience, record=hostile_record(), ctx=hostile_context(), deck=True)
    shown = ("index.md", MY_GOALS, MY_COURSES, MY_EXPERIENCES, THIS_YEAR, MY_RESUME)
    for path in (*shown, CHANGE_RECORD) if audience == "student" else shown:
        assert "Shown markup words" in html(site, path), path
    assert "Shown markup words" in site.title
    assert "Shown markup words" in (by_path(site, "conference.md").html or "")


def test_shared_parts_title_and_nav_label_are_its_headings_words() -> None:
    site = site_for(hostile_student(), "family", ctx=hostile_context())
    journal = next(t for entry in site.nav for label, t in entry.items() if label == "Journal")
    ((label, name),) = journal[1].items()
    assert label == "Shared Shown markup words"
    assert by_path(site, name).meta == {"title": "Shared Shown markup words"}


def test_every_nav_target_is_a_page_of_the_site() -> None:
    site = site_for(hostile_student(), "student", record=hostile_record(), ctx=hostile_context(), deck=True)
    assert set(nav_targets(site)) <= set(paths(site))


def test_no_two_pages_share_a_path() -> None:
    site = site_for(hostile_student(), "student", record=hostile_record(), ctx=hostile_context(), deck=True)
    assert len(paths(site)) == len(set(paths(site)))


# --- Determinism -------------------------------------------------------------------------------------


def outline(site: Site) -> tuple[Any, ...]:
    """A site as data that holds no Document object (a Document compares by identity)."""
    pages = tuple(
        (p.path, p.markdown, p.html, tuple(sorted(p.meta.items())), p.body and render_document(p.body).html)
        for p in site.pages
    )
    rest = (site.dest, site.title, site.audience, site.files, site.view_label, site.view_note, site.noindex)
    return (pages, repr(site.nav), rest, site.link_roots, site.extra)


@pytest.mark.parametrize("audience", ["student", "educator", "family", "advisory"])
def test_rendering_one_view_twice_gives_equal_sites(audience: str) -> None:
    s, ctx, rec = hostile_student(), hostile_context(), hostile_record()
    viewer = Viewer(audience, OPTIONS, ctx.framework)
    v = view_student(s, viewer)
    assert v is not None
    shown = view_record(rec, v, viewer)

    def render() -> Site:
        deck = deck_page(v, ctx, shown, notes=audience == "student")
        return student_site(v, ctx, audience, f"{audience}/ava", {}, "../curriculum", (), record=shown, deck=deck)

    assert render() == render()


@pytest.mark.parametrize("audience", ["student", "family", "public"])
def test_rendering_the_same_input_twice_gives_the_same_site(audience: str) -> None:
    first = site_for(ava(), audience, record=record(), deck=False)
    again = site_for(ava(), audience, record=record(), deck=False)
    assert outline(first) == outline(again)
