"""Stage 3 in memory: view_student and view_record on a Framework and a Student built by hand.

No files, no tmp_path: every page's body comes from `parse(...)` on a string, so each test
shows the one visibility rule it is named for.
"""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from typing import Any

import pytest

from generator.config import Options
from generator.history.record import Entry, GoalVersion, Item, Record
from generator.markdown.document import parse
from generator.markdown.html import render_document
from generator.markdown.slides import own_slides
from generator.model import Calendar, Commit, Framework, GradePlan, Page, Section, Student, Term
from generator.model.source import Doc
from generator.visibility.views import Viewer, view_record, view_student

AUDIENCES = ("student", "educator", "family", "advisory", "public")
OPTIONS = Options()  # audiences as above; student and educator see everything; 'public' shares with everyone

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
    grades=(GradePlan(7, "Explore", (), ()),),
    calendar=Calendar((8, 27), (1, 21), (6, 17), (Term("fall", "Fall", (8, 27)), Term("spring", "Spring", (1, 21)))),
    review_required_months=6,
    review_recommended_months=3,
)


def page(name: str, body: str, section: str | None = None, **meta: Any) -> Page:
    path = f"students/ava/{name}"
    meta = {"title": name.rsplit("/", 1)[-1].removesuffix(".md"), **meta}
    return Page(path, name, section or name.split("/")[0], meta, parse(body, 4, path), Doc(path, meta))


def student(**fields: Any) -> Student:
    values: dict[str, Any] = {
        "id": "ava",
        "path": "students/ava",
        "profile": {"name": "Ava Reyes"},
        "goals": (),
        "courses": {},
        "experiences": (),
        "checklist": (),
        "pages": (),
        "artifacts": (),
    }
    values.update(fields)
    return Student(**values)


def view(s: Student, audience: str) -> Student | None:
    return view_student(s, Viewer(audience, OPTIONS, FRAMEWORK))


def seen(s: Student, audience: str) -> Student:
    v = view(s, audience)
    assert v is not None, f"{audience} sees nothing"
    return v


def html_of(v: Student, name: str) -> str:
    found = [p for p in v.pages if p.name == name]
    assert found, f"no page {name} in {[p.name for p in v.pages]}"
    return render_document(found[0].doc).html


def names(v: Student | None) -> list[str]:
    return [p.name for p in v.pages] if v is not None else []


# --- Pages: the section's default, front matter, heading markers -----------------------------------


def test_page_without_front_matter_visibility_takes_its_section_default() -> None:
    s = student(
        pages=(
            page("career-exploration/nurse.md", "Nurses help people."),
            page("self-awareness/me.md", "I like drawing."),
            page("journal/day.md", "A bad day."),
        )
    )
    assert names(seen(s, "public")) == ["career-exploration/nurse.md"]
    assert names(seen(s, "advisory")) == ["career-exploration/nurse.md", "self-awareness/me.md"]
    assert names(seen(s, "family")) == ["career-exploration/nurse.md", "self-awareness/me.md"]
    for full in ("student", "educator"):
        assert names(seen(s, full)) == ["career-exploration/nurse.md", "self-awareness/me.md", "journal/day.md"]


def test_page_in_unknown_section_is_private() -> None:
    s = student(pages=(page("hobbies/kites.md", "Kites.", section="hobbies"),))
    assert names(seen(s, "family")) == []
    assert names(seen(s, "student")) == ["hobbies/kites.md"]


def test_front_matter_visibility_overrides_the_section_default() -> None:
    s = student(
        pages=(
            page("journal/shared.md", "Shared entry.", visibility="family"),
            page("career-exploration/draft.md", "Draft.", visibility="private"),
        )
    )
    assert names(seen(s, "family")) == ["journal/shared.md"]
    assert names(seen(s, "advisory")) == []
    assert names(view(s, "public")) == []


def test_front_matter_visibility_takes_a_list_or_several_words() -> None:
    s = student(
        pages=(
            page("journal/a.md", "A.", visibility=["family", "advisory"]),
            page("journal/b.md", "B.", visibility="family, advisory"),
        )
    )
    assert names(seen(s, "advisory")) == ["journal/a.md", "journal/b.md"]
    assert names(view(s, "public")) == []


def test_public_page_is_seen_by_every_audience() -> None:
    s = student(pages=(page("journal/open.md", "Open.", visibility="public"),))
    for audience in AUDIENCES:
        assert names(seen(s, audience)) == ["journal/open.md"], audience


