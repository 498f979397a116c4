"""Adversarial tests of `ilp export`, `ilp import`, `ilp split`, `ilp new --repo` and `ilp deploy forge`.

Written the way an attacker, a careless counselor or district IT would use these commands. A small
district ("Ravenbrook") is written into tmp_path with a git history that plants unique strings
where they may not travel: other students' ids and names in commit messages (touching two students,
by preferred name, possessive, in capitals, inside a branch name, without accents, a hyphenated
surname's part, a two-letter surname), other students as commit authors, a student who left, a
graduate; and in the exported student's own profile, version by version, the district-only fields
(sign-in emails, sis_id, public_path, family emails) in block and flow style, as the first key of a
family item, behind an anchor, in a comment, in an invalid version, with CRLF line endings, plus
sharing.yml in old commits. Then every file of the export and every object of its git repository
(reachable or not) is searched. All names are invented.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from tests.conftest import AVA, LESSON, REPO, TODAY

ALLOW = ("-c", "protocol.file.allow=always")
COUNSELOR = ("Ms. Marisol Rivera", "mrivera@harborview.example.org")
DOMAIN = "students.ravenbrook.example.org"
AVA_AUTHOR = ("Ava Reyes", f"areyes-alt-3301@{DOMAIN}")


# --- Helpers ------------------------------------------------------------------------------------


def git(folder: Path, *args: str, author: tuple[str, str] = COUNSELOR, when: str = "2026-01-05T10:00:00+00:00") -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": author[0],
        "GIT_AUTHOR_EMAIL": author[1],
        "GIT_COMMITTER_NAME": author[0],
        "GIT_COMMITTER_EMAIL": author[1],
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
    }
    done = subprocess.run(["git", *ALLOW, *args], cwd=folder, env=env, capture_output=True, check=False)
    assert done.returncode == 0, (args, done.stderr.decode("utf-8", "replace"))
    return done.stdout.decode("utf-8", "replace")


def ilp(*args: str) -> Result:
    """Run the CLI as a user would; an exception escaping the CLI fails the test (no traceback allowed)."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def ok(*args: str) -> str:
    result = ilp(*args)
    assert result.exit_code == 0, result.output
    return result.output


def refused(result: Result, *needles: str) -> str:
    """A refusal: non-zero exit, no traceback, no 'internal error', and each needle in the message."""
    out = result.output
    assert result.exit_code != 0, out
    assert "Traceback" not in out, out
    assert "internal error" not in out, out
    for needle in needles:
        assert needle.lower() in out.lower(), out
    return out


class Timeline:
    """Commit dates, one hour apart, in order (from 3 November 2026, after the goal review they record)."""

    def __init__(self) -> None:
        self.hour = 0

    def __call__(self) -> str:
        self.hour += 1
        day, hour = divmod(self.hour, 24)
        return f"2026-11-{3 + day:02d}T{hour:02d}:00:00+00:00"


def write(root: Path, rel: str, text: str | bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")


def commit(
    root: Path,
    when: Timeline,
    message: str,
    files: dict[str, str | bytes | None],
    author: tuple[str, str] = COUNSELOR,
) -> None:
    for rel, text in files.items():
        if text is None:
            git(root, "rm", "-rq", "--", rel)
        else:
            write(root, rel, text)
            git(root, "add", "--", rel)
    git(root, "commit", "-q", "--allow-empty", "-m", message, author=author, when=when())


def skeleton(root: Path) -> None:
    """The small district of tests/conftest.py: real configuration, framework, reference data, roster."""
    root.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "curriculum" / "reference", root / "curriculum" / "reference")
    shutil.copy(REPO / "curriculum" / "framework.yml", root / "curriculum" / "framework.yml")
    write(root, "students/roster.yml", (REPO / "students" / "roster.yml").read_text(encoding="utf-8"))
    write(root, "curriculum/grade-07/g7-test-lesson.md", LESSON)


def profile(name: str, sid: str, preferred: str | None = None, email: str | None = None) -> str:
    lines = [f"name: {name}"]
    if preferred:
        lines.append(f"preferred_name: {preferred}")
    lines += [
        "graduation_year: 2032",
        "school: Harbor View Middle School",
        "educators: [mrivera]",
        f"emails: [{email or f'{sid}@{DOMAIN}'}]",
    ]
    return "\n".join(lines) + "\n"


def every_object(repo: Path) -> str:
    """The contents of every object in the repository's object store (reachable or not), and its refs and logs."""
    parts = [git(repo, "cat-file", "--batch-all-objects", "--unordered", "--batch")]  # trees hold their file names
    parts.append(git(repo, "log", "--all", "--format=%B%n%an%n%ae%n%cn%n%ce"))
    gitdir = Path(git(repo, "rev-parse", "--absolute-git-dir").strip())
    for path in gitdir.rglob("*"):
        if path.is_file() and "objects" not in path.relative_to(gitdir).parts:
            parts.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(parts)


def files_text(folder: Path) -> str:
    """Every file name and file's bytes under `folder`, except a .git folder."""
    parts = []
    for path in sorted(folder.rglob("*")):
        if ".git" in path.relative_to(folder).parts:
            continue
        parts.append(path.relative_to(folder).as_posix())
        if path.is_file():
            parts.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(parts)


def found(marker: str, text: str) -> bool:
    """Whether `marker` (a literal, any case; or a regex given as 're:...', case-sensitive) is in `text`."""
    if marker.startswith("re:"):
        return re.search(marker[3:], text) is not None
    return marker.lower() in text.lower()


# --- The planted district ---------------------------------------------------------------------

# Other students: (id, name, preferred name, email). Each id, name and email appears nowhere else.
OTHERS = (
    ("leo-brightwater", "Leo Brightwater", None, None),
    ("zed-quillon", "Zedekiah Quillon", "Zed", f"zquillon-7731@{DOMAIN}"),
    ("thaddeus-marchetti", "Thaddeus Marchetti", None, None),
    ("orla-fenwick", "Orla Fenwick", None, None),
    ("renee-brulard", "Renée Brûlard", None, None),
    ("maeve-kilbride-osterholt", "Maeve Kilbride-Osterholt", None, None),
    ("lin-xu", "Lin Xu", None, None),
    ("perpetua-okonkwo", "Perpetua Okonkwo", None, f"pokonkwo-5150@{DOMAIN}"),
    ("cassius-wainwright", "Cassius Wainwright", None, None),
    ("wren-halloway", "Wren Halloway", None, None),
)
GRADUATE = ("gus-oldfield", "Augustus Oldfield", "Gus", None)

