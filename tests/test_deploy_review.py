"""Review of the deployment: inputs that `ilp check` accepts but the deploy or the access rules mishandle.

Each test fails while the hole is open. None of them needs nginx: the nginx rules themselves held up
(see tests/test_nginx.py); these holes are in what feeds them.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from generator.commands.deploy import deploy_nginx
from generator.deploy.access import access
from generator.deploy.links import token
from generator.pipeline import build, corpus, public_folder
from tests.conftest import TODAY_DATE, District

KEY = "Zr8sYq2Lm5Vx1Nc7Kd4Bw9Hp3Gt6Jf0Ta==\n"
REVOKED_LINK = (
    "links:\n  - for: Sent to the wrong address\n    audience: family\n    expires: 2027-06-30\n    revoked: true\n"
)


def _deploy(district: District, tmp_path: Path) -> dict:  # type: ignore[type-arg]
    key = tmp_path / "secrets" / "link.key"
    key.parent.mkdir(exist_ok=True)
    key.write_text(KEY, encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    out = tmp_path / "deploy"
    deploy_nginx(district.root, site, out, "127.0.0.1:8080", "http://127.0.0.1:4180", None, TODAY_DATE, key)
    return json.loads((out / "access.json").read_text(encoding="utf-8"))


def _append(district: District, rel: str, text: str) -> None:
    path = district.root / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# One odd entry that `ilp check` accepts stops the whole deploy: yesterday's rules stay, so a link
# revoked today (and every link that expired since) is still served, for every student.


@pytest.mark.parametrize(
    "email",
    [
        "pat@home.example.org.",  # a trailing dot
        "josé@home.example.org",  # unicode
        "pat@localhost",  # one label
        "~pat@home.example.org",
        "pat$@home.example.org",
    ],
)
def test_an_email_ilp_check_accepts_does_not_stop_the_deploy(district: District, tmp_path: Path, email: str) -> None:
    _append(
        district,
        "students/ava/profile.yml",
        f'family:\n  - name: Pat\n    relationship: mother\n    emails: ["{email}"]\n',
    )
    district.write("students/ava/sharing.yml", REVOKED_LINK, dedent=False)
    checked = district.check()
    if checked.exit_code != 0:
        return  # refused where the author sees it: fine
    rules = _deploy(district, tmp_path)  # raises IlpError today: "is not an email address this configuration accepts"
    revoked = token(KEY.strip().encode(), "ava", {"for": "Sent to the wrong address", "audience": "family",
                                                 "expires": "2027-06-30"})  # fmt: skip
    assert f"l/{revoked}/" not in [link["path"] for link in rules["links"]]


def test_a_link_audience_ilp_check_accepts_does_not_stop_the_deploy(district: District, tmp_path: Path) -> None:
    # `public` is not a full-access audience, so `ilp check` accepts it; the deploy then refuses
    # 'public/ava/' as a link target and writes nothing at all.
    district.write(
        "students/ava/sharing.yml",
        "links:\n  - for: Grandpa\n    audience: public\n    expires: 2027-06-30\n"
        + REVOKED_LINK.removeprefix("links:\n"),
        dedent=False,
    )
    checked = district.check()
    if checked.exit_code != 0:
        return
    rules = _deploy(district, tmp_path)  # raises IlpError today: "'public/ava/' is not a protected folder prefix"
    revoked = token(KEY.strip().encode(), "ava", {"for": "Sent to the wrong address", "audience": "family",
                                                 "expires": "2027-06-30"})  # fmt: skip
    assert f"l/{revoked}/" not in [link["path"] for link in rules["links"]]


# ---------------------------------------------------------------------------------------------
# Without `public_salt` (its schema default is ""), the "opaque" public address is a hash of the id
# alone: anyone who guesses an id (a name in small letters with a dash) finds the portfolio.


def test_a_district_without_public_salt_is_told(district: District) -> None:
    mkdocs = district.root / "mkdocs.yml"
    mkdocs.write_text(
        "\n".join(line for line in mkdocs.read_text(encoding="utf-8").splitlines() if "public_salt" not in line) + "\n",
        encoding="utf-8",
    )
    loaded = corpus(district.root, TODAY_DATE, history=False, artifacts=False)
    ava = next(s for s in loaded.students if s.id == "ava")
    folder = public_folder(ava, loaded.district.options.public_salt)
    guessed = "p-" + hashlib.sha256(b"ilp-public\0\0ava").hexdigest()[:16]
    if folder != guessed:
        return
    result = district.check()
    assert "public_salt" in result.output, (
        f"public/{folder}/ is computable from the id 'ava' alone and ilp check says nothing:\n{result.output}"
    )


# ---------------------------------------------------------------------------------------------
# A student whose id is `curriculum`: their educator view is `educator/curriculum/`, the folder of the
# lessons with facilitator notes that every educator of the roster is granted.


def test_a_student_named_curriculum_is_not_read_by_every_educator(district: District, tmp_path: Path) -> None:
    district.write(
        "students/curriculum/profile.yml",
        "name: Cur Riculum\ngraduation_year: 2032\nschool: Harbor View Middle School\neducators: [jchen]\n"
        "supports:\n  - type: iep\n    note: SECRET-SUPPORT-NOTE\n",
        dedent=False,
    )
    district.write("students/curriculum/goals.yml", "goals: []\n", dedent=False)
    loaded = corpus(district.root, TODAY_DATE, history=False, artifacts=False)
    if not any(s.id == "curriculum" for s in loaded.students):
        return  # refused as an id: fine
    rules = access(loaded.students, loaded.district.roster, loaded.district.options)  # type: ignore[arg-type]
    # mrivera is not on the student's caseload, yet holds 'educator/curriculum/': the student's educator view.
    assert not rules.may_read("mrivera@harborview.example.org", "educator/curriculum/index.html"), (
        "every educator is granted educator/curriculum/, which is also this student's educator view"
    )
    out = tmp_path / "site"
    build(district.root, out, TODAY_DATE)  # today: OSError (Directory not empty) from the two sites in one folder