def test_view_meta_has_no_visibility_key() -> None:
    s = student(pages=(page("journal/a.md", "A.", visibility="family", date="2026-10-01"),))
    shown = seen(s, "family").pages[0]
    assert "visibility" not in shown.meta
    assert shown.meta["date"] == "2026-10-01"


def test_heading_marker_hides_its_section_from_audiences_it_does_not_name() -> None:
    body = 'Open words.\n\n## Worries {: visibility="private" }\n\nSecret words.\n\n## Plans\n\nPlan words.\n'
    s = student(pages=(page("self-awareness/me.md", body),))
    family = html_of(seen(s, "family"), "self-awareness/me.md")
    assert "Open words." in family
    assert "Plan words." in family
    assert "Secret words." not in family
    assert "Worries" not in family
    for full in ("student", "educator"):
        assert "Secret words." in html_of(seen(s, full), "self-awareness/me.md")


def test_heading_marker_section_ends_at_a_heading_of_the_same_level() -> None:
    body = '## A {: visibility="private" }\n\n### Under A\n\nHidden.\n\n## B\n\nShown.\n'
    s = student(pages=(page("self-awareness/me.md", body),))
    html = html_of(seen(s, "advisory"), "self-awareness/me.md")
    assert "Under A" not in html
    assert "Hidden." not in html
    assert "Shown." in html


def test_family_marker_nested_under_a_private_one_is_not_shown_to_family() -> None:
    body = (
        '## Private part {: visibility="private" }\n\nPrivate words.\n\n'
        '### Family part {: visibility="family" }\n\nNested family words.\n\n'
        "## Last\n\nLast words.\n"
    )
    s = student(pages=(page("self-awareness/me.md", body),))
    family = html_of(seen(s, "family"), "self-awareness/me.md")
    assert "Nested family words." not in family
    assert "Private words." not in family
    assert "Last words." in family
    assert "Nested family words." in html_of(seen(s, "student"), "self-awareness/me.md")


def test_nested_marker_narrows_to_the_audiences_both_name() -> None:
    body = (
        '## Outer {: visibility="family advisory" }\n\nOuter words.\n\n'
        '### Inner {: visibility="advisory" }\n\nInner words.\n'
    )
    s = student(pages=(page("journal/day.md", body, visibility="family"),))
    family = html_of(seen(s, "family"), "journal/day.md")
    assert "Outer words." in family
    assert "Inner words." not in family


def test_marker_that_cannot_be_read_hides_its_section_but_from_full_audiences() -> None:
    body = 'Open.\n\n## Plans {: visibility=family advisory" }\n\nUnreadable marker words.\n'
    s = student(pages=(page("self-awareness/me.md", body),))
    assert "Unreadable marker words." not in html_of(seen(s, "family"), "self-awareness/me.md")
    assert "Unreadable marker words." in html_of(seen(s, "educator"), "self-awareness/me.md")


# --- A private page with a shared section ------------------------------------------------------


SHARED_BODY = (
    "Private opening.\n\n"
    '## My <b>plan</b> <!-- draft --> for *spring* {: visibility="family" }\n\n'
    "Family-visible words.\n\n"
    "## Just mine\n\nStill private.\n"
)


def shared_student() -> Student:
    return student(pages=(page("journal/worries.md", SHARED_BODY, title="My worries", date="2026-10-02"),))


def test_private_page_with_a_family_section_shows_family_only_that_section() -> None:
    family = seen(shared_student(), "family")
    assert len(family.pages) == 1
    html = render_document(family.pages[0].doc).html
    assert "Family-visible words." in html
    assert "Private opening." not in html
    assert "Still private." not in html


def test_shared_part_is_shown_under_its_headings_words_not_the_page_title() -> None:
    part = seen(shared_student(), "family").pages[0]
    assert part.meta == {"title": "My plan for spring"}
    assert part.title == "My plan for spring"


def test_shared_part_has_an_opaque_name_in_the_same_folder() -> None:
    part = seen(shared_student(), "family").pages[0]
    folder, _, file_name = part.name.rpartition("/")
    assert folder == "journal"
    assert file_name.startswith("shared-")
    assert file_name.endswith(".md")
    assert "worries" not in part.name
    assert part.path == ""
    assert part.section == "journal"


def test_shared_part_name_is_the_same_on_every_build() -> None:
    first = seen(shared_student(), "family").pages[0].name
    again = seen(shared_student(), "family").pages[0].name
    assert first == again