# The exported student's own district-only data, each in one version (or way) of profile.yml.
OWN_EMAIL = f"ava.reyes-8812@{DOMAIN}"
PLANTED_OWN = {
    "own sign-in email (block list)": OWN_EMAIL,
    "own sign-in email used to commit": AVA_AUTHOR[1],
    "sis_id": "SIS-7719-PLANTED",
    "public_path": "pp-planted-4d1f",
    "family email, block style": "fam-block-planted@example.org",
    "family email, flow style": "fam-flow-planted@example.org",
    "family email, first key of the item": "fam-firstkey-planted@example.org",
    "email behind a YAML anchor": "anchor-planted@example.org",
    "email in an invalid YAML version": "badyaml-planted@example.org",
    "email in a CRLF version": "crlf-planted@example.org",
    "family email in a multi-line list with a comment": "fam-multiline-planted@example.org",
    "family email used to commit": "fam-author-planted@example.org",
    "old sharing.yml": "Ignatius Planted-Uncle",
    "current sharing.yml": "Philippa Planted-Aunt",
}
AVA_FILES = {rel.removeprefix("students/ava/"): textwrap.dedent(text) for rel, text in AVA.items()}
PROFILE_HEAD = textwrap.dedent(
    f"""\
    # Ava's profile.
    name: Ava Reyes
    graduation_year: 2032
    school: Harbor View Middle School
    educators: [mrivera, jchen]
    emails:
      - {OWN_EMAIL}
      - {AVA_AUTHOR[1]}
    sis_id: SIS-7719-PLANTED
    public_path: pp-planted-4d1f
    career:
      clusters: [health-science]
    family:
      - name: Marta Reyes
        relationship: mother
        emails: [fam-block-planted@example.org]
      - name: Tomas Reyes
        relationship: father
        emails:
          # his work address
          - fam-multiline-planted@example.org
      - name: Rosa Reyes
        relationship: aunt
        emails: [fam-author-planted@example.org]
    supports:
      - type: "504"
        note: Extra time on tests.
    """
)
PROFILE_VERSIONS = (
    # flow style, the family as one flow sequence
    "name: Ava Reyes\ngraduation_year: 2032\nemails: [" + OWN_EMAIL + "]\nsis_id: SIS-7719-PLANTED\n"
    "family: [{name: Marta Reyes, relationship: mother, emails: [fam-flow-planted@example.org]}]\n",
    # `- emails:` as the first key of a family item, comments around
    "# profile\nname: Ava Reyes  # full name\ngraduation_year: 2032\npublic_path: pp-planted-4d1f\nfamily:\n"
    "  - emails: [fam-firstkey-planted@example.org]\n    name: Marta Reyes\n    relationship: mother\n",
    # an anchor on the student's emails, an alias in the family
    "name: Ava Reyes\ngraduation_year: 2032\nemails: &mine [anchor-planted@example.org]\nfamily:\n"
    "  - name: Marta Reyes\n    relationship: mother\n    emails: *mine\n",
    # invalid YAML
    "name: Ava Reyes\ngraduation_year: 2032\nemails: [badyaml-planted@example.org\nfamily: : :\n",
    # CRLF line endings
    "name: Ava Reyes\r\ngraduation_year: 2032\r\nemails:\r\n  - crlf-planted@example.org\r\nsis_id: SIS-7719-PLANTED\r\n",
)
SHARING_OLD = "links:\n  - for: Ignatius Planted-Uncle\n    audience: family\n    expires: 2026-06-30\n"
SHARING_HEAD = "links:\n  - for: Philippa Planted-Aunt\n    audience: family\n    expires: 2027-06-30\n"

# Commit messages that touch Ava's folder (and the other student's), with what may not survive.
MENTIONS = {
    "id and full name, a commit touching two students": (
        "leo-brightwater",
        "Reviewed the goals of Ava and Leo Brightwater (leo-brightwater)",
        ["leo-brightwater", "Brightwater"],
    ),
    "preferred name, possessive, id possessive": (
        "zed-quillon",
        "Zed's feedback on Ava's plan; zed-quillon's notes kept",
        ["re:\\bZed\\b", "zed-quillon"],
    ),
    "full name and id in other cases": (
        "leo-brightwater",
        "leo brightwater and LEO BRIGHTWATER and Leo-Brightwater checked the plan",
        ["brightwater"],
    ),
    "a surname in capitals": ("thaddeus-marchetti", "MARCHETTI asked for the notes", ["marchetti"]),
    "an id inside a branch name": ("orla-fenwick", "Merge branch 'orla-fenwick-goals' into main", ["orla-fenwick"]),
    "a name typed without its accents": ("renee-brulard", "Renee Brulard helped with the chart", ["brulard"]),
    "one part of a hyphenated surname": ("maeve-kilbride-osterholt", "Called the Osterholt family", ["osterholt"]),
    "a two-letter surname": ("lin-xu", "Paired with Xu for the science project", ["re:\\bXu\\b"]),
    "another student's email in a trailer": (
        "zed-quillon",
        f"Shared the chart\n\nCo-authored-by: Z. Q. <zquillon-7731@{DOMAIN}>",
        ["zquillon-7731"],
    ),
    "a student who has since left": ("wren-halloway", "Reviewed Wren Halloway and Ava together", ["halloway"]),
    "a graduate": ("gus-oldfield", "Augustus Oldfield (Gus) mentored Ava", ["oldfield", "re:\\bGus\\b"]),
}
# Commits made by other students in Ava's folder: (author, what may not survive in the log).
AUTHORS = {
    "by their district email": (("Perpetua Okonkwo", f"pokonkwo-5150@{DOMAIN}"), ["perpetua", "pokonkwo-5150"]),
    "by their name, from a home email": (
        ("Cassius Wainwright", "cassius.home-2290@example.net"),
        ["wainwright", "cassius.home-2290"],
    ),
}
STILL_THERE = ("Ava Reyes", "Marta Reyes", "Extra time on tests")  # Ava's own data: the export keeps it


@dataclass
class Planted:
    root: Path
    export: Path  # ava's export
    export_kit: Path  # the student whose folder was renamed
    objects: str  # every object of export/history
    files: str  # every file of the export outside history/.git


def make_planted(root: Path) -> None:
    when = Timeline()
    skeleton(root)
    git(root.parent, "init", "-q", "-b", "main", str(root))
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Configuration and framework", when=when())
    others: dict[str, str | bytes | None] = {}
    for sid, name, preferred, email in OTHERS:
        others[f"students/{sid}/profile.yml"] = profile(name, sid, preferred, email)
    sid, name, preferred, email = GRADUATE
    others[f"graduates/{sid}/profile.yml"] = profile(name, sid, preferred, email)
    others["students/leo-brightwater/career-exploration/private.md"] = (
        "---\ntitle: Leo's private page\nvisibility: private\n---\nLEO-PRIVATE-PLANTED\n"
    )
    commit(root, when, "Add this year's students", others)
    # Ava's folder, and each odd version of her profile.
    start = {f"students/ava/{rel}": text for rel, text in AVA_FILES.items() if rel != "profile.yml"}
    start["students/ava/profile.yml"] = PROFILE_VERSIONS[0]
    start["students/ava/sharing.yml"] = SHARING_OLD
    commit(root, when, "Start my ILP", start, author=AVA_AUTHOR)
    for number, version in enumerate(PROFILE_VERSIONS[1:], start=2):
        commit(root, when, f"Profile, version {number}", {"students/ava/profile.yml": version.encode("utf-8")})
    commit(root, when, "No more family link", {"students/ava/sharing.yml": None})
    # Messages that name other students, each commit touching Ava's folder and the other student's.
    for number, (other, message, _) in enumerate(MENTIONS.values()):
        folder = "graduates" if other == GRADUATE[0] else "students"
        files: dict[str, str | bytes | None] = {
            f"students/ava/career-exploration/notes-{number}.md": f"---\ntitle: Notes {number}\n---\nNotes.\n",
            f"{folder}/{other}/career-exploration/notes-{number}.md": f"---\ntitle: Notes {number}\n---\nNotes.\n",
        }
        commit(root, when, message, files)
    for number, (author, _) in enumerate(AUTHORS.values()):
        commit(
            root,
            when,
            "Peer feedback",
            {f"students/ava/career-exploration/peer-{number}.md": "---\ntitle: Peer\n---\nGood.\n"},
            author=author,
        )
    commit(root, when, "Wren moved to another district", {"students/wren-halloway": None})
    # A page that Zed started moves into Ava's folder: Zed's earlier draft must not come with it.
    joint = "students/zed-quillon/career-exploration/joint.md"
    commit(root, when, "Joint project draft", {joint: "---\ntitle: Joint\n---\nZED-EARLY-DRAFT-planted\n"})
    commit(root, when, "Joint project", {joint: "---\ntitle: Joint\n---\nOur joint project.\n"})
    git(root, "mv", joint, "students/ava/career-exploration/joint.md")
    git(root, "commit", "-qm", "The joint project page moves to its owner", when=when())
    commit(
        root,
        when,
        "Profile and family link",
        {"students/ava/profile.yml": PROFILE_HEAD, "students/ava/sharing.yml": SHARING_HEAD},
        author=AVA_AUTHOR,
    )
    family = {"students/ava/career-exploration/aunt.md": "---\ntitle: From my aunt\n---\nProud of you.\n"}
    commit(root, when, "A note from Ava's aunt", family, author=("Rosa Reyes", "fam-author-planted@example.org"))
    # Kit's folder was first students/kit-early, then renamed (git mv) to students/kit-nakamura.
    kit = {f"students/kit-early/{rel}": text for rel, text in AVA_FILES.items() if rel != "profile.yml"}
    kit["students/kit-early/profile.yml"] = profile("Kit Nakamura", "kit-nakamura")
    kit["students/kit-early/experiences.yml"] = AVA_FILES["experiences.yml"] + "# Kit's own list\n"
    commit(root, when, "Start Kit's ILP", kit)
    commit(
        root,
        when,
        "Kit's first goal review",
        {"students/kit-early/experiences.yml": AVA_FILES["experiences.yml"] + "# reviewed in January\n"},
    )
    git(root, "mv", "students/kit-early", "students/kit-nakamura")
    git(root, "commit", "-qm", "Kit's folder gets Kit's full id", when=when())
    commit(
        root,
        when,
        "Kit's second goal review",
        {"students/kit-nakamura/experiences.yml": AVA_FILES["experiences.yml"] + "# reviewed in March\n"},
    )


