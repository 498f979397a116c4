"""The Comprehensive Learner Record export (generator/export/clr.py, sign.py, schemas.py): built from a
student's view, valid against the pinned CLR 2.0 and Open Badges 3.0 schemas, the same bytes every
time, signed as a VC-JWT that verifies, and nothing the export must not carry."""

from __future__ import annotations

import base64
import copy
import datetime
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from generator.export.clr import EmptyRecord, clr_document, district_urn, validate_clr
from generator.export.encoding import dumps
from generator.export.schemas import PINNED, pinned
from generator.export.sign import SignatureError, SigningKeyError, public_jwk, sign_clr, verify_clr
from generator.model import Student
from generator.pipeline import Corpus, corpus
from generator.render.student import Context, evidence
from generator.visibility.views import Viewer, view_student
from tests.conftest import REPO, TODAY_DATE, District

ISSUED = datetime.date(2026, 11, 25)


def page_url(name: str) -> str:
    """As the site export writes pages: `<section>/<page>.html` for `<section>/<page>.md`."""
    return "site/" + name.removesuffix(".md") + ".html"


def view_of(c: Corpus, student_id: str, audience: str = "student") -> Student:
    student = next(s for s in c.students if s.id == student_id)
    view = view_student(student, Viewer(audience, c.district.options, c.context.framework))
    assert view is not None
    return view


def build(c: Corpus, view: Student) -> dict[str, Any]:
    name = c.district.options.site_name
    return clr_document(
        view, c.context, issued=ISSUED, page_url=page_url, district_id=district_urn(name), district_name=name
    )


