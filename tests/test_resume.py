"""The JSON Resume export (generator/export/resume.py): the résumé page's facts in jsonresume.org's
format, from a student's view, valid against the pinned schema, with nothing the export must not carry.
(Same bytes in every process: tests/test_clr.py::test_the_same_view_gives_the_same_bytes_in_every_process.)"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from generator.export.encoding import dumps
from generator.export.resume import resume_document, validate_resume
from generator.pipeline import Corpus, corpus
from tests.conftest import REPO, TODAY_DATE, District
from tests.test_clr import CANARIES, planted, view_of


@pytest.fixture(scope="module")
def sample() -> Corpus:
    return corpus(REPO, today=TODAY_DATE, history=False, artifacts=False)


@pytest.fixture(scope="module")
def emily(sample: Corpus) -> dict[str, Any]:
    return resume_document(view_of(sample, "emily-tran"), sample.context)


def test_emily_s_resume(emily: dict[str, Any]) -> None:
    assert emily["$schema"] == "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.2.1/schema.json"
    assert list(emily) == [
        "$schema",
        "basics",
        "education",
        "work",
        "volunteer",
        "projects",
        "skills",
        "certificates",
        "interests",
    ]
    basics = emily["basics"]
    assert basics["name"] == "Emily Tran"
    assert basics["label"] == "High school student, class of 2027"
    assert basics["summary"].startswith("I'm a senior, and I'll be the first person in my family to go to college.")
    assert set(basics) == {"name", "label", "summary"}  # no email, phone, address, profiles or picture
    school = emily["education"][0]
    assert school["institution"] == "Harbor View High School"
    assert school["area"] == "STEM endorsement: Environmental Science focus"
    assert (school["studyType"], school["startDate"], school["endDate"]) == ("High school diploma", "2023", "2027")
    assert "AP Environmental Science" in school["courses"]
    assert "AP Biology (in progress)" in school["courses"]
    assert not any(course.startswith(("Economics", "GIS 110")) for course in school["courses"])  # only planned
    assert emily["work"] == [
        {
            "name": "Lotus Bakery",
            "position": "Counter staff",
            "startDate": "2025-06-14",
            "summary": "Counter and packing, 620 hours",
            "highlights": ["Customer service in English and Vietnamese", "Handling money", "Working early mornings"],
        }
    ]
    assert [v["organization"] for v in emily["volunteer"]] == ["Harbor Watershed Alliance"]
    projects = {p["name"]: p for p in emily["projects"]}
    assert projects["Young Scientists summer program"]["endDate"] == "2026-07-31"
    assert projects["Environmental Club"]["type"] == "leadership"
    assert projects["Job shadow at the wastewater treatment plant lab"]["entity"] == (
        "Harbor View Wastewater Treatment Facility"
    )
    skills = [s["name"] for s in emily["skills"]]
    assert skills == sorted(skills, key=str.casefold)
    assert "Water sampling" in skills
    assert emily["certificates"] == [
        {"name": "Adult and Pediatric First Aid/CPR/AED", "issuer": "American Red Cross", "date": "2026-06-20"}
    ]
    interests = {i["name"]: i for i in emily["interests"]}
    assert "Birdwatching at the marsh" in interests
    assert interests["Careers I want to learn about"]["keywords"][0] == "Environmental scientist"


def test_every_sample_student_s_resume_is_valid(sample: Corpus) -> None:
    for student in sample.students:
        assert validate_resume(resume_document(view_of(sample, student.id), sample.context)) == [], student.id


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["basics"].update({"name": ["Emily", "Tran"]}),
            "basics.name: ['Emily', 'Tran'] is not of type 'string'",
        ),
        (
            lambda d: d["work"][0].update({"startDate": "summer 2025"}),
            "work[0].startDate: 'summer 2025' does not match",
        ),
        (
            lambda d: d.update({"skills": {"name": "Water sampling"}}),
            "skills: {'name': 'Water sampling'} is not of type 'array'",
        ),
        (lambda d: d.update({"$schema": "resume schema"}), "$schema: 'resume schema' is not a 'uri'"),
    ],
)
def test_an_invalid_resume_is_rejected(
    emily: dict[str, Any], change: Callable[[dict[str, Any]], Any], expected: str
) -> None:
    doc = copy.deepcopy(emily)
    change(doc)
    found = validate_resume(doc)
    assert any(message.startswith(expected) for message in found), found


def test_a_middle_school_resume_claims_no_diploma(district: District) -> None:
    c = planted(district)
    doc = resume_document(view_of(c, "ava"), c.context)
    assert doc["basics"]["label"] == "Grade 7 student"
    assert doc["education"] == [
        {"institution": "Harbor View Middle School", "startDate": "2026", "courses": ["Math 7 (in progress)"]}
    ]
    assert validate_resume(doc) == []


def test_the_resume_carries_nothing_private(district: District) -> None:
    c = planted(district)
    doc = resume_document(view_of(c, "ava"), c.context)
    text = dumps(doc).lower()
    for where, canary in CANARIES.items():
        assert canary.lower() not in text, where
    assert "languages" not in doc
    assert doc["basics"]["summary"] == "I like drawing and animals."  # the student's words, without the comment
    assert [p["name"] for p in doc["projects"]] == ["Art club"]
    assert doc["skills"] == [{"name": "Shading"}]


def test_the_sample_student_s_resume_has_no_email_or_family(emily: dict[str, Any], sample: Corpus) -> None:
    text = dumps(emily).lower()
    student = next(s for s in sample.students if s.id == "emily-tran")
    family = student.profile.get("family", [])
    secrets = [*student.profile.get("emails", []), *(m["name"] for m in family)]
    secrets += [e for m in family for e in m.get("emails", [])]
    assert secrets
    for secret in secrets:
        assert secret.lower() not in text, secret