def _planted_fixture(base: Path) -> Planted:
    root = base / "district"
    make_planted(root)
    for sid in ("ava", "kit-nakamura", "leo-brightwater"):
        ok("export", sid, "--out", str(base / f"export-{sid}"), "--root", str(root), "--today", TODAY)
    export = base / "export-ava"
    return Planted(root, export, base / "export-kit-nakamura", every_object(export / "history"), files_text(export))


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Planted:
    return _planted_fixture(tmp_path_factory.mktemp("ravenbrook"))


# --- Export: nothing of another student leaves -----------------------------------------------------


def test_export_keeps_every_commit_that_touched_the_folder(planted: Planted) -> None:
    before = git(planted.root, "log", "--format=%aI", "--", "students/ava/").split()
    after = git(planted.export / "history", "log", "--format=%aI").split()
    # The commit that only removed sharing.yml is gone with the file; every other one is kept, in order.
    assert after == [when for when in before if when != _date_of(planted.root, "No more family link")]
    assert len(after) == len(PROFILE_VERSIONS) + len(MENTIONS) + len(AUTHORS) + 3  # + the moved page, profile, aunt


def _date_of(root: Path, subject: str) -> str:
    return git(root, "log", "--format=%aI", "--grep", f"^{subject}$").strip()


@pytest.mark.parametrize("case", list(MENTIONS))
def test_export_rewords_every_mention_of_another_student(planted: Planted, case: str) -> None:
    _, _, markers = MENTIONS[case]
    for marker in markers:
        hit = found(marker, planted.objects + planted.files)
        assert not hit, f"{marker!r} left with the export ({case})"


@pytest.mark.parametrize("case", list(AUTHORS))
def test_export_credits_other_students_commits_to_no_one(planted: Planted, case: str) -> None:
    _, markers = AUTHORS[case]
    log = git(planted.export / "history", "log", "--format=%an|%ae|%cn|%ce%n%s")
    assert log.count("Peer feedback") == len(AUTHORS)
    for marker in markers:
        hit = found(marker, planted.objects + planted.files)
        assert not hit, f"{marker!r} left with the export ({case})"


def test_the_other_side_of_a_commit_that_touched_two_students(planted: Planted) -> None:
    """Leo's export: the messages of the commits shared with Ava do not name Ava."""
    history = planted.root.parent / "export-leo-brightwater" / "history"
    text = every_object(history) + files_text(history.parent)
    assert "Reviewed the goals of another student and Leo Brightwater (leo-brightwater)" in text
    for marker in ("re:\\bAva\\b", "reyes", OWN_EMAIL, AVA_AUTHOR[1], "SIS-7719"):
        assert not found(marker, text), marker


def test_export_history_holds_only_the_students_files_in_every_commit(planted: Planted) -> None:
    history = planted.export / "history"
    shas = git(history, "rev-list", "--all").split()
    for sha in shas:
        paths = git(history, "ls-tree", "-r", "--name-only", sha).splitlines()
        assert "profile.yml" in paths or sha == shas[-1], sha
        for path in paths:
            assert not path.startswith(("students/", "graduates/")), (sha, path)
            assert path != "sharing.yml", sha
    assert "ZED-EARLY-DRAFT" not in planted.objects  # the moved page brought none of Zed's versions
    assert "Our joint project." in planted.objects
    git(history, "fsck", "--no-progress", "--strict")
    assert str(planted.root) not in planted.objects  # no remote, reflog or filter-repo note names the district
    assert git(history, "remote").strip() == ""
    assert git(history, "for-each-ref", "--format=%(refname)").split() == ["refs/heads/main"]


# Commits keep their authors as git records them (the issue: "authors, dates, messages"; the export's README
# says so): an address used to commit is in the commits' metadata, and must be in no file and no blob.
AUTHORED = {"own sign-in email used to commit", "family email used to commit"}


@pytest.mark.parametrize("case", list(PLANTED_OWN))
def test_export_drops_the_districts_fields_from_every_version(planted: Planted, case: str) -> None:
    marker = PLANTED_OWN[case]
    in_history, in_files = found(marker, planted.objects), found(marker, planted.files)
    if case in AUTHORED:
        blobs = git(planted.export / "history", "log", "--all", "-p", "--format=")
        assert marker not in blobs, f"{case}: {marker!r} is in a file of the history"
        assert marker in git(planted.export / "history", "log", "--all", "--format=%ae"), case
    else:
        assert not in_history, f"{case}: {marker!r} is in the history"
    assert not in_files, f"{case}: {marker!r} is in the export's files"


def test_export_keeps_the_students_own_data_and_every_profile_version(planted: Planted) -> None:
    history = planted.export / "history"
    versions = git(history, "log", "--format=%H", "--", "profile.yml").split()
    assert len(versions) == len(PROFILE_VERSIONS) + 1
    for text in STILL_THERE:
        assert text in git(history, "show", "HEAD:profile.yml") or text in planted.files, text
    head = git(history, "show", "HEAD:profile.yml")
    assert head.startswith("# Ava's profile.\n")
    assert "emails" not in head


