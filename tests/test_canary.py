"""Canary test: strings planted in every kind of hidden place never reach an audience that may not see them.

Each canary is unique; after a build of every audience, every file under the folders of audiences
that may not see it is searched, whatever its type, and so are the file names.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from tests.conftest import District

HIDDEN = {
    "page": "canaryPageBody7731",
    "title": "canaryTitle8842",
    "heading": "canaryHeading9953",
    "alt": "canaryAlt1064",
    "goal": "canaryGoal2175",
    "barrier": "canaryBarrier3286",
    "review": "canaryReview4397",
    "experience": "canaryExperience5408",
    "support": "canarySupport6519",
    "family": "canaryFamilyMember7620",
    "course": "canaryCourse8731",
    "assessment": "canaryAssessment9842",
    "checklist": "canaryChecklist1953",
    "section": "canarySectionDefault2064",
    "artifact_name": "canaryartifactname3175",
    "artifact_content": "canaryArtifactContent4286",
    "joined": "canaryJoined5397",
    "link": "canaryLinkTarget6408",
    "slide": "canarySlide9731",
}
NOWHERE = {"comment": "canaryComment7519"}
STUDENT_ONLY = {"speaker_notes": "canaryNotes8620"}


def plant(district: District) -> None:
    c = HIDDEN
    district.write(
        "students/ava/profile.yml",
        f"""\
        name: Ava Reyes
        graduation_year: 2032
        school: Harbor View Middle School
        educators: [mrivera]
        supports:
          - type: "504"
            note: {c["support"]}
        family:
          - name: {c["family"]}
            relationship: aunt
        joined:
          date: 2026-08-27
          grade: 7
          from: Elsewhere
          note: {c["joined"]}
        """,
    )
    district.write(
        "students/ava/goals.yml",
        f"""\
        goals:
          - id: open-goal
            domain: academic
            term: short
            statement: Read twenty books.
            status: in-progress
            barriers:
              - Time.
              - text: {c["barrier"]}
                visibility: private
            reviews:
              - date: 2026-10-01
                by: mrivera
                note: {c["review"]}
                visibility: private
          - id: hidden-goal
            domain: social-emotional
            term: short
            statement: {c["goal"]}
            status: in-progress
            visibility: private
        """,
    )
    district.write(
        "students/ava/experiences.yml",
        f"""\
        experiences:
          - id: hidden
            type: work
            title: {c["experience"]}
            start: 2026-06-01
            reflection: {c["experience"]} reflection
            visibility: private
        """,
    )
    district.write(
        "students/ava/courses.yml",
        f"""\
        years:
          - grade: 7
            courses:
              - {{title: Math 7, status: in-progress}}
              - {{title: {c["course"]}, status: in-progress, visibility: private}}
        assessments:
          - name: {c["assessment"]}
            date: 2026-10-01
            visibility: private
        """,
    )
    district.write(
        "students/ava/checklist.yml",
        f"""\
        items:
          - id: g7-grades-check
            done: true
            note: {c["checklist"]}
            visibility: private
        """,
    )
    district.write(
        "students/ava/career-exploration/nurse.md",
        f"""\
        ---
        title: Research on nursing
        ---
        Nurses need a degree. ![Chart of nurse pay](../artifacts/chart.svg)

        <!-- {NOWHERE["comment"]} -->

        ## What worries me {{: visibility="private" }}

        {c["heading"]} and [a private page](../self-awareness/{c["link"]}.md).

        ![{c["alt"]}](../artifacts/chart.svg)

        ## Back to everyone

        Visible again.
        """,
    )
    district.write(
        f"students/ava/self-awareness/{c['link']}.md",
        f"""\
        ---
        title: {c["title"]}
        visibility: private
        ---
        {c["page"]}

        ![A drawing](../artifacts/{c["artifact_name"]}.svg)
        """,
    )
    district.write(
        f"students/ava/artifacts/{c['artifact_name']}.svg",
        f'<svg xmlns="http://www.w3.org/2000/svg"><text x="1" y="10">{c["artifact_content"]}</text></svg>\n',
    )
    district.write(
        "students/ava/conference.md",
        f"""\
        ---
        visibility: family
        ---
        ## My robot

        It picks up cups.

        Notes: {STUDENT_ONLY["speaker_notes"]}

        ---

        ## Private slide {{: visibility="private" }}

        {c["slide"]}
        """,
    )
    district.write(
        "students/ava/transition-planning/plan.md",
        f"---\ntitle: Next year\n---\n{c['section']}\n",
    )


def corpus(folder: Path) -> str:
    """Every file's bytes (gzip files unpacked) and every path under `folder`, as one string."""
    parts = []
    for path in sorted(folder.rglob("*")):
        parts.append(path.relative_to(folder).as_posix())
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".gz":
                data = gzip.decompress(data)
            parts.append(data.decode("utf-8", errors="replace"))
    return "\n".join(parts)


def test_hidden_content_never_reaches_other_audiences(district: District) -> None:
    plant(district)
    check = district.check()
    assert check.exit_code == 0, check.output
    out = district.root.parent / "site"
    result = district.run("build", "--root", str(district.root), "--out", str(out))
    assert result.exit_code == 0, result.output
    for audience in ("family", "advisory", "public"):
        text = corpus(out / audience)
        for kind, canary in {**HIDDEN, **NOWHERE, **STUDENT_ONLY}.items():
            assert canary.lower() not in text.lower(), f"{kind} canary leaked into the {audience} view"
    assert "Nurses need a degree." in corpus(out / "family")
    assert "Visible again." in corpus(out / "family")
    shared = "\n".join(
        corpus(p) if p.is_dir() else p.read_text(encoding="utf-8")
        for p in out.iterdir()
        if p.name in ("assets", "index.html", "404.html")
    )
    for canary in (*HIDDEN.values(), *NOWHERE.values()):
        assert canary.lower() not in shared.lower()
    for audience in ("student", "educator"):
        text = corpus(out / audience)
        for kind, canary in HIDDEN.items():
            assert canary.lower() in text.lower(), (
                f"{kind} canary missing from the {audience} view: the test plants it wrong"
            )
        assert NOWHERE["comment"] not in text
    assert STUDENT_ONLY["speaker_notes"] in corpus(out / "student")
    assert STUDENT_ONLY["speaker_notes"] not in corpus(out / "educator")
