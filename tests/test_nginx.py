"""The nginx deployment (generator/deploy/nginx.py), checked against a real nginx on loopback.

A stand-in for oauth2-proxy's auth endpoint runs in a thread: it signs in whoever sends the cookie
`_test_reader=<email>`. Every file of a small fake site is requested as every reader and as nobody,
and each status is compared with the rule computed here, independently of the configuration.
Nothing leaves 127.0.0.1; every wait is bounded.
"""

from __future__ import annotations

import http.client
import http.cookies
import json
import os
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from generator.deploy.nginx import check_access, http_fragment, nginx_conf, server_fragment, write_deploy
from generator.errors import IlpError

NGINX = Path("/usr/sbin/nginx")
TIMEOUT = 5.0

TOKEN = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
REVOKED = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"

# Folders of the fake site; each has an index.html with its own marker.
FOLDERS = [
    "public/",
    "public/curriculum/",
    "public/students/ava/",
    "assets/",
    "student/ava/",
    "student/ava/goals/",
    "student/leo/",
    "family/ava/",
    "family/ava/goals/",
    "family/leo/",
    "educator/ava/",
    "educator/ava/goals/",
    "educator/leo/",
    "educator/mia/",
    "educator/curriculum/",
    "educators/mrivera/",
    "educators/okafor/",
    "families/3f9a2c1d/",
    "families/77aa01bc/",
    "advisory/ava/",
    "advisory/leo/",
    "advisory-groups/g9-north/",
    "secret/",  # an unknown top folder: never served
]
OTHER_FILES = ["index.html", "404.html", "assets/ilp.css", "assets/ilp.js", "build-report.txt", "student/ava/work.svg"]

ACCESS = {
    "version": 1,
    "public": ["public/", "assets/", "index.html", "404.html"],
    "readers": {
        "ava@school.example.org": ["student/ava/"],
        "leo@school.example.org": ["student/leo/"],
        "mrivera@school.example.org": ["educator/curriculum/", "educators/mrivera/", "educator/ava/", "educator/leo/"],
        "parent@home.example.org": ["family/ava/", "families/3f9a2c1d/"],
        "advisor@school.example.org": ["advisory/ava/", "advisory/leo/", "advisory-groups/g9-north/"],
    },
    "links": [{"path": f"l/{TOKEN}/", "serves": "family/ava/"}],
}
PROTECTED_TOPS = {"student", "family", "educator", "advisory", "educators", "families", "advisory-groups"}

HEADERS = {
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
}


def marker(folder: str) -> str:
    return f"MARKER[{folder}]"


def site_files() -> list[str]:
    return sorted({f"{folder}index.html" for folder in FOLDERS} | set(OTHER_FILES))