@pytest.mark.parametrize(
    ("case", "version", "marker"),
    [
        pytest.param(
            "a commented-out address",
            "name: Ava Reyes\ngraduation_year: 2032\n# emails: [commented-planted@example.org]\n"
            "# sis_id: SIS-COMMENT-PLANTED\n",
            "commented-planted",
        ),
        pytest.param(
            "family as one mapping",
            "name: Ava Reyes\ngraduation_year: 2032\nfamily:\n  name: Marta Reyes\n  relationship: mother\n"
            "  emails: [famdict-planted@example.org]\n",
            "famdict-planted",
        ),
        (
            "duplicate keys",
            "name: Ava Reyes\nemails: [dup1-planted@example.org]\nemails: [dup2-planted@x.org]\n",
            "planted",
        ),
        (
            "quoted keys",
            "name: Ava Reyes\n\"emails\": [quoted-planted@example.org]\n'sis_id': SIS-Q-PLANTED\n",
            "planted",
        ),
        ("not UTF-8", "name: Ava Reyes\nemails: [latin-planted@example.org]\nabout: caf\xe9\n", "planted"),
        ("a list, not a mapping", "- emails: [list-planted@example.org]\n", "planted"),
        (
            "a nested family list",
            "name: A\nfamily:\n- name: M\n  relationship: m\n  emails:\n  - deep-planted@x.org\n",
            "planted",
        ),
    ],
)
def test_odd_profile_versions_lose_the_districts_fields(tmp_path: Path, case: str, version: str, marker: str) -> None:
    """One more version of profile.yml in a small district's history, then an export."""
    root = tmp_path / "district"
    when = Timeline()
    skeleton(root)
    for rel, text in AVA.items():
        write(root, rel, textwrap.dedent(text))
    git(tmp_path, "init", "-q", "-b", "main", str(root))
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Start", when=when())
    head = (root / "students/ava/profile.yml").read_text(encoding="utf-8")
    data = version.encode("latin-1") if case == "not UTF-8" else version.encode("utf-8")
    commit(root, when, "An odd version", {"students/ava/profile.yml": data})
    commit(root, when, "Back to the real profile", {"students/ava/profile.yml": head})
    ok("export", "ava", "--out", str(tmp_path / "out"), "--root", str(root), "--today", TODAY)
    hit = found(marker, every_object(tmp_path / "out" / "history"))
    assert not hit, case


def test_export_of_a_renamed_folder_works_from_the_rename_on(planted: Planted) -> None:
    log = git(planted.export_kit / "history", "log", "--format=%s")
    assert "Kit's second goal review" in log
    assert git(planted.export_kit / "history", "ls-tree", "--name-only", "HEAD").split()[-1] == "profile.yml"


def test_export_of_a_renamed_folder_keeps_the_commits_before_the_rename(planted: Planted) -> None:
    district = git(planted.root, "log", "--format=%aI|%s", "--", "students/kit-early/", "students/kit-nakamura/")
    exported = git(planted.export_kit / "history", "log", "--format=%aI|%s")
    assert "Kit's first goal review" in district
    # The rename itself changes nothing inside the folder, so the exported history has no commit for it.
    assert exported.splitlines() == [line for line in district.splitlines() if "gets Kit's full id" not in line]


def test_export_site_and_records_name_no_other_student(planted: Planted) -> None:
    site = files_text(planted.export / "site")
    assert str(planted.root) not in site
    for sid, name, _, _ in OTHERS[:3]:
        assert sid not in site, sid
        assert name not in site, name
    assert (planted.export / "site" / "index.html").is_file()
    for name in ("clr.json", "resume.json", "export.json", "README.md"):
        text = (planted.export / name).read_text(encoding="utf-8")
        for marker in (*PLANTED_OWN.values(), "zed-quillon", "Brightwater", str(planted.root)):
            assert not found(marker, text), (name, marker)
    manifest = json.loads((planted.export / "export.json").read_text(encoding="utf-8"))
    assert manifest["student"] == "ava"
    assert manifest["commits"] == len(git(planted.export / "history", "rev-list", "HEAD").split())


# --- Export: refusals, each one line, non-zero, nothing written --------------------------------------


@pytest.fixture
def district_copy(planted: Planted, tmp_path: Path) -> Path:
    """A clone of the planted district, for a test that changes it (its history is the same)."""
    root = tmp_path / "district"
    git(tmp_path, "clone", "-q", str(planted.root), str(root))
    return root


def _export(root: Path, sid: str, out: Path, *extra: str) -> Result:
    return ilp("export", sid, "--out", str(out), "--root", str(root), "--today", TODAY, *extra)


def _status(root: Path) -> str:
    return git(root, "status", "--porcelain", "--untracked-files=all")


def test_export_refuses_an_unknown_or_odd_id(district_copy: Path, tmp_path: Path) -> None:
    for sid in ("nobody", "../students/ava", "AVA", "students/ava", "roster.yml", "", "wren-halloway"):
        refused(_export(district_copy, sid, tmp_path / "out"), "no student")
        assert not (tmp_path / "out").exists(), sid
    assert _status(district_copy) == ""


@pytest.mark.parametrize("change", ["edit", "new file", "staged", "deleted"])
def test_export_refuses_uncommitted_changes(district_copy: Path, tmp_path: Path, change: str) -> None:
    folder = district_copy / "students" / "ava"
    if change == "edit":
        (folder / "goals.yml").write_text((folder / "goals.yml").read_text("utf-8") + "# draft\n", "utf-8")
    elif change == "new file":
        write(folder, "career-exploration/draft.md", "---\ntitle: Draft\n---\nNot yet.\n")
    elif change == "staged":
        write(folder, "career-exploration/draft.md", "---\ntitle: Draft\n---\nNot yet.\n")
        git(district_copy, "add", "-A")
    else:
        (folder / "career-exploration" / "notes-0.md").unlink()
    refused(_export(district_copy, "ava", tmp_path / "out"), "not committed", "students/ava")
    assert not (tmp_path / "out").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".export-")]


def test_export_refuses_a_student_with_errors(district_copy: Path, tmp_path: Path) -> None:
    write(district_copy, "students/broken-bea/profile.yml", "name: Bea\ngraduation_year: soon\n")
    out = refused(_export(district_copy, "broken-bea", tmp_path / "out"), "has errors")
    assert re.search(r"students/broken-bea/profile\.yml:\d+: ", out), out
    assert not (tmp_path / "out").exists()


def test_export_refuses_an_out_that_exists(district_copy: Path, tmp_path: Path) -> None:
    full = tmp_path / "full"
    write(full, "keep.txt", "mine")
    refused(_export(district_copy, "ava", full), "not empty")
    assert [p.name for p in full.iterdir()] == ["keep.txt"]
    write(tmp_path, "a-file", "mine")
    refused(_export(district_copy, "ava", tmp_path / "a-file"), "already exists")
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "mine"
    (tmp_path / "empty").mkdir()
    ok("export", "ava", "--out", str(tmp_path / "empty"), "--root", str(district_copy), "--today", TODAY)
    assert (tmp_path / "empty" / "history").is_dir()


def test_export_refuses_an_out_inside_the_repository(district_copy: Path) -> None:
    refused(_export(district_copy, "ava", district_copy / "exports" / "ava"), "repository")
    assert _status(district_copy) == ""


@pytest.mark.parametrize("inside", ["students/ava/export", "students/ava-export"])
def test_export_refuses_an_out_inside_students(district_copy: Path, inside: str) -> None:
    refused(_export(district_copy, "ava", district_copy / inside), "students/")
    assert _status(district_copy) == ""
    assert not (district_copy / inside).exists()


def test_export_into_students_is_refused_with_the_folder_given(district_copy: Path) -> None:
    out = refused(_export(district_copy, "ava", district_copy / "students" / "ava" / "export"))
    assert ".export-" not in out, out