def credentials(doc: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = doc["credentialSubject"]["verifiableCredential"]
    return found


def by_name(doc: dict[str, Any], kind: str | None = None) -> dict[str, dict[str, Any]]:
    """The credentials by their achievement's name (of one achievementType, when given)."""
    found: dict[str, dict[str, Any]] = {}
    for vc in credentials(doc):
        achievement = vc["credentialSubject"]["achievement"]
        if kind is None or achievement["achievementType"] == kind:
            found.setdefault(achievement["name"], vc)
    return found


def codes(vc: dict[str, Any]) -> list[str]:
    return [a["targetCode"] for a in vc["credentialSubject"]["achievement"].get("alignment", [])]


@pytest.fixture(scope="module")
def sample() -> Corpus:
    return corpus(REPO, today=TODAY_DATE, history=False, artifacts=False)


@pytest.fixture(scope="module")
def emily(sample: Corpus) -> dict[str, Any]:
    return build(sample, view_of(sample, "emily-tran"))


# --- What the record holds -----------------------------------------------------------------------


def test_every_completed_activity_is_an_achievement_with_its_asca_alignments(sample: Corpus) -> None:
    context: Context = sample.context
    for student in sample.students:
        view = view_of(sample, student.id)
        doc = build(sample, view)
        names = by_name(doc, "Assignment")
        done = evidence(view)  # the portfolio's own "this year" table: activity -> its evidence page
        for activity_id, page in done.items():
            activity = context.framework.activities[activity_id]
            vc = names[activity.title]
            achievement = vc["credentialSubject"]["achievement"]
            assert page_url(page) in [e["id"] for e in vc["evidence"]], (student.id, activity_id)
            taught = {
                code for lesson in context.lessons.values() if activity_id in lesson.activities for code in lesson.asca
            }
            assert taught <= set(codes(vc)), (student.id, activity_id)
            for alignment in achievement.get("alignment", []):
                assert alignment["targetDescription"] == context.reference.asca[alignment["targetCode"]]
                assert alignment["targetFramework"].startswith("ASCA Student Standards: Mindsets & Behaviors")
        assert len(names) == len(done), student.id


def test_emily_s_record(emily: dict[str, Any], sample: Corpus) -> None:
    names = by_name(emily)
    # A page written in a lesson: the activity, aligned to the lesson's codes, with the page as evidence.
    applied = names["Applied learning reflection"]
    assert codes(applied) == ["M 4", "B-LS 6", "B-LS 8", "B-SS 1"]
    assert applied["evidence"] == [
        {
            "id": "site/applied-learning/marsh-water-quality.html",
            "type": ["Evidence"],
            "name": "What the marsh data showed (and the error we found)",
            "description": "My grade 10 Environmental Club project analyzing a year of salt marsh water-quality data, and the problem solving it took.",
        }
    ]
    assert applied["awardedDate"] == "2025-05-22T00:00:00Z"
    # Evidence from a goal brings the goal's own codes, besides the curriculum's.
    career_goal = names["Postsecondary and workforce goal"]
    assert {"B-LS 7", "M 6", "B-LS 8"} <= set(codes(career_goal))
    assert [e["id"] for e in career_goal["evidence"]] == ["site/my-goals.html"]
    # Two pages for one activity: both are evidence.
    assert [e["id"] for e in names["Applications"]["evidence"]] == [
        "site/postsecondary-career-planning/college-applications.html",
        "site/postsecondary-career-planning/recommendations.html",
    ]
    # Lessons the student wrote a page in.
    lesson = by_name(emily, "Achievement")["Building your first résumé"]["credentialSubject"]["achievement"]
    assert lesson["alignment"][0]["targetCode"] == "M 4"
    assert lesson["criteria"]["narrative"].startswith("- I can write a one-page résumé")
    # Goals met, and only those.
    sat = names["Raise my SAT total to 1300 or higher before my early action deadlines."]
    assert codes(sat) == ["B-SMS 5", "B-LS 3"]
    assert sat["awardedDate"] == "2026-10-20T00:00:00Z"
    assert "Submit all five college applications by their deadlines, with essays I'm proud of." not in names
    # Credentials earned and experiences.
    cpr = names["Adult and Pediatric First Aid/CPR/AED"]["credentialSubject"]["achievement"]
    assert cpr["achievementType"] == "Certification"
    assert cpr["creator"]["name"] == "American Red Cross"
    club = names["Environmental Club"]["credentialSubject"]
    assert club["achievement"]["achievementType"] == "CoCurricular"
    assert club["activityStartDate"] == "2023-09-20T00:00:00Z"
    assert names["Counter and packing"]["credentialSubject"]["role"] == "Counter staff"
    # Activities without evidence are not in it.
    assert "All about me" not in names


def test_issuer_and_subject(emily: dict[str, Any], sample: Corpus) -> None:
    name = sample.district.options.site_name
    assert emily["issuer"] == {"id": district_urn(name), "type": ["Profile"], "name": name}
    assert emily["issuer"]["id"].startswith("urn:uuid:")
    assert emily["validFrom"] == "2026-11-25T00:00:00Z"
    assert emily["type"] == ["VerifiableCredential", "ClrCredential"]
    subject = emily["credentialSubject"]
    assert subject["id"].startswith("urn:uuid:")
    assert subject["identifier"] == [
        {"type": "IdentityObject", "identityHash": "Emily Tran", "identityType": "name", "hashed": False}
    ]
    for vc in credentials(emily):
        assert vc["issuer"] == emily["issuer"]
        assert vc["credentialSubject"]["id"] == subject["id"]
    ids = [emily["id"], *(vc["id"] for vc in credentials(emily))]
    assert len(set(ids)) == len(ids)


def test_achievement_definitions_are_the_district_s(sample: Corpus) -> None:
    """The same activity has the same achievement id for every student; each student's credential its own."""
    a = by_name(build(sample, view_of(sample, "emily-tran")))["Applications"]
    b = by_name(build(sample, view_of(sample, "aaliyah-washington")))["Applications"]
    assert a["credentialSubject"]["achievement"]["id"] == b["credentialSubject"]["achievement"]["id"]
    assert a["id"] != b["id"]
    assert a["credentialSubject"]["id"] != b["credentialSubject"]["id"]


# --- Validation ------------------------------------------------------------------------------------


def test_every_sample_student_s_record_is_valid(sample: Corpus) -> None:
    for student in sample.students:
        assert validate_clr(build(sample, view_of(sample, student.id))) == [], student.id


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.pop("validFrom"), "(the document): 'validFrom' is a required property"),
        (
            lambda d: d.update({"@context": ["https://www.w3.org/2018/credentials/v1"]}),
            "@context[0]: 'https://www.w3.org/2018/credentials/v1' is not one of ['https://www.w3.org/ns/credentials/v2']",
        ),
        (
            lambda d: d["credentialSubject"]["verifiableCredential"][0].update({"validFrom": "2026-11-25"}),
            "credentialSubject.verifiableCredential[0].validFrom: '2026-11-25' is not a 'date-time'",
        ),
        (
            lambda d: d["credentialSubject"]["verifiableCredential"][0]["credentialSubject"]["achievement"].pop(
                "criteria"
            ),
            "credentialSubject.verifiableCredential[0].credentialSubject.achievement: 'criteria' is a required property",
        ),
        (
            lambda d: d["credentialSubject"]["verifiableCredential"][1]["credentialSubject"]["achievement"].update(
                {"type": "Achievement"}
            ),
            # The JSON-LD CLR schema takes a single value; the formal Open Badges schema wants the array.
            "credentialSubject.verifiableCredential[1].credentialSubject.achievement.type: 'Achievement' is not of type 'array'",
        ),
    ],
)
def test_an_invalid_record_is_rejected(
    emily: dict[str, Any], change: Callable[[dict[str, Any]], Any], expected: str
) -> None:
    doc = copy.deepcopy(emily)
    change(doc)
    assert expected in validate_clr(doc)