def test_shared_part_keeps_none_of_the_pages_front_matter() -> None:
    part = seen(shared_student(), "family").pages[0]
    assert "date" not in part.meta
    assert "My worries" not in json.dumps(part.meta)


def test_shared_part_carries_no_raw_front_matter_of_the_page() -> None:
    part = seen(shared_student(), "family").pages[0]
    assert "My worries" not in json.dumps(part.meta_doc.data)
    assert "worries" not in part.meta_doc.path


def test_private_page_with_a_shared_section_is_whole_for_the_student() -> None:
    mine = seen(shared_student(), "student").pages[0]
    assert mine.name == "journal/worries.md"
    assert mine.title == "My worries"
    assert "Private opening." in render_document(mine.doc).html


def test_private_page_without_a_shared_section_gives_no_shared_part() -> None:
    s = student(pages=(page("journal/day.md", "All mine.\n\n## More\n\nStill mine.\n"),))
    assert seen(s, "family").pages == ()


# --- YAML items -----------------------------------------------------------------------------------


def test_experience_items_take_the_files_section_default_unless_they_say() -> None:
    s = student(
        experiences=(
            {"id": "art", "title": "Art club"},
            {"id": "job", "title": "Job", "visibility": "private"},
            {"id": "fair", "title": "Fair", "visibility": "public"},
        )
    )
    assert [e["id"] for e in seen(s, "advisory").experiences] == ["art", "fair"]
    assert [e["id"] for e in seen(s, "public").experiences] == ["fair"]
    assert [e["id"] for e in seen(s, "educator").experiences] == ["art", "job", "fair"]


def test_yaml_items_in_a_view_carry_no_visibility_key() -> None:
    s = student(experiences=({"id": "fair", "title": "Fair", "visibility": "public"},))
    assert seen(s, "public").experiences == ({"id": "fair", "title": "Fair"},)


def test_course_items_are_filtered_and_empty_years_dropped() -> None:
    s = student(
        courses={
            "program_of_study": "Health sciences",
            "years": [
                {"grade": 7, "courses": [{"title": "Math 7"}, {"title": "Tutoring", "visibility": "private"}]},
                {"grade": 6, "courses": [{"title": "Secret", "visibility": "private"}]},
            ],
            "credentials": [{"title": "CPR", "visibility": "advisory"}],
        }
    )
    family = seen(s, "family").courses
    assert family["years"] == [{"grade": 7, "courses": [{"title": "Math 7"}]}]
    assert "credentials" not in family
    assert family["program_of_study"] == "Health sciences"
    advisory = seen(s, "advisory").courses
    assert advisory == {"credentials": [{"title": "CPR"}]}  # the program is the file's, which advisory does not see


def test_checklist_items_take_the_goals_section_default() -> None:
    s = student(checklist=({"id": "visit", "done": True}, {"id": "fafsa", "visibility": "private"}))
    assert [c["id"] for c in seen(s, "family").checklist] == ["visit"]
    assert seen(s, "advisory").checklist == ()


# --- The profile ------------------------------------------------------------------------------------


PROFILE = {
    "name": "Ava Reyes",
    "school": "Harbor View",
    "emails": ["ava@example.org"],
    "languages": ["Spanish"],
    "joined": {"grade": 6, "date": "2025-08-27"},
    "educators": ["mrivera"],
    "supports": [
        {"type": "504", "note": "Extra time."},
        {"type": "iep", "note": "Reading help.", "visibility": "family"},
    ],
    "family": [
        {"name": "Rosa Reyes", "relationship": "mother"},
        {"name": "Tio Luis", "relationship": "uncle", "visibility": "family advisory"},
    ],
    "highlights": ["Art show", {"text": "Private prize", "visibility": "private"}],
}


def test_supports_are_private_unless_an_item_says_otherwise() -> None:
    s = student(profile=PROFILE)
    assert seen(s, "family").profile["supports"] == [{"type": "iep", "note": "Reading help."}]
    assert "supports" not in seen(s, "advisory").profile
    assert len(seen(s, "educator").profile["supports"]) == 2


def test_family_members_are_private_unless_an_item_says_otherwise() -> None:
    s = student(profile=PROFILE)
    assert seen(s, "advisory").profile["family"] == [{"name": "Tio Luis", "relationship": "uncle"}]
    assert [m["name"] for m in seen(s, "student").profile["family"]] == ["Rosa Reyes", "Tio Luis"]


def test_sensitive_lists_are_private_even_when_the_profile_is_public() -> None:
    s = student(profile={**PROFILE, "visibility": "public"})
    public = seen(s, "public").profile
    assert public["name"] == "Ava Reyes"
    assert "supports" not in public
    assert "family" not in public