def _pem(kind: str) -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519

    key = ed25519.Ed25519PrivateKey.generate() if kind == "ed25519" else ec.generate_private_key(ec.SECP256R1())
    encryption = (
        serialization.BestAvailableEncryption(b"secret-passphrase")
        if kind == "encrypted"
        else serialization.NoEncryption()
    )
    if kind == "encrypted":
        key = ed25519.Ed25519PrivateKey.generate()
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def test_export_signs_with_an_ed25519_key_outside_the_repository(district_copy: Path, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization

    from generator.export.sign import verify_clr

    pem = _pem("ed25519")
    write(tmp_path, "keys/district.pem", pem)
    out = tmp_path / "out"
    ok(
        "export",
        "ava",
        "--out",
        str(out),
        "--root",
        str(district_copy),
        "--today",
        TODAY,
        "--key-file",
        str(tmp_path / "keys/district.pem"),
        "--key-id",
        "https://ravenbrook.example.org/key#1",
    )
    public = (
        serialization.load_pem_private_key(pem, None)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    payload = verify_clr((out / "clr.jwt").read_text(encoding="utf-8").strip(), public)
    assert payload["id"] == json.loads((out / "clr.json").read_text(encoding="utf-8"))["id"]
    assert "PRIVATE KEY" not in files_text(out)
    assert pem.decode() not in every_object(out / "history")


@pytest.mark.parametrize("where", ["students/ava/key.pem", "key.pem", "link"])
def test_export_refuses_a_key_file_inside_the_repository(district_copy: Path, tmp_path: Path, where: str) -> None:
    if where == "link":  # a path outside that is a symlink to a file inside
        write(district_copy, "key.pem", _pem("ed25519"))
        (tmp_path / "outside.pem").symlink_to(district_copy / "key.pem")
        key = tmp_path / "outside.pem"
    else:
        write(district_copy, where, _pem("ed25519"))
        key = district_copy / where
    refused(_export(district_copy, "ava", tmp_path / "out", "--key-file", str(key)), "inside the repository")
    assert not (tmp_path / "out").exists()


def test_export_key_file_messages_speak_of_the_signing_key(district_copy: Path, tmp_path: Path) -> None:
    write(district_copy, "key.pem", _pem("ed25519"))
    inside = refused(_export(district_copy, "ava", tmp_path / "a", "--key-file", str(district_copy / "key.pem")))
    write(tmp_path, "short.pem", "-----BEGIN PRIVATE KEY-----\n")
    short = refused(_export(district_copy, "ava", tmp_path / "b", "--key-file", str(tmp_path / "short.pem")))
    for out in (inside, short):
        assert "link key" not in out, out
        assert "urandom" not in out, out


@pytest.mark.parametrize("kind", ["p256", "encrypted", "text"])
def test_export_refuses_a_key_that_is_not_ed25519(district_copy: Path, tmp_path: Path, kind: str) -> None:
    data = b"this is not a key but it is long enough to pass the length check\n" if kind == "text" else _pem(kind)
    write(tmp_path, "keys/district.pem", data)
    result = _export(district_copy, "ava", tmp_path / "out", "--key-file", str(tmp_path / "keys/district.pem"))
    refused(result, "Ed25519")
    assert not (tmp_path / "out").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".export-")]


