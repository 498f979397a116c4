"""`ilp deploy nginx`: who may read what (from the roster and the profiles) as a real web server's rules."""

from __future__ import annotations

import datetime
from pathlib import Path

from generator.deploy.access import access
from generator.deploy.nginx import write_deploy
from generator.errors import IlpError
from generator.pipeline import corpus


def deploy_nginx(
    root: Path, site: Path, out: Path, listen: str, auth_url: str, user: str | None, today: datetime.date | None
) -> list[Path]:
    """Write the nginx configuration for the built `site` into `out`; the files written."""
    loaded = corpus(root, today, history=False, artifacts=False)
    roster = loaded.district.roster
    if loaded.district_report.errors or roster is None:
        lines = [d.format() for d in loaded.district_report.sorted() if d.severity == "error"]
        raise IlpError("\n".join([*lines, "fix the configuration, framework, reference data and roster first"]))
    rules = access(loaded.students, roster, loaded.district.options).as_json()
    return write_deploy(site, out, listen, auth_url, rules, user=user)
