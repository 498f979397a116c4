"""The sample district, built, deployed with `ilp deploy nginx` on real nginx, read by every person of it.

Who may read what is computed here again, from the profiles and the roster themselves (not with the
generator's access rules), and every page of the built site is requested as every person and as nobody.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.deploy.links import token
from tests.conftest import REPO, TODAY
from tests.test_nginx import NGINX, FakeAuth, free_port


@dataclass(frozen=True)
class People:
    profiles: dict[str, dict]  # type: ignore[type-arg]
    roster: dict[str, dict]  # type: ignore[type-arg]

    def emails(self) -> list[str]:
        found = {e.lower() for p in self.profiles.values() for e in p.get("emails", [])}
        found |= {e.lower() for p in self.profiles.values() for m in p.get("family", []) for e in m.get("emails", [])}
        found |= {e.lower() for r in self.roster.values() for e in r.get("emails", [])}
        return sorted(found)

    def educator_of(self, email: str) -> list[dict]:  # type: ignore[type-arg]
        return [r for r in self.roster.values() if email in [e.lower() for e in r.get("emails", [])]]

    def serves(self, educator: dict, sid: str) -> bool:  # type: ignore[type-arg]
        profile = self.profiles[sid]
        if educator.get("access") == "district" or educator["id"] in profile.get("educators", []):
            return True
        return educator.get("access") == "school" and profile.get("school") == educator.get("school")

    def children(self, email: str) -> set[str]:
        return {
            sid
            for sid, p in self.profiles.items()
            for m in p.get("family", [])
            if email in [e.lower() for e in m.get("emails", [])]
        }

    def group(self, sid: str) -> set[str]:
        p = self.profiles[sid]
        return {
            s
            for s, q in self.profiles.items()
            if q.get("advisory") and (q.get("advisory"), q.get("school")) == (p.get("advisory"), p.get("school"))
        }

    def in_group(self, email: str, members: set[str]) -> bool:
        if any(email in [e.lower() for e in self.profiles[s].get("emails", [])] for s in members):
            return True
        advisors = {ref for s in members for ref in self.profiles[s].get("educators", [])}
        return any(r["role"] == "advisor" and r["id"] in advisors for r in self.educator_of(email))

    def may_read(self, email: str, path: str, listed: set[str]) -> bool:
        top, _, rest = path.partition("/")
        name = rest.split("/", 1)[0]
        if top == "student":
            return email in [e.lower() for e in self.profiles[name].get("emails", [])]
        if top == "family":
            return listed == self.children(email) if name.startswith("_") else name in self.children(email)
        if top == "educator":
            if name == "curriculum":
                return bool(self.educator_of(email))
            if name.startswith("_"):
                return any(r["id"] == name[1:] for r in self.educator_of(email))
            return any(self.serves(r, name) for r in self.educator_of(email))
        if top == "advisory":
            members = listed if name.startswith("_") else self.group(name)
            return bool(members) and self.in_group(email, members)
        return False


def _people() -> People:
    profiles = {
        p.parent.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (REPO / "students").glob("*/profile.yml")
    }
    roster = {e["id"]: e for e in yaml.safe_load((REPO / "students" / "roster.yml").read_text())["educators"]}
    return People(profiles, roster)


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path, Path]]:
    if not NGINX.exists():
        if os.environ.get("ILP_REQUIRE_NGINX") == "1":
            pytest.fail(f"ILP_REQUIRE_NGINX=1 but {NGINX} is missing")
        pytest.skip(f"{NGINX} is missing (apt-get install -y nginx)")
    base = tmp_path_factory.mktemp("deploy-sample")
    site = base / "site"
    run = CliRunner().invoke(main, ["build", "--root", str(REPO), "--out", str(site), "--today", TODAY])
    assert run.exit_code == 0, run.output
    auth = ThreadingHTTPServer(("127.0.0.1", 0), FakeAuth)
    auth.daemon_threads = True
    thread = threading.Thread(target=auth.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    port = free_port()
    args = ["deploy", "nginx", "--root", str(REPO), "--site", str(site), "--out", str(base / "deploy")]
    args += ["--listen", f"127.0.0.1:{port}", "--auth", f"http://127.0.0.1:{auth.server_address[1]}"]
    key = base / "secrets" / "link.key"
    key.parent.mkdir()
    key.write_text("Zr8sYq2Lm5Vx1Nc7Kd4Bw9Hp3Gt6Jf0Ta==\n")
    args += ["--today", TODAY, "--link-key-file", str(key), *(["--user", "root"] if os.geteuid() == 0 else [])]
    run = CliRunner().invoke(main, args)
    assert run.exit_code == 0, run.output
    log = (base / "nginx.out").open("wb")
    proc = subprocess.Popen(
        [str(NGINX), "-p", str(base / "deploy"), "-c", "nginx.conf", "-g", "daemon off;"], stdout=log, stderr=log
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            assert proc.poll() is None, (base / "nginx.out").read_text()
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.05)
        yield port, site, key
    finally:
        proc.terminate()
        proc.wait(timeout=5)
        log.close()
        auth.shutdown()
        auth.server_close()
        thread.join(timeout=5)


def _listed(site: Path, path: str) -> set[str]:
    """The students a start page links (its `../<id>/` links)."""
    text = (site / path).read_text(encoding="utf-8")
    return set(re.findall(r'href="\.\./([a-z0-9-]+)/"', text)) - {"curriculum"}


def test_every_page_as_every_person_and_as_nobody(deployed: tuple[int, Path, Path]) -> None:
    port, site, _ = deployed
    people = _people()
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html"))
    assert len(pages) > 500
    listed = {p: _listed(site, p) for p in pages if "/_" in p}
    wrong = []
    seen: list[set[int]] = []
    for reader in [None, *people.emails()]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for path in pages:
            url = "/" + path[: -len("index.html")]
            conn.putrequest("GET", url, skip_host=True)
            conn.putheader("Host", "ilp.test")
            if reader is not None:
                conn.putheader("Cookie", f"_test_reader={reader}")
            conn.endheaders()
            response = conn.getresponse()
            response.read()
            public = path.startswith("public/") or path == "index.html"
            if public:
                want = {200}
            elif reader is None:
                want = {302}
            else:
                allowed = people.may_read(reader, path, listed.get(path, set()))
                want = {200} if allowed else {403, 404}
            seen.append(want)
            if response.status not in want:
                wrong.append((reader, url, response.status, sorted(want)))
        conn.close()
    assert not wrong, wrong[:20]
    assert sum(want == {200} for want in seen) > len(pages)  # people read their own pages, not only the public


def test_every_person_reads_something_and_no_educator_reads_everyone(deployed: tuple[int, Path, Path]) -> None:
    people = _people()
    assert people.emails()
    educators_pages = {r["id"] for r in people.roster.values()}
    _, site, _ = deployed
    for eid in educators_pages:
        page = site / "educator" / f"_{eid}" / "index.html"
        listed = _listed(site, page.relative_to(site).as_posix())
        expected = {sid for sid in people.profiles if any(people.serves(r, sid) for r in [people.roster[eid]])}
        assert listed == expected, eid


def _get(port: int, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest("GET", path, skip_host=True)
        conn.putheader("Host", "ilp.test")
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def test_family_links_live_expired_revoked_and_wrong(deployed: tuple[int, Path, Path]) -> None:
    port, site, key_file = deployed
    sharing = yaml.safe_load((REPO / "students" / "sofia-ramirez" / "sharing.yml").read_text(encoding="utf-8"))
    key = key_file.read_bytes().strip()
    live, expired, revoked = (token(key, "sofia-ramirez", entry) for entry in sharing["links"])
    status, body = _get(port, f"/l/{live}/")
    assert status == 200
    assert body == (site / "family" / "sofia-ramirez" / "index.html").read_text(encoding="utf-8")
    status, _ = _get(port, f"/l/{live}/my-goals/")
    assert status == 200
    for dead in (expired, revoked, live[:-1], "0" * 64):
        assert _get(port, f"/l/{dead}/")[0] == 404, dead
    status, body = _get(port, f"/l/{live}/../../student/sofia-ramirez/")
    assert status != 200 or "Student view" not in body