def test_the_validator_rejects_what_is_not_a_record() -> None:
    assert validate_clr({}) != []
    assert validate_clr({"type": ["VerifiableCredential", "OpenBadgeCredential"]}) != []
    assert validate_clr([]) != []


def test_the_pinned_schemas_are_the_published_files() -> None:
    """Each pinned file is named in SOURCES.md with its SHA-256, and is a schema for its standard."""
    import hashlib
    from importlib import resources

    folder = resources.files("generator") / "schemas" / "external"
    sources = (folder / "SOURCES.md").read_text(encoding="utf-8")
    for name in PINNED:
        digest = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        assert f"`{name}`" in sources, name
        assert digest in sources, name
    assert pinned("clr_v2p0_clrcredential_schema.json")["$id"].startswith("https://purl.imsglobal.org/spec/clr/v2p0/")
    assert pinned("ob_v3p0_achievementcredential_schema.json")["$id"].startswith(
        "https://purl.imsglobal.org/spec/ob/v3p0/"
    )


def test_a_student_with_nothing_achieved_has_no_record(district: District) -> None:
    district.write("students/ava/experiences.yml", "experiences: []\n")
    district.write("students/ava/goals.yml", "goals: []\n")
    (district.root / "students/ava/career-exploration/nurse.md").unlink()
    c = corpus(district.root, today=TODAY_DATE, history=False, artifacts=False)
    with pytest.raises(EmptyRecord, match=r"students/ava: nothing achieved yet"):
        build(c, view_of(c, "ava"))


# --- Same input, same bytes ------------------------------------------------------------------------

SCRIPT = """
import datetime, sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from test_clr import build, view_of
from generator.export.encoding import dumps
from generator.export.resume import resume_document
from generator.pipeline import corpus
c = corpus(Path({root!r}), today=datetime.date(2026, 11, 25), only={{"emily-tran", "sofia-ramirez"}}, history=False, artifacts=False)
for sid in ("emily-tran", "sofia-ramirez"):
    view = view_of(c, sid)
    sys.stdout.write(dumps(build(c, view)))
    sys.stdout.write(dumps(resume_document(view, c.context)))
"""


def test_the_same_view_gives_the_same_bytes_in_every_process(sample: Corpus) -> None:
    from generator.export.resume import resume_document

    code = SCRIPT.format(tests=str(REPO / "tests"), root=str(REPO))
    outputs = []
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, env=env, cwd=REPO)
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    here = "".join(
        dumps(build(sample, view_of(sample, sid))) + dumps(resume_document(view_of(sample, sid), sample.context))
        for sid in ("emily-tran", "sofia-ramirez")
    )
    assert outputs[0] == here.encode("utf-8")


def test_the_issue_date_is_the_only_date(sample: Corpus) -> None:
    view = view_of(sample, "emily-tran")
    name = sample.district.options.site_name
    later = clr_document(
        view,
        sample.context,
        issued=datetime.date(2027, 6, 1),
        page_url=page_url,
        district_id=district_urn(name),
        district_name=name,
    )
    first = build(sample, view)
    assert later["validFrom"] == "2027-06-01T00:00:00Z"
    assert later["id"] == first["id"]  # a re-issue is a newer version of the same record
    assert dumps(later).replace("2027-06-01T", "2026-11-25T") == dumps(first)


# --- Signing ---------------------------------------------------------------------------------------


def _pem(key: Any) -> bytes:
    data: bytes = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return data


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def test_a_signed_record_verifies_with_the_district_s_public_key(emily: dict[str, Any]) -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    kid = emily["issuer"]["id"] + "#key-1"
    token = sign_clr(emily, _pem(key), kid)
    header_b64, payload_b64, signature_b64 = token.split(".")
    assert json.loads(_b64decode(header_b64)) == {"alg": "EdDSA", "kid": kid, "typ": "JWT"}
    # Verified with the cryptography package directly, not only with our own verify_clr.
    key.public_key().verify(_b64decode(signature_b64), f"{header_b64}.{payload_b64}".encode("ascii"))
    payload = json.loads(_b64decode(payload_b64))
    assert payload["iss"] == emily["issuer"]["id"]
    assert payload["jti"] == emily["id"]
    assert payload["sub"] == emily["credentialSubject"]["id"]
    assert payload["nbf"] == int(datetime.datetime(2026, 11, 25, tzinfo=datetime.UTC).timestamp())
    assert {k: v for k, v in payload.items() if k not in ("iss", "jti", "nbf", "sub")} == emily
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert verify_clr(token, public_pem) == payload
    # The same document and key give the same token (Ed25519 is deterministic).
    assert sign_clr(emily, _pem(key), kid) == token
    jwk = public_jwk(_pem(key))
    assert jwk == {"kty": "OKP", "crv": "Ed25519", "x": jwk["x"]}