def test_graduation_moves_the_folder_and_stages_the_move(district_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    ok("export", "ava", "--graduate", "--out", str(out), "--root", str(district_copy), "--today", TODAY)
    assert (out / "site" / "my-years.html").is_file()
    assert not (district_copy / "students" / "ava").exists()
    assert (district_copy / "graduates" / "ava").is_dir()
    staged = git(district_copy, "diff", "--cached", "--name-status", "-M")
    assert staged, "the move is not staged"
    assert all(line.startswith("R100") for line in staged.splitlines()), staged
    assert "ava" not in git(district_copy, "ls-files", "students").split("/")


def test_graduation_refuses_before_writing_when_graduates_id_exists(district_copy: Path, tmp_path: Path) -> None:
    write(district_copy, "graduates/ava/profile.yml", "name: Another Ava\n")
    git(district_copy, "add", "-A")
    git(district_copy, "commit", "-qm", "An older graduate with the same id")
    refused(_export(district_copy, "ava", tmp_path / "out", "--graduate"), "graduates/ava")
    assert not (tmp_path / "out").exists()


def test_export_branch_names_no_other_student(district_copy: Path, tmp_path: Path) -> None:
    git(district_copy, "checkout", "-q", "-b", "orla-fenwick-fixes")
    ok("export", "ava", "--out", str(tmp_path / "out"), "--root", str(district_copy), "--today", TODAY)
    refs = git(tmp_path / "out" / "history", "for-each-ref", "--format=%(refname)")
    assert refs.split() == ["refs/heads/main"], refs


def test_export_from_a_detached_head(planted: Planted, district_copy: Path, tmp_path: Path) -> None:
    """CI checks out a commit, not a branch: the export still holds every commit."""
    git(district_copy, "checkout", "-q", "--detach", "HEAD")
    ok("export", "ava", "--out", str(tmp_path / "out"), "--root", str(district_copy), "--today", TODAY)
    count = git(tmp_path / "out" / "history", "rev-list", "--count", "HEAD")
    assert count == git(planted.export / "history", "rev-list", "--count", "HEAD")


# --- Import -------------------------------------------------------------------------------------------


@pytest.fixture
def target(tmp_path: Path) -> Path:
    """A new, empty district (ilp init), of the other framework."""
    root = tmp_path / "target"
    ok("init", str(root), "--framework", "kentucky", "--name", "Bluegrass Schools")
    return root


def _copy_export(planted: Planted, tmp_path: Path) -> Path:
    copy = tmp_path / "export"
    shutil.copytree(planted.export, copy, symlinks=True)
    return copy


def _import(source: Path, root: Path, *extra: str) -> Result:
    return ilp("import", str(source), "--root", str(root), "--today", TODAY, *extra)


def _unchanged(root: Path, head: str) -> None:
    assert git(root, "rev-parse", "HEAD").strip() == head
    assert _status(root) == ""
    assert not [p for p in root.iterdir() if p.name.startswith(".import-")]


MANIFESTS = {
    "not JSON": b"{not json",
    "a list": b"[1, 2]",
    "format 2": b'{"format": 2, "student": "ava", "district": "D", "framework": "rhode-island"}',
    "format as text": b'{"format": "1", "student": "ava", "district": "D", "framework": "rhode-island"}',
    "no student": b'{"format": 1, "district": "D", "framework": "rhode-island"}',
    "no framework": b'{"format": 1, "student": "ava", "district": "D"}',
    "student not text": b'{"format": 1, "student": 7, "district": "D", "framework": "rhode-island"}',
    "student with ../": b'{"format": 1, "student": "../../mkdocs", "district": "D", "framework": "rhode-island"}',
    "student in capitals": b'{"format": 1, "student": "Ava", "district": "D", "framework": "rhode-island"}',
    "student with a slash": b'{"format": 1, "student": "ava/x", "district": "D", "framework": "rhode-island"}',
    "not UTF-8": b'{"format": 1, "student": "ava", "district": "D\xe9", "framework": "rhode-island"}',
    "empty": b"",
}


@pytest.mark.parametrize("case", list(MANIFESTS))
def test_import_refuses_a_malformed_export_json(planted: Planted, target: Path, tmp_path: Path, case: str) -> None:
    source = _copy_export(planted, tmp_path)
    (source / "export.json").write_bytes(MANIFESTS[case])
    head = git(target, "rev-parse", "HEAD").strip()
    out = refused(_import(source, target))
    assert "export.json" in out or "student id" in out, out
    _unchanged(target, head)
    assert sorted(p.name for p in (target / "students").iterdir()) == ["roster.yml"]


@pytest.mark.parametrize("case", ["no export.json", "no history", "history is a file"])
def test_import_refuses_what_is_not_an_export(planted: Planted, target: Path, tmp_path: Path, case: str) -> None:
    source = _copy_export(planted, tmp_path)
    if case == "no export.json":
        (source / "export.json").unlink()
    else:
        shutil.rmtree(source / "history")
        if case == "history is a file":
            write(source, "history", "not a repository")
    head = git(target, "rev-parse", "HEAD").strip()
    refused(_import(source, target), "not an ILP export")
    _unchanged(target, head)


@pytest.mark.parametrize("case", ["a plain folder", "an empty repository", "no profile.yml"])
def test_import_refuses_a_history_that_is_no_ilp(planted: Planted, target: Path, tmp_path: Path, case: str) -> None:
    source = _copy_export(planted, tmp_path)
    history = source / "history"
    shutil.rmtree(history)
    write(history, "goals.yml", "goals: []\n")
    if case != "a plain folder":
        git(source, "init", "-q", "-b", "main", str(history))
    if case == "no profile.yml":
        git(history, "add", "-A")
        git(history, "commit", "-qm", "Only goals")
    head = git(target, "rev-parse", "HEAD").strip()
    refused(_import(source, target), "history")
    _unchanged(target, head)


def test_import_refuses_an_id_in_use_or_invalid(planted: Planted, target: Path, tmp_path: Path) -> None:
    write(target, "graduates/ava/profile.yml", "name: An earlier Ava\n")
    git(target, "add", "-A")
    git(target, "commit", "-qm", "An earlier Ava graduated")
    head = git(target, "rev-parse", "HEAD").strip()
    refused(_import(planted.export, target), "graduates/ava already exists")
    for bad in ("Ava", "../ava", "ava/x", "-rf", "a" * 61, ".ava", "ava_reyes"):
        refused(_import(planted.export, target, "--id", bad), "not a valid student id")
    refused(_import(planted.export, target, "--id", "ava-r", "--educator", "nobody"), "not in the roster")
    _unchanged(target, head)


def test_import_into_a_district_with_staged_changes(planted: Planted, target: Path, tmp_path: Path) -> None:
    write(target, "content/draft.md", "---\ntitle: Draft\n---\nA draft.\n")
    git(target, "add", "-A")
    head = git(target, "rev-parse", "HEAD").strip()
    refused(_import(planted.export, target, "--id", "ava-r"), "commit")
    assert git(target, "rev-parse", "HEAD").strip() == head
    assert not (target / "students" / "ava-r").exists()


def test_import_keeps_the_history_in_order_with_its_authors(planted: Planted, target: Path) -> None:
    _roster(target)
    ok(
        "import",
        str(planted.export),
        "--id",
        "ava-r",
        "--educator",
        "mrivera",
        "--school",
        "Bluegrass Middle",
        "--root",
        str(target),
        "--today",
        TODAY,
    )
    original = git(planted.export / "history", "log", "--follow", "--format=%an|%ae|%aI|%s", "--", "goals.yml")
    moved = git(target, "log", "--follow", "--format=%an|%ae|%aI|%s", "--", "students/ava-r/goals.yml")
    assert moved == original
    assert moved
    profile_log = git(target, "log", "--format=%s", "--", "students/ava-r/profile.yml").splitlines()
    assert profile_log[0] == f"ava-r joined on {TODAY} from Harbor View School District ILP"
    profile = (target / "students" / "ava-r" / "profile.yml").read_text(encoding="utf-8")
    assert "school: Bluegrass Middle" in profile
    assert "mrivera" in profile
    assert "framework: rhode-island" in profile
    check = ilp("check", "--root", str(target), "--today", TODAY)
    assert check.exit_code == 0, check.output
    ok("build", "--root", str(target), "--today", TODAY)
    record = (target / "site" / "student" / "ava-r" / "change-record" / "index.html").read_text(encoding="utf-8")
    assert "Profile, version 2" in record
    assert "ava-r joined" in record
    assert _status(target) == ""


def _roster(root: Path) -> None:
    """Give the empty district of `ilp init` one counselor, committed."""
    write(
        root,
        "students/roster.yml",
        "educators:\n  - id: mrivera\n    name: Ms. Marisol Rivera\n"
        "    role: counselor\n    emails: [mrivera@bluegrass.example.org]\n",
    )
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Roster")


def test_import_with_its_own_repository(planted: Planted, target: Path, tmp_path: Path) -> None:
    bare = tmp_path / "forge" / "ava-r.git"
    git(tmp_path, "init", "-q", "--bare", "--initial-branch=main", str(bare))
    ok("import", str(planted.export), "--id", "ava-r", "--repo", str(bare), "--root", str(target), "--today", TODAY)
    folder = target / "students" / "ava-r"
    assert (folder / ".git").is_file()
    assert "ava-r" in (target / ".gitmodules").read_text(encoding="utf-8")
    original = git(planted.export / "history", "log", "--format=%an|%aI|%s").splitlines()
    pushed = git(bare, "log", "--format=%an|%aI|%s", "main").splitlines()
    assert pushed[1:] == original
    assert pushed[0].endswith(f"ava-r joined on {TODAY} from Harbor View School District ILP")
    assert _status(target) == ""
    assert _status(folder) == ""
    assert git(folder, "rev-parse", "HEAD") == git(bare, "rev-parse", "main")
    check = ilp("check", "--root", str(target), "--today", TODAY)
    assert check.exit_code == 0, check.output
    ok("build", "--root", str(target), "--today", TODAY)
    record = (target / "site" / "student" / "ava-r" / "change-record" / "index.html").read_text(encoding="utf-8")
    assert "Profile, version 2" in record
    again = tmp_path / "forge" / "again.git"
    git(tmp_path, "clone", "-q", "--bare", str(bare), str(again))
    head = git(target, "rev-parse", "HEAD").strip()
    refused(_import(planted.export, target, "--id", "ava-s", "--repo", str(again)), "already has commits")
    refused(_import(planted.export, target, "--id", "ava-t", "--repo", str(tmp_path / "nowhere.git")), "cannot reach")
    _unchanged(target, head)


def test_import_with_a_repository_whose_head_is_not_main(planted: Planted, target: Path, tmp_path: Path) -> None:
    bare = tmp_path / "forge" / "ava-r.git"
    git(tmp_path, "init", "-q", "--bare", "--initial-branch=master", str(bare))
    ok("import", str(planted.export), "--id", "ava-r", "--repo", str(bare), "--root", str(target), "--today", TODAY)
    assert (target / "students" / "ava-r" / "profile.yml").is_file()
    assert _status(target) == ""


def test_an_import_cannot_reach_another_students_files_through_a_symlink(
    planted: Planted, target: Path, tmp_path: Path
) -> None:
    """A hostile export: its history holds a page that is a symlink to another student's private page."""
    ok("new", "vera-victim", "--name", "Vera Victim", "--grade", "7", "--root", str(target), "--today", TODAY)
    write(
        target,
        "students/vera-victim/career-exploration/secret.md",
        "---\ntitle: Secret\nvisibility: private\n---\nVERA-SECRET-PLANTED\n",
    )
    git(target, "add", "-A")
    git(target, "commit", "-qm", "Vera's page")
    source = _copy_export(planted, tmp_path)
    link = source / "history" / "career-exploration" / "stolen.md"
    link.symlink_to("../../vera-victim/career-exploration/secret.md")
    (source / "history" / "artifacts" / "stolen.pdf").symlink_to("../../vera-victim/profile.yml")
    git(source / "history", "add", "-A")
    git(source / "history", "commit", "-qm", "Nothing to see")
    result = _import(source, target, "--id", "mallory")
    assert "Traceback" not in result.output, result.output
    assert "internal error" not in result.output, result.output
    build = ilp("build", "--root", str(target), "--today", TODAY, "--out", str(tmp_path / "site"))
    assert "Traceback" not in build.output, build.output
    for folder in (tmp_path / "site").iterdir():
        if folder.is_dir():
            for path in folder.rglob("*"):
                if "vera-victim" not in path.parts and path.is_file():
                    text = path.read_bytes().decode("utf-8", "replace")
                    assert "VERA-SECRET-PLANTED" not in text, path
                    assert "Vera Victim" not in text, path


# --- Split, exports from the split layout, forge permissions, new --repo ----------------------------


@pytest.fixture(scope="module")
def split(planted: Planted) -> Path:
    out = planted.root.parent / "split"
    ok("split", "--root", str(planted.root), "--out", str(out))
    return out


def _trees(repo: Path) -> Iterator[tuple[str, str, str, str]]:
    """(commit, mode, type, path) of every entry of every commit's tree."""
    for sha in git(repo, "rev-list", "--all").split():
        for line in git(repo, "ls-tree", "-r", sha).splitlines():
            mode, kind, _, path = line.split(maxsplit=3)
            yield sha, mode, kind, path


def test_split_district_repository_refers_to_todays_students_only_by_gitlinks(planted: Planted, split: Path) -> None:
    today = {f"students/{p.name}" for p in (planted.root / "students").iterdir() if p.is_dir()}
    today |= {f"graduates/{p.name}" for p in (planted.root / "graduates").iterdir() if p.is_dir()}
    for sha, mode, kind, path in _trees(split / "district.git"):
        if "/".join(path.split("/")[:2]) in today:
            assert (mode, kind) == ("160000", "commit"), (sha, path)
    modules = (split / "district" / ".gitmodules").read_text(encoding="utf-8")
    assert "url = ../graduates/gus-oldfield.git" in modules
    assert "url = ../students/ava.git" in modules
    assert (split / "graduates" / "gus-oldfield.git").is_dir()
    objects = every_object(split / "district.git")
    for marker in ("SIS-7719-PLANTED", OWN_EMAIL, "fam-block-planted", "ZED-EARLY-DRAFT", "Extra time on tests"):
        assert marker not in objects, marker


def test_split_district_repository_holds_no_student_file_at_all(split: Path) -> None:
    for sha, mode, kind, path in _trees(split / "district.git"):
        if path.startswith(("students/", "graduates/")) and path != "students/roster.yml":
            assert (mode, kind) == ("160000", "commit"), (sha, path)
    objects = every_object(split / "district.git")
    assert "halloway" not in objects.lower()


def test_split_student_repositories_keep_their_commits_and_name_no_one_else(planted: Planted, split: Path) -> None:
    for sid in ("ava", "leo-brightwater", "zed-quillon"):
        before = git(planted.root, "log", "--format=%aI", "--", f"students/{sid}/").split()
        after = git(split / "students" / f"{sid}.git", "log", "--format=%aI").split()
        assert after == before, sid
    zed = every_object(split / "students" / "zed-quillon.git")
    assert "Zed's feedback on another student plan" in zed or "Zed's feedback on another student's plan" in zed
    for marker in ("re:\\bAva\\b", "Reyes", "brightwater"):
        assert not found(marker, zed), marker
    ava = every_object(split / "students" / "ava.git")
    for marker in ("leo-brightwater", "Brightwater", "re:\\bZed\\b", "perpetua", "pokonkwo-5150"):
        assert not found(marker, ava), marker


def test_split_student_repositories_have_none_of_the_export_leaks(split: Path) -> None:
    ava = every_object(split / "students" / "ava.git")
    leaked = [m for case in MENTIONS.values() for m in case[2] if found(m, ava)]
    leaked += [m for case in AUTHORS.values() for m in case[1] if found(m, ava)]
    assert not leaked, leaked


def test_split_refusals(planted: Planted, split: Path, tmp_path: Path) -> None:
    refused(ilp("split", "--root", str(planted.root), "--out", str(split)), "not empty")
    refused(ilp("split", "--root", str(split / "district"), "--out", str(tmp_path / "a")), "own repositories")
    refused(
        ilp("split", "--root", str(planted.root), "--out", str(tmp_path / "b"), "--url", "git@forge:d/x.git"), "{id}"
    )
    refused(ilp("split", "--root", str(planted.root / "students"), "--out", str(tmp_path / "c")), "top")
    for name in "abc":
        assert not (tmp_path / name).exists(), name
    write(planted.root, "students/ava/career-exploration/draft.md", "---\ntitle: Draft\n---\nDraft.\n")
    try:
        refused(ilp("split", "--root", str(planted.root), "--out", str(tmp_path / "d")), "not committed")
    finally:
        (planted.root / "students/ava/career-exploration/draft.md").unlink()
    assert not (tmp_path / "d").exists()
    assert _status(planted.root) == ""


def test_split_refuses_a_url_template_it_cannot_fill(planted: Planted, tmp_path: Path) -> None:
    url = "https://forge.example.org/{org}/{id}.git"  # a stray '}' fails the same way (ValueError)
    refused(ilp("split", "--root", str(planted.root), "--out", str(tmp_path / "out"), "--url", url), "--url")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_export_from_the_split_layout(planted: Planted, split: Path, tmp_path: Path) -> None:
    """The student's folder is a submodule: the export is cut from the student's own repository."""
    district = split / "district"
    assert (district / "students" / "ava" / ".git").is_file()
    out = tmp_path / "out"
    ok("export", "ava", "--out", str(out), "--root", str(district), "--today", TODAY)
    objects, files = every_object(out / "history"), files_text(out)
    for case, marker in PLANTED_OWN.items():
        if case not in AUTHORED:
            assert not found(marker, objects), case
            assert not found(marker, files), case
    assert git(out / "history", "log", "--format=%aI|%s") == git(planted.export / "history", "log", "--format=%aI|%s")
    assert _status(district) == ""
    write(district, "students/ava/career-exploration/draft.md", "---\ntitle: Draft\n---\nDraft.\n")
    try:
        refused(ilp("export", "ava", "--out", str(tmp_path / "again"), "--root", str(district)), "not committed")
    finally:
        (district / "students/ava/career-exploration/draft.md").unlink()


def test_graduation_in_the_split_layout(split: Path, tmp_path: Path) -> None:
    district = tmp_path / "district"
    git(tmp_path, "clone", "-q", "--recurse-submodules", str(split / "district.git"), str(district))
    ok(
        "export",
        "leo-brightwater",
        "--graduate",
        "--out",
        str(tmp_path / "out"),
        "--root",
        str(district),
        "--today",
        TODAY,
    )
    assert (district / "graduates" / "leo-brightwater" / "profile.yml").is_file()
    assert "path = graduates/leo-brightwater" in (district / ".gitmodules").read_text(encoding="utf-8")
    git(district, "commit", "-qm", "Leo graduated")
    ok("build", "--root", str(district), "--today", TODAY, "--out", str(tmp_path / "site"))
    assert not found("brightwater", files_text(tmp_path / "site"))


def test_an_uninitialised_submodule_is_named_as_such(split: Path, tmp_path: Path) -> None:
    district = tmp_path / "district"
    git(tmp_path, "clone", "-q", str(split / "district.git"), str(district))
    result = ilp("check", "--root", str(district), "--today", TODAY)
    assert result.exit_code != 0
    assert "submodule" in result.output, result.output
    assert "ilp new makes it" not in result.output, result.output


def test_a_student_cannot_nest_another_students_repository(split: Path, tmp_path: Path) -> None:
    forge = tmp_path / "forge"
    shutil.copytree(split, forge, symlinks=True)
    work = tmp_path / "work"
    git(tmp_path, "clone", "-q", str(forge / "students" / "ava.git"), str(work))
    git(work, "submodule", "add", "-q", "../leo-brightwater.git", "career-exploration/leo")
    git(work, "commit", "-qm", "My notes", author=AVA_AUTHOR)
    git(work, "push", "-q", "origin", "HEAD:main")
    nightly = tmp_path / "nightly"
    git(tmp_path, "clone", "-q", "--recurse-submodules", str(forge / "district.git"), str(nightly))
    git(nightly, "submodule", "update", "--init", "--remote", "--quiet")
    git(nightly, "commit", "-qam", "Students' repositories")  # the weekly commit the guide suggests
    git(nightly, "push", "-q", "origin", "HEAD:main")
    fresh = tmp_path / "fresh"  # a new build machine, or CI with a recursive checkout
    git(tmp_path, "clone", "-q", "--recurse-submodules", str(forge / "district.git"), str(fresh))
    ilp("build", "--root", str(fresh), "--today", TODAY, "--out", str(tmp_path / "site"))
    for audience in (tmp_path / "site").iterdir():
        if (audience / "ava").is_dir():
            assert "LEO-PRIVATE-PLANTED" not in files_text(audience / "ava"), audience.name


def _forge(root: Path) -> list[dict[str, str]]:
    import csv
    import io

    return list(csv.DictReader(io.StringIO(ok("deploy", "forge", "--root", str(root), "--today", TODAY))))


def test_forge_permissions_in_the_split_layout(split: Path) -> None:
    rows = _forge(split / "district")
    students = {
        f"{sid}@{DOMAIN}" if email is None else email: sid for sid, _, _, email in OTHERS if sid != "wren-halloway"
    }
    students[OWN_EMAIL] = students[AVA_AUTHOR[1]] = "ava"
    for row in rows:
        assert "planted" not in row["person"], row  # no family email
        if row["person"] in students:
            assert row == {**row, "repository": f"students/{students[row['person']]}", "permission": "write"}, row
    writers = {r["person"] for r in rows if r["repository"] == "students/ava"} & set(students)
    assert writers == {OWN_EMAIL, AVA_AUTHOR[1]}
    assert {r["person"] for r in rows if r["repository"] == "district"} >= {"mrivera@harborview.example.org"}
    assert not any(r["repository"].startswith("graduates") or "gus-oldfield" in r["repository"] for r in rows)


def test_forge_gives_a_sibling_in_the_family_nothing(tmp_path: Path) -> None:
    """Zed is a student and Ava's brother (her family lists his student email): he gets only his own repository."""
    root = tmp_path / "district"
    skeleton(root)
    for rel, text in AVA.items():
        write(root, rel, textwrap.dedent(text))
    write(
        root,
        "students/ava/profile.yml",
        PROFILE_HEAD.replace(
            "      - name: Marta Reyes",
            f"      - name: Zed Reyes\n        relationship: brother\n"
            f"        emails: [ZQuillon-7731@{DOMAIN.upper()}]\n      - name: Marta Reyes",
        ),
    )
    write(
        root,
        "students/zed/profile.yml",
        profile("Zed Reyes", "zed", None, f"zquillon-7731@{DOMAIN}") + "advisory: Advisory 7B\n",
    )
    write(
        root,
        "students/ava/profile.yml",
        (root / "students/ava/profile.yml").read_text("utf-8") + "advisory: Advisory 7B\n",
    )
    for sid in ("ava", "zed"):  # each student's folder a repository of its own, as after ilp split
        subprocess.run(["git", "init", "-q", str(root / "students" / sid)], check=True)
    rows = _forge(root)
    zed = [r for r in rows if r["person"] == f"zquillon-7731@{DOMAIN}"]
    assert [(r["repository"], r["permission"]) for r in zed] == [("students/zed", "write")]
    assert not any("planted" in r["person"] and "fam" in r["person"] for r in rows)


def test_forge_rows_name_only_real_repositories(planted: Planted, split: Path) -> None:
    ids = {p.name for p in (planted.root / "students").iterdir() if p.is_dir()}
    for row in _forge(split / "district"):
        assert row["repository"] == "district" or row["repository"].removeprefix("students/") in ids, row


def test_forge_refuses_a_single_repository_district(planted: Planted) -> None:
    refused(ilp("deploy", "forge", "--root", str(planted.root), "--today", TODAY), "split")


def test_new_with_repo_in_the_split_layout(split: Path, tmp_path: Path) -> None:
    district = tmp_path / "district"
    git(tmp_path, "clone", "-q", "--recurse-submodules", str(split / "district.git"), str(district))
    bare = tmp_path / "forge" / "nia-okafor.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    ok(
        "new",
        "nia-okafor",
        "--name",
        "Nia Okafor",
        "--grade",
        "7",
        "--repo",
        str(bare),
        "--root",
        str(district),
        "--today",
        TODAY,
    )
    assert (district / "students" / "nia-okafor" / ".git").is_file()
    assert "nia-okafor" in git(district, "diff", "--cached", "--name-only") + _status(district)
    ok("build", "--root", str(district), "--today", TODAY, "--out", str(tmp_path / "site"))
    assert (tmp_path / "site" / "student" / "nia-okafor" / "index.html").is_file()
    for sid in ("Bad", "../x"):
        other = tmp_path / "forge" / "other.git"
        shutil.rmtree(other, ignore_errors=True)
        git(tmp_path, "init", "-q", "--bare", str(other))
        refused(
            ilp("new", sid, "--name", "X", "--grade", "7", "--repo", str(other), "--root", str(district)),
            "not a valid student id",
        )
        assert git(other, "for-each-ref").strip() == "", sid