def build_site(site: Path) -> None:
    for folder in FOLDERS:
        (site / folder).mkdir(parents=True, exist_ok=True)
        (site / folder / "index.html").write_text(f"<!doctype html><p>{marker(folder)}</p>\n", encoding="utf-8")
    (site / "index.html").write_text(f"<p>{marker('')}</p>\n", encoding="utf-8")
    (site / "404.html").write_text("<p>not found</p>\n", encoding="utf-8")
    (site / "assets" / "ilp.css").write_text("body { color: black; }\n", encoding="utf-8")
    (site / "assets" / "ilp.js").write_text("console.log('ilp');\n", encoding="utf-8")
    (site / "build-report.txt").write_text("students: ava, leo\n", encoding="utf-8")
    (site / "student" / "ava" / "work.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n', encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# The independent rule


def expected(path: str, reader: str | None) -> int:
    """The status a request for site path `path` (no leading '/') should get."""
    if any(path.startswith(p) if p.endswith("/") else path == p for p in ACCESS["public"]):
        return 200
    top = path.split("/")[0]
    if top not in PROTECTED_TOPS or "/" not in path:
        return 404
    if reader is None:
        return 302
    prefixes: list[str] = ACCESS["readers"][reader.lower()]  # type: ignore[index]
    return 200 if any(path.startswith(p) for p in prefixes) else 403


# ---------------------------------------------------------------------------------------------
# The stand-in for oauth2-proxy


class FakeAuth(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path == "/oauth2/auth":
            cookie = http.cookies.SimpleCookie(self.headers.get("Cookie", ""))
            if "_test_reader" in cookie:
                self.send_response(202)
                self.send_header("X-Auth-Request-Email", cookie["_test_reader"].value)
            else:
                self.send_response(401)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/oauth2/start":
            body = b"sign in"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    port: int
    site: Path
    deploy: Path

    def get(self, path: str, reader: str | None = None) -> tuple[int, dict[str, str], str]:
        """GET `path` exactly as written; the status, headers (lower-case names) and body."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
            conn.putheader("Host", "ilp.test")
            if reader is not None:
                conn.putheader("Cookie", f"_test_reader={reader}")
            conn.endheaders()
            response = conn.getresponse()
            body = response.read().decode("utf-8", "replace")
            headers = {name.lower(): value for name, value in response.getheaders()}
            return response.status, headers, body
        finally:
            conn.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not NGINX.exists():
        reason = f"{NGINX} is missing (apt-get install -y nginx)"
        if os.environ.get("ILP_REQUIRE_NGINX") == "1":
            pytest.fail(f"ILP_REQUIRE_NGINX=1 but {reason}")
        pytest.skip(reason)
    base = tmp_path_factory.mktemp("nginx")
    site = base / "site"
    build_site(site)

    auth = ThreadingHTTPServer(("127.0.0.1", 0), FakeAuth)
    auth.daemon_threads = True
    thread = threading.Thread(target=auth.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()

    port = free_port()
    deploy = base / "deploy"
    user = "root" if os.geteuid() == 0 else None  # as root, nginx's workers would be 'nobody' (no access to tmp)
    write_deploy(site, deploy, f"127.0.0.1:{port}", f"http://127.0.0.1:{auth.server_address[1]}", ACCESS, user=user)
    log = (deploy / "nginx.out").open("wb")
    proc = subprocess.Popen(
        [str(NGINX), "-p", str(deploy), "-c", str(deploy / "nginx.conf"), "-g", "daemon off;"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            if proc.poll() is not None:
                pytest.fail(f"nginx exited with {proc.returncode}: {(deploy / 'nginx.out').read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"nginx did not accept connections in 10s: {(deploy / 'nginx.out').read_text()}")
                time.sleep(0.05)
        yield Server(port, site, deploy)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        log.close()
        auth.shutdown()
        auth.server_close()
        thread.join(timeout=5)


READERS: list[str | None] = [None, *ACCESS["readers"]]  # type: ignore[list-item]


def urls(path: str) -> list[str]:
    """The URLs of one site file: a folder's index.html also as the folder."""
    if path.endswith("index.html"):
        return ["/" + path, "/" + path[: -len("index.html")]]
    return ["/" + path]


# ---------------------------------------------------------------------------------------------
# Every file, as every reader and as nobody


@pytest.mark.parametrize("reader", READERS, ids=lambda r: r or "nobody")
def test_every_file_as_every_reader(server: Server, reader: str | None) -> None:
    wrong = []
    for path in site_files():
        want = expected(path, reader)
        for url in urls(path):
            status, headers, body = server.get(url, reader)
            ok = status == want or (want == 403 and status in (403, 404)) or (want == 404 and status in (403, 404))
            if want == 302 and status == 302:
                ok = headers.get("location") == f"/oauth2/start?rd={url}"
            if want == 200 and status == 200:
                folder = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
                ok = not path.endswith("index.html") or marker(folder) in body
            if status != 200:
                ok = ok and "MARKER[" not in body and "ava" not in body and "leo" not in body
            if not ok:
                wrong.append(f"{url}: want {want}, got {status} {headers.get('location', '')}")
    assert not wrong, "\n".join(wrong)


def test_email_in_another_case(server: Server) -> None:
    for reader in ["AVA@School.Example.ORG", "MRivera@SCHOOL.example.org", "Parent@Home.Example.Org"]:
        for path in site_files():
            for url in urls(path):
                status, _, _ = server.get(url, reader)
                want = expected(path, reader)
                assert status == want or (want in (403, 404) and status in (403, 404)), (reader, url, status)


def test_unknown_reader_is_refused(server: Server) -> None:
    for url in ["/student/ava/", "/educator/ava/goals/", "/families/3f9a2c1d/"]:
        status, _, body = server.get(url, "stranger@example.org")
        assert status == 403
        assert "MARKER[" not in body


def test_nested_page_and_folder_redirect(server: Server) -> None:
    status, _, body = server.get("/educator/ava/goals/", "mrivera@school.example.org")
    assert status == 200
    assert marker("educator/ava/goals/") in body
    status, headers, _ = server.get("/educator/ava/goals", "mrivera@school.example.org")
    assert status == 301
    assert headers["location"] == "/educator/ava/goals/"
    # The folder redirect is only for readers of the folder: others learn nothing from it.
    status, headers, _ = server.get("/educator/ava/goals", "ava@school.example.org")
    assert status == 403
    assert "location" not in headers


def test_sign_in_redirect_and_start(server: Server) -> None:
    status, headers, _ = server.get("/student/ava/goals/?tab=1&x=2")
    assert status == 302
    assert headers["location"] == "/oauth2/start?rd=/student/ava/goals/"
    status, _, body = server.get("/oauth2/start?rd=/student/ava/goals/")
    assert status == 200
    assert body == "sign in"
    # A path that would need escaping comes back to the front page, never half-escaped.
    status, headers, _ = server.get("/student/ava/a%20b.html")
    assert status == 302
    assert headers["location"] == "/oauth2/start?rd=/"


# ---------------------------------------------------------------------------------------------
# Path tricks

TRICKS = [
    "/student/ava/../leo/",
    "/student/ava/../leo/index.html",
    "/student/ava/%2e%2e/leo/",
    "/student/ava/%2E%2E/leo/",
    "/student/ava/.%2e/leo/",
    "/student/ava/..%2fleo/",
    "/student/ava/..%2Fleo/index.html",
    "/student/ava%2f..%2fleo/",
    "/student%2fleo/",
    "//student/leo/",
    "/student//leo/",
    "/student/./leo/",
    "/./student/leo/",
    "/Student/leo/",
    "/STUDENT/LEO/",
    "/student/LEO/",
    "/student/Leo/index.html",
    "/student/leo./",
    "/student/leo./index.html",
    "/student/leo%2e/",
    "/student/ava/%c0%ae%c0%ae/leo/",
    "/student/ava/%C0%AE%C0%AE/leo/",
    "/student/ava/%e0%80%ae%e0%80%ae/leo/",
    "/student/ava/..%5cleo/",
    "/student/ava/..\\leo/",
    "/student/ava;/../leo/",
    "/student/ava/..;/leo/",
    "/student/leo;ava/",
    "/student/ava/%00/../leo/",
    "/student/leo/%00",
    "/student/ava/%252e%252e/leo/",
    "/student/ava/%u002e%u002e/leo/",
    f"/l/{TOKEN}/../../student/leo/",
    f"/l/{TOKEN}/%2e%2e/%2e%2e/student/leo/",
    f"/l/{TOKEN}%2f..%2f..%2fstudent%2fleo/",
    f"/l/{TOKEN}/..%2f..%2fstudent/leo/",
    "/public/../student/leo/",
    "/assets/..%2fstudent/leo/index.html",
    "/assets/%2e%2e/student/leo/index.html",
]


@pytest.mark.parametrize("trick", TRICKS)
def test_path_tricks_never_reach_another_folder(server: Server, trick: str) -> None:
    for reader in ["ava@school.example.org", None]:
        status, _, body = server.get(trick, reader)
        assert marker("student/leo/") not in body, (trick, reader, status)
        assert status != 200, (trick, reader, status)


def test_tricks_do_not_reach_a_link_folder_either(server: Server) -> None:
    for trick in [f"/l/{TOKEN}/../../family/leo/", f"/l/{TOKEN}/%2e%2e/leo/", f"/l/{TOKEN}/..%2fleo/"]:
        status, _, body = server.get(trick)
        assert status in (400, 403, 404), trick
        assert "MARKER[" not in body


# ---------------------------------------------------------------------------------------------
# Links


def test_live_link_needs_no_sign_in(server: Server) -> None:
    status, headers, body = server.get(f"/l/{TOKEN}/")
    assert status == 200
    assert marker("family/ava/") in body
    assert "noindex" in headers["x-robots-tag"]
    status, _, body = server.get(f"/l/{TOKEN}/goals/index.html")
    assert status == 200
    assert marker("family/ava/goals/") in body


@pytest.mark.parametrize(
    "url",
    [
        f"/l/{TOKEN[:-1]}/",
        f"/l/{TOKEN[:32]}/",
        f"/l/{TOKEN}x/",
        f"/l/{TOKEN.upper()}/",
        f"/l/{REVOKED}/",  # expired or revoked: simply absent from access["links"]
        f"/l/{TOKEN}",
        "/l/",
        "/l/x/",
        f"/L/{TOKEN}/",
    ],
)
def test_other_links_are_404(server: Server, url: str) -> None:
    status, headers, body = server.get(url, "parent@home.example.org")
    assert status == 404
    assert "MARKER[" not in body
    assert "noindex" in headers["x-robots-tag"]


# ---------------------------------------------------------------------------------------------
# Headers


def assert_headers(headers: dict[str, str], noindex: bool) -> None:
    for name, value in HEADERS.items():
        assert headers.get(name) == value, (name, headers)
    csp = headers["content-security-policy"]
    for part in ["default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self'",
                 "frame-ancestors 'none'", "base-uri 'self'", "form-action 'self'"]:  # fmt: skip
        assert part in csp
    assert "unsafe" not in csp
    assert "*" not in csp
    assert "http" not in csp
    assert ("noindex" in headers.get("x-robots-tag", "")) == noindex, headers
    assert "server" not in headers or headers["server"] == "nginx", headers  # server_tokens off


@pytest.mark.parametrize(
    ("url", "reader", "status", "noindex"),
    [
        ("/", None, 200, False),
        ("/index.html", None, 200, False),
        ("/public/curriculum/", None, 200, False),
        ("/assets/ilp.css", None, 200, False),
        ("/404.html", None, 200, False),
        ("/student/ava/", "ava@school.example.org", 200, True),
        ("/student/ava/work.svg", "ava@school.example.org", 200, True),
        (f"/l/{TOKEN}/", None, 200, True),
        ("/student/leo/", "ava@school.example.org", 403, True),
        ("/student/ava/missing.html", "ava@school.example.org", 404, True),
        ("/public/missing.html", None, 404, False),
        ("/secret/", None, 404, True),
        ("/build-report.txt", "ava@school.example.org", 404, True),
        (f"/l/{REVOKED}/", None, 404, True),
        ("/student/ava/", None, 302, True),
        ("/student/ava/%2e%2e/leo/", "ava@school.example.org", 400, True),
        ("/oauth2/start?rd=/", None, 200, True),
    ],
)
def test_security_headers(server: Server, url: str, reader: str | None, status: int, noindex: bool) -> None:
    got, headers, _ = server.get(url, reader)
    assert got == status, url
    assert_headers(headers, noindex)
    if status != 200 or noindex:
        assert "MARKER[" not in _ or got == 200


def test_types(server: Server) -> None:
    assert server.get("/assets/ilp.css")[1]["content-type"].startswith("text/css")
    assert server.get("/assets/ilp.js")[1]["content-type"].startswith("application/javascript")
    assert server.get("/student/ava/work.svg", "ava@school.example.org")[1]["content-type"].startswith("image/svg+xml")


def test_no_directory_listing(server: Server) -> None:
    (server.site / "public" / "empty").mkdir(exist_ok=True)
    (server.site / "student" / "ava" / "empty").mkdir(exist_ok=True)
    (server.site / "student" / "ava" / "empty" / "note.txt").write_text("x", encoding="utf-8")
    assert server.get("/public/empty/")[0] in (403, 404)
    status, _, body = server.get("/student/ava/empty/", "ava@school.example.org")
    assert status in (403, 404)
    assert "note.txt" not in body


# ---------------------------------------------------------------------------------------------
# The access files


def test_access_files_are_not_served(server: Server) -> None:
    assert not server.deploy.resolve().is_relative_to(server.site.resolve())
    written = json.loads((server.deploy / "access.json").read_text(encoding="utf-8"))
    assert written == check_access(ACCESS)
    for url in [
        "/access.json",
        "/../deploy/access.json",
        "/%2e%2e/deploy/access.json",
        "/..%2fdeploy/access.json",
        "/deploy/access.json",
        "/nginx.conf",
        "/ilp-server.conf",
        "/public/../../deploy/access.json",
        f"/l/{TOKEN}/../../../deploy/access.json",
    ]:
        for reader in [None, "mrivera@school.example.org"]:
            status, _, body = server.get(url, reader)
            assert status in (400, 403, 404), url
            assert "readers" not in body
            assert "school.example.org" not in body


# ---------------------------------------------------------------------------------------------
# Without nginx


def test_write_deploy_refuses_out_inside_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    for out in [site, site / "deploy", site / "public" / ".." / "deploy"]:
        with pytest.raises(IlpError, match="inside the site"):
            write_deploy(site, out, "127.0.0.1:8080", "http://127.0.0.1:4180", ACCESS)
    assert list(site.iterdir()) == []
    paths = write_deploy(site, tmp_path / "deploy", "127.0.0.1:8080", "http://127.0.0.1:4180", ACCESS)
    assert sorted(p.name for p in paths) == ["access.json", "ilp-http.conf", "ilp-server.conf", "nginx.conf"]


@pytest.mark.parametrize(
    "change",
    [
        {"readers": {"ava@school.example.org": ["student/"]}},
        {"readers": {"ava@school.example.org": ["student/ava"]}},
        {"readers": {"ava@school.example.org": ["student/ava/goals/"]}},
        {"readers": {"ava@school.example.org": ["secret/ava/"]}},
        {"readers": {"ava@school.example.org": ["student/../"]}},
        {"readers": {"ava@school.example.org": ["student/Ava/"]}},
        {"readers": {"ava@school.example.org": ['student/a"v/']}},
        {"readers": {'a"va@school.example.org': ["student/ava/"]}},
        {"readers": {"ava school.example.org": ["student/ava/"]}},
        {"readers": {"~ava@school.example.org": ["student/ava/"]}},
        {"links": [{"path": "l/short/", "serves": "family/ava/"}]},
        {"links": [{"path": f"l/{TOKEN}/", "serves": "family/"}]},
        {"links": [{"path": f"x/{TOKEN}/", "serves": "family/ava/"}]},
        {"public": ["student/"]},
        {"public": ["l/"]},
        {"public": ["../"]},
        {"version": 2},
    ],
)
def test_access_that_cannot_be_expressed_is_refused(tmp_path: Path, change: dict[str, object]) -> None:
    access = {**ACCESS, **change}
    with pytest.raises(IlpError):
        server_fragment(tmp_path, "http://127.0.0.1:4180", access)
    with pytest.raises(IlpError):
        http_fragment(tmp_path, access)


def test_access_is_normalized() -> None:
    spec = check_access(
        {
            "version": 1,
            "public": ["assets/"],
            "readers": {
                "MRivera@School.example.org": ["educator/ava/"],
                "mrivera@school.example.org": ["educator/_mrivera/"],
            },
        }
    )
    assert spec == {
        "version": 1,
        "public": ["assets/"],
        "readers": {"mrivera@school.example.org": ["educator/_mrivera/", "educator/ava/"]},
        "links": [],
    }


@pytest.mark.parametrize("auth", ["127.0.0.1:4180", "http://127.0.0.1:4180/x", "http://a b", 'http://x";'])
def test_bad_auth_url_is_refused(tmp_path: Path, auth: str) -> None:
    with pytest.raises(IlpError):
        server_fragment(tmp_path, auth, ACCESS)


def test_conf_keeps_nginx_files_in_prefix(tmp_path: Path) -> None:
    text = nginx_conf(tmp_path / "site", tmp_path / "run", "127.0.0.1:8080", "http://127.0.0.1:4180", ACCESS)
    assert not [line for line in text.splitlines() if line.strip().startswith("daemon")]
    for directive in ["pid", "error_log", "access_log", "client_body_temp_path", "proxy_temp_path",
                      "fastcgi_temp_path", "uwsgi_temp_path", "scgi_temp_path"]:  # fmt: skip
        lines = [line.strip() for line in text.splitlines() if line.strip().startswith(directive + " ")]
        assert lines, directive
        assert all(f'"{tmp_path / "run"}/' in line for line in lines), lines
    assert "autoindex off;" in text
    assert "server_tokens off;" in text
