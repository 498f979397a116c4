"""A student's view -> a Comprehensive Learner Record (1EdTech CLR Standard v2.0) of what they achieved (pure).

The record is a `ClrCredential` issued by the district to the student: its subject carries one Open
Badges 3.0 `AchievementCredential` per achievement of `achievements.achievements` (completed framework
activities, lessons, goals met, credentials earned, experiences), each with its ASCA Mindsets &
Behaviors alignments and the exported site's pages as evidence.

It is built from a view (`views.view_student`), never from the raw student: the student's own view
exports the student's record; any other audience's view exports only what that audience sees. The
subject is named by the name the view shows and identified by an id derived from the district and
the student's folder: no email, no SIS id, no date of birth. Ids are name-based UUIDs of stable data
and the issue date is a parameter, so the same view and date always give the same document.

The record is unsigned; `sign.sign_clr` turns it into a VC-JWT when the district has a key. Its
embedded credentials carry no proof of their own: the record's signature covers them.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import Any

from generator.export.achievements import Earned, achievements, alignments, learner_name, text
from generator.export.schemas import ACHIEVEMENT_CREDENTIAL, CLR, problems
from generator.model import Student
from generator.render.student import Context

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CLR_SCHEMA_URL = "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json"
OB_SCHEMA_URL = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
SCHEMA_VALIDATOR = "1EdTechJsonSchemaValidator2019"

# The namespace of every id this module derives (uuid5 of ilp-portfolio's address): fixed forever,
# or ids would change between versions of the tool.
NAMESPACE = uuid.UUID("911afd57-2423-5f6d-8d56-f84b78cb42f8")

PageUrl = Callable[[str], str]


class EmptyRecord(ValueError):
    """The view shows nothing achieved yet: a CLR must carry at least one credential."""


def district_urn(site_name: str) -> str:
    """A district's issuer id when it has no URL of its own: a `urn:uuid:` derived from its name."""
    return _urn("district", site_name)


def _urn(*parts: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, chr(31).join(parts))}"


def _moment(day: str | datetime.date) -> str:
    return f"{day if isinstance(day, str) else day.isoformat()}T00:00:00Z"


def _identity(name: str) -> list[dict[str, Any]]:
    if not name:
        return []
    return [{"type": "IdentityObject", "identityHash": name, "identityType": "name", "hashed": False}]


def _profile(profile_id: str, name: str) -> dict[str, Any]:
    return {"id": profile_id, "type": ["Profile"], "name": name}


def _achievement(earned: Earned, context: Context, issuer: dict[str, Any], district_id: str) -> dict[str, Any]:
    creator = _profile(_urn(district_id, "creator", earned.creator), earned.creator) if earned.creator else issuer
    achievement: dict[str, Any] = {
        "id": _urn(district_id, "achievement", earned.key),
        "type": ["Achievement"],
        "achievementType": earned.kind,
        "name": earned.name,
        "description": earned.description or earned.name,
        "criteria": {"narrative": earned.criteria or earned.name},
        "creator": creator,
    }
    codes = alignments(earned.codes, context.reference.asca, context.reference.asca_edition)
    if codes:
        achievement["alignment"] = codes
    if earned.tags:
        achievement["tag"] = list(earned.tags)
    return achievement


def _credential(
    earned: Earned,
    context: Context,
    *,
    issuer: dict[str, Any],
    subject_id: str,
    name: str,
    valid_from: str,
    page_url: PageUrl,
    district_id: str,
    student_key: str,
) -> dict[str, Any]:
    subject: dict[str, Any] = {"id": subject_id, "type": ["AchievementSubject"]}
    identity = _identity(name)
    if identity:
        subject["identifier"] = identity
    subject["achievement"] = _achievement(earned, context, issuer, district_id)
    subject.update(earned.subject)
    credential: dict[str, Any] = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": _urn(district_id, "credential", student_key, earned.key),
        "type": ["VerifiableCredential", "AchievementCredential"],
        "name": earned.name,
        "issuer": issuer,
        "validFrom": valid_from,
    }
    if earned.awarded:
        credential["awardedDate"] = _moment(earned.awarded)
    credential["credentialSubject"] = subject
    evidence = []
    for item in earned.evidence:
        entry: dict[str, Any] = {"id": page_url(item.page), "type": ["Evidence"], "name": item.name or earned.name}
        if item.description:
            entry["description"] = item.description
        evidence.append(entry)
    if evidence:
        credential["evidence"] = evidence
    credential["credentialSchema"] = [{"id": OB_SCHEMA_URL, "type": SCHEMA_VALIDATOR}]
    return credential


def clr_document(
    view: Student,
    context: Context,
    *,
    issued: datetime.date,
    page_url: PageUrl,
    district_id: str,
    district_name: str,
) -> dict[str, Any]:
    """The ClrCredential of what `view` shows the student achieved, issued on `issued` by the district
    (`district_id`: its URL or `district_urn(site_name)`; `district_name`: options.site_name).
    `page_url(name)` is the exported site's URL of a page (a student page's `name`, or `my-goals.md`,
    `my-courses.md`, `my-experiences.md`). Raises EmptyRecord when there is nothing to record."""
    earned = achievements(view, context)
    if not earned:
        raise EmptyRecord(
            f"{view.path}: nothing achieved yet to put in a Comprehensive Learner Record (no framework activity "
            "with evidence, lesson page, goal met, credential earned or experience)"
        )
    issuer = _profile(district_id, district_name)
    student_key = f"student {view.id}"
    subject_id = _urn(district_id, student_key)
    name = learner_name(view)
    valid_from = _moment(issued)
    credentials = [
        _credential(
            item,
            context,
            issuer=issuer,
            subject_id=subject_id,
            name=name,
            valid_from=valid_from,
            page_url=page_url,
            district_id=district_id,
            student_key=student_key,
        )
        for item in earned
    ]
    subject: dict[str, Any] = {"id": subject_id, "type": ["ClrSubject"]}
    identity = _identity(name)
    if identity:
        subject["identifier"] = identity
    subject["verifiableCredential"] = credentials
    school = text(view.profile.get("school"))
    whose = f"{name}'s" if name else "The student's"
    return {
        "@context": [VC_CONTEXT, CLR_CONTEXT, OB_CONTEXT],
        "id": _urn(district_id, "clr", student_key),
        "type": ["VerifiableCredential", "ClrCredential"],
        "name": f"{whose} Individual Learning Plan record",
        "description": (
            f"What {name or 'the student'} achieved in their Individual Learning Plan"
            + (f" at {school}" if school else "")
            + f": {len(credentials)} achievement{'s' if len(credentials) != 1 else ''}, with the portfolio pages "
            "that are their evidence."
        ),
        "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": subject,
        "credentialSchema": [{"id": CLR_SCHEMA_URL, "type": SCHEMA_VALIDATOR}],
    }


def validate_clr(doc: Any) -> list[str]:
    """What is wrong with a CLR document (empty when valid): against the pinned CLR 2.0 ClrCredential
    schema, and each credential it carries against the pinned Open Badges 3.0 AchievementCredential
    schema."""
    found = problems(doc, CLR)
    subject = doc.get("credentialSubject") if isinstance(doc, dict) else None
    carried = subject.get("verifiableCredential") if isinstance(subject, dict) else None
    for i, credential in enumerate(carried if isinstance(carried, list) else []):
        if isinstance(credential, dict):
            found += problems(credential, ACHIEVEMENT_CREDENTIAL, f"credentialSubject.verifiableCredential[{i}]")
    return list(dict.fromkeys(found))  # a problem both schemas see is said once