def test_a_changed_token_or_another_key_does_not_verify(emily: dict[str, Any]) -> None:
    key, other = ed25519.Ed25519PrivateKey.generate(), ed25519.Ed25519PrivateKey.generate()
    token = sign_clr(emily, _pem(key), "urn:example:key")
    other_pem = other.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    with pytest.raises(SignatureError, match="does not verify"):
        verify_clr(token, other_pem)
    header, payload, signature = token.split(".")
    forged = json.loads(_b64decode(payload))
    forged["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else"
    forged_b64 = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    with pytest.raises(SignatureError):
        verify_clr(f"{header}.{forged_b64}.{signature}", public_pem)


@pytest.mark.parametrize(
    ("key_pem", "message"),
    [
        (b"not a key at all", "not a private key in PEM"),
        (
            ed25519.Ed25519PrivateKey.generate()
            .public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo),
            "not a private key in PEM",
        ),
        (_pem(ec.generate_private_key(ec.SECP256R1())), "is a EC key, not Ed25519"),
        (
            ed25519.Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.BestAvailableEncryption(b"secret"),
            ),
            "encrypted with a passphrase",
        ),
    ],
)
def test_a_key_that_is_not_an_ed25519_pem_private_key_is_refused(
    emily: dict[str, Any], key_pem: bytes, message: str
) -> None:
    with pytest.raises(SigningKeyError, match=message) as caught:
        sign_clr(emily, key_pem, "urn:example:key")
    assert isinstance(caught.value, ValueError)


# --- Nothing the export must not carry --------------------------------------------------------------

CANARIES = {
    "sis": "SIS-ZQX-4471",
    "email": "zqx.ava@students.example.org",
    "family email": "zqx.mom@example.org",
    "family name": "Zqxfamilyname",
    "support note": "zqx-support-canary",
    "comment": "zqx-comment-canary",
    "private barrier": "zqx-barrier-canary",
    "strategy": "zqx-strategy-canary",
    "private review note": "zqx-review-canary",
    "reflection": "zqx-reflection-canary",
    "page body": "zqx-body-canary",
    "private section": "zqx-section-canary",
    "facilitator notes": "zqx-facilitator-canary",
    "lesson materials": "zqx-materials-canary",
    "joined from": "zqx-joined-canary",
}

PLANTED = {
    "students/ava/profile.yml": """\
        name: Ava Reyes
        preferred_name: Ava
        graduation_year: 2032
        school: Harbor View Middle School
        educators: [mrivera, jchen]
        sis_id: SIS-ZQX-4471
        emails: [zqx.ava@students.example.org]
        about: I like drawing and animals. <!-- zqx-comment-canary -->
        career:
          clusters: [health-science]
          interests: [Nurse]
        interests:
          riasec: [social, investigative]
          hobbies: [Drawing]
        joined:
          date: 2025-09-02
          grade: 6
          from: zqx-joined-canary Elementary
        supports:
          - type: "504"
            note: zqx-support-canary Extra time on tests.
        family:
          - name: Rosa Zqxfamilyname
            relationship: mother
            emails: [zqx.mom@example.org]
        """,
    "students/ava/goals.yml": """\
        goals:
          - id: reading-log
            domain: academic
            term: short
            statement: Read for 20 minutes every school day for a month.
            status: achieved
            set: 2026-09-01
            due: 2026-10-01
            asca: [B-SMS 5, B-LS 4]
            activity: g7-goal-review
            smart:
              measurable: A reading log with 20 entries.
            barriers:
              - text: zqx-barrier-canary My brother is loud.
                visibility: private
            strategies: [zqx-strategy-canary Read in the library.]
            reviews:
              - date: 2026-10-02
                by: mrivera
                progress: achieved
                note: zqx-review-canary Done, and she liked it.
                visibility: private
        """,
    "students/ava/experiences.yml": """\
        experiences:
          - id: art-club
            type: club
            title: Art club
            organization: Harbor View Middle School
            start: 2025-10-01
            skills: [Shading]
            reflection: zqx-reflection-canary I learned to shade.
        """,
    "students/ava/career-exploration/nurse.md": """\
        ---
        title: Research on nursing
        activity: g7-career-research
        lesson: g7-test-lesson
        date: 2026-10-12
        summary: What nurses do and the degree they need.
        ---
        Nurses need a degree. zqx-body-canary

        ## What worries me {: visibility="private" }

        zqx-section-canary Blood.
        """,
    "curriculum/grade-07/g7-test-lesson.md": """\
        ---
        id: g7-test-lesson
        title: A test lesson
        grade: 7
        asca: [M 4, B-LS 7]
        activities: [g7-career-research]
        summary: Students research two careers.
        objectives: [I can name the education two careers need.]
        materials: [zqx-materials-canary worksheet]
        ---
        Students research two careers.

        ## Facilitator notes {: .facilitator }

        zqx-facilitator-canary Give students 20 minutes.
        """,
}