@pytest.mark.parametrize("audience", AUDIENCES)
def test_emails_are_never_shown(audience: str) -> None:
    s = student(profile={**PROFILE, "visibility": "public"})
    profile = seen(s, audience).profile
    assert "emails" not in profile
    assert "ava@example.org" not in json.dumps(profile)


def test_languages_and_joined_are_only_for_full_audiences() -> None:
    s = student(profile=PROFILE)
    assert {"languages", "joined"} <= seen(s, "educator").profile.keys()
    assert not {"languages", "joined"} & seen(s, "family").profile.keys()


def test_profile_basics_go_to_family_and_advisory_by_default() -> None:
    s = student(profile=PROFILE, pages=(page("career-exploration/nurse.md", "Nurses."),))
    assert seen(s, "family").profile["school"] == "Harbor View"
    assert seen(s, "advisory").profile["name"] == "Ava Reyes"
    public = seen(s, "public").profile
    assert "name" not in public
    assert "school" not in public
    assert "highlights" not in public


def test_educators_are_not_shown_to_everyone_even_from_a_public_profile() -> None:
    s = student(profile={**PROFILE, "visibility": "public"})
    assert "educators" not in seen(s, "public").profile
    assert seen(s, "family").profile["educators"] == ["mrivera"]


def test_highlights_are_filtered_and_given_as_text() -> None:
    s = student(profile=PROFILE)
    assert seen(s, "family").profile["highlights"] == ["Art show"]
    assert seen(s, "student").profile["highlights"] == ["Art show", "Private prize"]


def test_audience_that_sees_nothing_gets_no_view() -> None:
    s = student(profile=PROFILE, pages=(page("journal/day.md", "Mine."),))
    assert view(s, "public") is None


# --- Goals ------------------------------------------------------------------------------------------


GOAL = {
    "id": "math-b",
    "domain": "academic",
    "term": "short",
    "statement": "Get a B in math.",
    "status": "in-progress",
    "barriers": ["I forget homework.", {"text": "My brother needs me.", "visibility": "private"}],
    "strategies": [{"text": "Use a planner."}, {"text": "Ask advisory.", "visibility": "advisory"}],
    "reviews": [
        {"date": "2026-11-02", "by": "mrivera", "note": "On track."},
        {"date": "2026-11-10", "by": "mrivera", "note": "Private talk.", "visibility": "private"},
    ],
}


def test_goals_take_the_goals_section_default() -> None:
    s = student(goals=(GOAL, {**GOAL, "id": "private-goal", "visibility": "private"}))
    assert [g["id"] for g in seen(s, "family").goals] == ["math-b"]
    assert seen(s, "advisory").goals == ()
    assert [g["id"] for g in seen(s, "educator").goals] == ["math-b", "private-goal"]


def test_goal_barriers_strategies_and_reviews_are_filtered_by_their_items() -> None:
    (goal,) = seen(student(goals=(GOAL,)), "family").goals
    assert goal["barriers"] == ["I forget homework."]
    assert goal["strategies"] == [{"text": "Use a planner."}]
    assert [r["note"] for r in goal["reviews"]] == ["On track."]


def test_goal_items_default_to_the_goals_own_visibility() -> None:
    shared = {**GOAL, "visibility": "advisory"}
    (goal,) = seen(student(goals=(shared,)), "advisory").goals
    assert goal["barriers"] == ["I forget homework."]
    assert goal["strategies"] == [{"text": "Use a planner."}, {"text": "Ask advisory."}]
    assert "visibility" not in goal


def test_full_audiences_see_every_goal_item() -> None:
    (goal,) = seen(student(goals=(GOAL,)), "student").goals
    assert len(goal["barriers"]) == 2
    assert len(goal["strategies"]) == 2
    assert len(goal["reviews"]) == 2


# --- The conference deck -------------------------------------------------------------------------


DECK_BODY = (
    "## My robot\n\nIt climbs stairs.\n\nNotes: say thank you to Ms. Rivera.\n\n---\n\n"
    '## Hard times {: visibility="private" }\n\nI almost quit.\n'
)


def deck_student(**meta: Any) -> Student:
    path = "students/ava/conference.md"
    meta = {"title": "Ava's conference", "slides": ["title", "my-robot"], **meta}
    deck = Page(path, "conference.md", "", meta, parse(DECK_BODY, 5, path), Doc(path, meta))
    return student(conference=deck)


