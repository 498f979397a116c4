"""`ilp deploy nginx`: who may read what (from the roster and the profiles) as a real web server's rules."""

from __future__ import annotations

import datetime
import logging
from pathlib import Path

from generator.deploy.access import access
from generator.deploy.links import MIN_KEY_BYTES, links
from generator.deploy.nginx import write_deploy
from generator.errors import IlpError
from generator.load.documents import LoadError, read_key
from generator.pipeline import Corpus, corpus

log = logging.getLogger("mkdocs.plugins.ilp")


def _district(root: Path, today: datetime.date | None, only: set[str] | None = None) -> Corpus:
    loaded = corpus(root, today, only, history=False, artifacts=False)
    if loaded.district_report.errors or loaded.district.roster is None:
        lines = [d.format() for d in loaded.district_report.sorted() if d.severity == "error"]
        raise IlpError("\n".join([*lines, "fix the configuration, framework, reference data and roster first"]))
    return loaded


def link_key(root: Path, key_file: Path | None) -> bytes | None:
    if key_file is None:
        return None
    try:
        return read_key(key_file, root, MIN_KEY_BYTES)
    except LoadError as exc:
        raise IlpError(exc.diagnostic.format()) from exc


def deploy_nginx(
    root: Path,
    site: Path,
    out: Path,
    listen: str,
    auth_url: str,
    user: str | None,
    today: datetime.date | None,
    key_file: Path | None = None,
) -> list[Path]:
    """Write the nginx configuration for the built `site` into `out`; the files written.

    The family links that are live today are served (expiry is enforced at each deploy: deploy daily).
    """
    loaded = _district(root, today)
    roster = loaded.district.roster
    assert roster is not None  # _district refuses a district without one
    rules = access(loaded.students, roster, loaded.district.options).as_json()
    key = link_key(root, key_file)
    day = loaded.district.today
    waiting = sum(len(s.links) for s in loaded.students)
    if key is None and waiting:
        log.warning(
            f"warning: {waiting} family links are not served: give the link key with --link-key-file FILE "
            "or ILP_LINK_KEY_FILE"
        )
    rules["links"] = (
        [
            {"path": link.path, "serves": link.serves}
            for s in loaded.students
            for link in links(s, key)
            if link.live(day)
        ]
        if key is not None
        else []
    )
    return write_deploy(site, out, listen, auth_url, rules, user=user)


def link_lines(root: Path, student_id: str, key_file: Path | None, today: datetime.date | None) -> list[str]:
    """One line per link of a student: for whom, the audience, the expiry, and the path of a live one."""
    loaded = _district(root, today, {student_id})
    if not any(s.id == student_id for s in loaded.students):
        problems = [d.format() for d in loaded.report.sorted() if d.severity == "error"]
        if not problems:
            raise IlpError(f"students/{student_id} does not exist")
        raise IlpError("\n".join([*problems, f"fix the errors of students/{student_id} first"]))
    student = next(s for s in loaded.students if s.id == student_id)
    key = link_key(root, key_file)
    if key is None:
        raise IlpError("give the link key: --link-key-file FILE or ILP_LINK_KEY_FILE (a file outside the repository)")
    day = loaded.district.today
    lines = []
    for link in links(student, key):
        state = "revoked" if link.revoked else f"expired on {link.expires}" if not link.live(day) else link.path
        lines.append(f"{link.who}\t{link.audience}\t{link.expires}\t{state}")
    return lines


def forge_permissions(root: Path, url: str, educator_permission: str, today: datetime.date | None) -> str:
    """The repository permissions of a district with one repository per student, as CSV."""
    from generator.deploy.forge import permissions, permissions_csv
    from generator.history.git import student_repositories

    loaded = _district(root, today)
    roster = loaded.district.roster
    assert roster is not None  # _district refuses a district without one
    own = student_repositories(root)
    shared = sorted(s.id for s in loaded.students if s.id not in own)
    if shared:
        raise IlpError(
            f"{len(shared)} students ({', '.join(shared[:3])}) are kept in the district's repository, which every "
            "educator would read; give each student their own repository first (ilp split, or ilp new --repo)"
        )
    rules = access(loaded.students, roster, loaded.district.options)
    emails = {educator.id: educator.emails for educator in roster.values()}
    ids = frozenset(s.id for s in loaded.students)
    return permissions_csv(permissions(rules, loaded.district.options, emails, url, ids, educator_permission))