def planted(district: District) -> Corpus:
    """The test district with a secret in every place an export must not reach."""
    for rel, text in PLANTED.items():
        district.write(rel, textwrap.dedent(text))
    c = corpus(district.root, today=TODAY_DATE, history=False, artifacts=False)
    assert [s.id for s in c.students] == ["ava"], c.report
    return c


def test_the_record_carries_nothing_private(district: District) -> None:
    c = planted(district)
    raw = c.students[0]
    view = view_of(c, "ava")
    # Each secret is really there: in the student the view is made from, in the student's own view (the
    # student sees their whole ILP), or in the lesson's facilitator part.
    held = repr((raw.profile, view.profile, view.goals, view.experiences))
    held += "".join(t.content for page in view.pages for t in page.doc.tokens)
    held += repr(c.context.lessons["g7-test-lesson"].meta) + "".join(
        t.content for t in c.context.lessons["g7-test-lesson"].doc.tokens
    )
    for where, canary in CANARIES.items():
        assert canary in held, where
    doc = build(c, view)
    assert validate_clr(doc) == []
    names = by_name(doc)
    assert {"Career research", "Goal check-in", "A test lesson", "Art club"} <= set(names)
    assert codes(names["A test lesson"]) == ["M 4", "B-LS 7"]
    assert codes(names["Read for 20 minutes every school day for a month."]) == ["B-SMS 5", "B-LS 4"]
    key = ed25519.Ed25519PrivateKey.generate()
    token = sign_clr(doc, _pem(key), doc["issuer"]["id"] + "#key-1")
    payload = _b64decode(token.split(".")[1]).decode("utf-8")
    for text in (dumps(doc), payload):
        for where, canary in CANARIES.items():
            assert canary.lower() not in text.lower(), where
    assert "dateOfBirth" not in dumps(doc)


def test_another_audience_s_view_exports_only_what_it_sees(district: District) -> None:
    """The builder records what the view it is given holds: the advisory group's view has the page
    shared with it and the lesson it was written in, not the goal and the experience shared with family."""
    c = planted(district)
    advisory = view_student(c.students[0], Viewer("advisory", c.district.options, c.context.framework))
    assert advisory is not None
    assert set(by_name(build(c, view_of(c, "ava")))) == {
        "A test lesson",
        "Art club",
        "Career research",
        "Goal check-in",
        "Read for 20 minutes every school day for a month.",
    }
    assert set(by_name(build(c, advisory))) == {"A test lesson", "Career research"}


def test_the_sample_student_s_record_has_no_email_or_family(emily: dict[str, Any], sample: Corpus) -> None:
    text = dumps(emily).lower()
    student = next(s for s in sample.students if s.id == "emily-tran")
    secrets = [*student.profile.get("emails", []), *(m["name"] for m in student.profile.get("family", []))]
    secrets += [e for m in student.profile.get("family", []) for e in m.get("emails", [])]
    secrets += ["tax information online", "scared i'll have to pick a school"]  # her private barriers
    assert secrets
    for secret in secrets:
        assert secret.lower() not in text, secret


def test_the_export_package_reads_nothing_and_imports_no_mkdocs_or_git() -> None:
    code = (
        "import importlib, json, pkgutil, sys\n"
        "import generator.export as root\n"
        "for info in pkgutil.walk_packages(root.__path__, 'generator.export.'):\n"
        "    importlib.import_module(info.name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    modules = set(json.loads(out.stdout))
    for banned in ("mkdocs", "git", "generator.load", "generator.check"):
        assert not any(m == banned or m.startswith(banned + ".") for m in modules), banned