def deck_html(v: Student) -> str:
    assert v.conference is not None
    return render_document(v.conference.doc).html


def test_speaker_notes_are_only_in_the_students_view() -> None:
    s = deck_student(visibility="family")
    assert "say thank you" in deck_html(seen(s, "student"))
    for audience in ("educator", "family"):
        html = deck_html(seen(s, audience))
        assert "It climbs stairs." in html, audience
        assert "say thank you" not in html, audience


def test_deck_markers_hide_slides_from_the_deck_audience() -> None:
    s = deck_student(visibility="family")
    assert "I almost quit." not in deck_html(seen(s, "family"))
    assert "I almost quit." in deck_html(seen(s, "educator"))


def test_deck_is_private_without_its_own_visibility() -> None:
    v = seen(deck_student(), "family")
    assert v.conference is not None
    assert v.conference.meta == {}
    assert own_slides(v.conference.doc)[0] == []  # only the slide separators are left, which hold no text
    assert "It climbs stairs." not in deck_html(v)


def test_deck_title_and_order_are_only_where_the_deck_is_shared() -> None:
    assert seen(deck_student(visibility="family"), "family").conference.meta["slides"] == ["title", "my-robot"]
    assert seen(deck_student(visibility="family"), "advisory").conference.meta == {}


# --- Artifacts -------------------------------------------------------------------------------------


def artifact_student() -> Student:
    return student(
        artifacts=("artifacts/chart.png", "artifacts/diary.png", "artifacts/loose.png", "artifacts/hidden.png"),
        pages=(
            page(
                "career-exploration/nurse.md",
                "![My chart](../artifacts/chart.png)\n\n<!-- ![old](../artifacts/hidden.png) -->\n\n"
                "`../artifacts/hidden.png`\n",
            ),
            page("journal/day.md", "[My diary](../artifacts/diary.png)\n"),
        ),
    )


def test_artifact_is_published_only_when_a_visible_page_links_it() -> None:
    s = artifact_student()
    assert seen(s, "public").artifacts == ("artifacts/chart.png",)
    assert seen(s, "student").artifacts == ("artifacts/chart.png", "artifacts/diary.png")


def test_unlinked_artifact_is_published_to_nobody() -> None:
    s = artifact_student()
    for audience in AUDIENCES:
        assert "artifacts/loose.png" not in seen(s, audience).artifacts, audience


def test_artifact_named_only_in_a_comment_or_code_is_not_published() -> None:
    s = artifact_student()
    for audience in AUDIENCES:
        assert "artifacts/hidden.png" not in seen(s, audience).artifacts, audience


def test_published_artifacts_are_the_ones_the_rendered_pages_link() -> None:
    v = seen(artifact_student(), "family")
    html = "".join(render_document(p.doc).html for p in v.pages)
    assert 'src="../artifacts/chart.png"' in html
    assert "diary.png" not in html
    for artifact in v.artifacts:
        assert artifact.removeprefix("artifacts/") in html


def test_artifact_linked_only_from_a_hidden_section_is_not_published() -> None:
    body = 'Open.\n\n## Mine {: visibility="private" }\n\n![x](../artifacts/chart.png)\n'
    s = student(artifacts=("artifacts/chart.png",), pages=(page("career-exploration/nurse.md", body),))
    assert seen(s, "public").artifacts == ()
    assert seen(s, "educator").artifacts == ("artifacts/chart.png",)


def test_artifact_linked_from_a_shared_part_is_published() -> None:
    body = 'Mine.\n\n## For family {: visibility="family" }\n\n![x](../artifacts/chart.png)\n'
    s = student(artifacts=("artifacts/chart.png",), pages=(page("journal/day.md", body),))
    assert seen(s, "family").artifacts == ("artifacts/chart.png",)
    assert seen(s, "advisory").artifacts == ()


def test_artifact_linked_only_from_speaker_notes_is_published_only_to_the_student() -> None:
    body = "## Robot\n\nIt climbs.\n\nNotes: show ![p](artifacts/chart.png)\n"
    path = "students/ava/conference.md"
    meta = {"visibility": "family"}
    deck = Page(path, "conference.md", "", meta, parse(body, 3, path), Doc(path, meta))
    s = student(artifacts=("artifacts/chart.png",), conference=deck)
    assert seen(s, "student").artifacts == ("artifacts/chart.png",)
    assert seen(s, "family").artifacts == ()
    assert seen(s, "educator").artifacts == ()