def test_new_with_repo_refuses_before_pushing_when_the_district_is_not_in_git(tmp_path: Path) -> None:
    root = tmp_path / "district"
    skeleton(root)
    bare = tmp_path / "forge" / "kai.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    refused(ilp("new", "kai", "--name", "Kai", "--grade", "7", "--repo", str(bare), "--root", str(root)), "git")
    assert git(bare, "for-each-ref").strip() == ""
    assert not (root / "students" / "kai").exists()


def test_demo_per_student_repos_refuses_a_file_or_a_full_folder(tmp_path: Path) -> None:
    write(tmp_path, "a-file", "x")
    refused(ilp("demo", "--per-student-repos", str(tmp_path / "a-file")), "is a file")
    write(tmp_path, "full/keep.txt", "x")
    refused(ilp("demo", "--per-student-repos", str(tmp_path / "full")), "not empty")
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["keep.txt"]


# --- Relative paths, as typed in a terminal ---------------------------------------------------------


def test_export_with_relative_paths(planted: Planted, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(tmp_path, "clone", "-q", str(planted.root), str(tmp_path / "district"))
    monkeypatch.chdir(tmp_path)
    ok("export", "ava", "--out", "exports/ava", "--root", "district", "--today", TODAY)
    assert git(tmp_path / "exports/ava/history", "rev-list", "--count", "HEAD") == git(
        planted.export / "history", "rev-list", "--count", "HEAD"
    )


def test_import_with_relative_paths(planted: Planted, target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before 2f73071 a relative --root failed ('internal error: GitCommandError' from `git fetch`)."""
    monkeypatch.chdir(target.parent)
    ok("import", str(planted.export), "--id", "ava-r", "--root", target.name, "--today", TODAY)
    assert (target / "students" / "ava-r" / "profile.yml").is_file()
    source = os.path.relpath(planted.export, target.parent)
    ok("import", source, "--id", "ava-s", "--root", target.name, "--today", TODAY)
    assert (target / "students" / "ava-s" / "profile.yml").is_file()
    assert _status(target) == ""


def test_new_with_a_relative_repo_path(target: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(tmp_path, "init", "-q", "--bare", "--initial-branch=main", str(tmp_path / "kai.git"))
    monkeypatch.chdir(tmp_path)
    result = ilp("new", "kai", "--name", "Kai", "--grade", "7", "--repo", "kai.git", "--root", target.name)
    assert not (target / "students" / "kai").exists() or result.exit_code == 0, result.output
    assert result.exit_code == 0, result.output