# --- The change record ------------------------------------------------------------------------------


def commit(sha: str, day: str, message: str = "") -> Commit:
    when = datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(15), datetime.UTC)
    return Commit(sha, (), "Ava Reyes", "ava@example.org", when, message or f"commit {sha}", ())


def version(sha: str, day: str, statement: str, valid: bool = True, **extra: Any) -> GoalVersion:
    goal = {"id": "math-b", "domain": "academic", "term": "short", "status": "in-progress", "statement": statement}
    return GoalVersion(datetime.date.fromisoformat(day), sha, {**goal, **extra}, valid)


def goal_record() -> Record:
    versions = (
        version("a1", "2026-09-10", "Get a C in math."),
        version("b2", "2026-09-20", "Broken version with a secret.", valid=False),
        version(
            "c3", "2026-10-01", "Get a B in math.", barriers=["I forget.", {"text": "Hidden.", "visibility": "private"}]
        ),
        version("d4", "2026-10-05", "Private rewrite.", visibility="private"),
    )
    entries = tuple(
        Entry(
            commit(v.sha, v.day.isoformat()),
            "student",
            "Ava Reyes",
            (Item("goals.yml", "changed"),),
            frozenset({"math-b"}),
        )
        for v in reversed(versions)
    )
    return Record(
        True, entries=entries, goal_versions={"math-b": versions}, goal_first_seen={"math-b": versions[0].day}
    )


def record_for(audience: str) -> Record:
    s = student(goals=(GOAL,))
    viewer = Viewer(audience, OPTIONS, FRAMEWORK)
    v = view_student(s, viewer)
    assert v is not None
    return view_record(goal_record(), v, viewer)


def test_goal_version_that_fails_todays_schema_is_not_shown_to_family() -> None:
    shown = record_for("family").goal_versions["math-b"]
    statements = [v.goal["statement"] for v in shown]
    assert statements == ["Get a C in math.", "Get a B in math."]
    assert "secret" not in json.dumps([v.goal for v in shown])


def test_goal_version_with_private_visibility_is_not_shown_to_family() -> None:
    statements = [v.goal["statement"] for v in record_for("family").goal_versions["math-b"]]
    assert "Private rewrite." not in statements


def test_goal_versions_for_family_keep_only_their_visible_items_and_no_commit_id() -> None:
    shown = record_for("family").goal_versions["math-b"]
    assert shown[-1].goal["barriers"] == ["I forget."]
    assert all(v.sha == "" for v in shown)


def test_family_record_lists_only_commits_that_changed_what_family_sees() -> None:
    record = record_for("family")
    days = [e.commit.day.isoformat() for e in record.entries]
    assert days == ["2026-10-01", "2026-09-10"]
    for entry in record.entries:
        assert entry.commit.sha == ""
        assert entry.commit.message == ""
        assert entry.commit.author == ""
        assert entry.who == ""
        assert entry.role == ""


def test_family_record_has_nothing_of_goals_family_does_not_see() -> None:
    s = student(goals=({**GOAL, "visibility": "private"},))
    viewer = Viewer("family", OPTIONS, FRAMEWORK)
    v = view_student(s, viewer)
    assert v is not None
    record = view_record(goal_record(), v, viewer)
    assert record.goal_versions == {}
    assert record.entries == ()
    assert record.goal_first_seen == {}


@pytest.mark.parametrize("audience", ["student", "educator"])
def test_full_audiences_get_the_whole_record(audience: str) -> None:
    record = record_for(audience)
    assert len(record.goal_versions["math-b"]) == 4
    assert [e.commit.sha for e in record.entries] == ["d4", "c3", "b2", "a1"]


def test_unavailable_record_is_passed_on_as_it_is() -> None:
    s = student(goals=(GOAL,))
    viewer = Viewer("family", OPTIONS, FRAMEWORK)
    v = view_student(s, viewer)
    assert v is not None
    missing = Record(False, "the history was not read")
    assert view_record(missing, v, viewer) is missing


# --- The stage wall ---------------------------------------------------------------------------------


def test_pure_stages_do_not_import_the_loader_checks_git_or_mkdocs() -> None:
    code = (
        "import json, sys\n"
        "import generator.visibility.views, generator.render.student\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = json.loads(done.stdout)
    banned = ("generator.load", "generator.check", "git", "mkdocs")
    pulled = [m for m in loaded if any(m == b or m.startswith(b + ".") for b in banned)]
    assert pulled == [], "run `python -X importtime -c 'import generator.render.student'` to see the chain"
