"""nginx configuration that serves a built site and enforces who may read which folder.

The input is the access description (see :func:`check_access`): the public paths, the folder
prefixes each signed-in reader (by email) may read, and the live capability links. Sign-in is
oauth2-proxy's (``auth_request`` to ``AUTH_URL/oauth2/auth``; the reader's address comes back in
``X-Auth-Request-Email``, so oauth2-proxy must run with ``--set-xauthrequest``).

Three texts, from pure functions:

* :func:`nginx_conf`: a complete nginx.conf, run as ``nginx -p PREFIX -c nginx.conf -g 'daemon off;'``.
* :func:`http_fragment`: the maps; ``include`` it at http level (inside ``http {}``, outside any server).
* :func:`server_fragment`: the locations; ``include`` it inside the one ``server {}`` that serves the
  site. It takes over the whole server: it has its own ``location /`` and a server-level check that
  refuses encoded or non-canonical paths for every request of that server.

How a protected request is decided, and why this way: ``auth_request`` runs in nginx's access phase,
after the rewrite phase (``if``/``return``), so the reader's address is not known to ``if``. The
decision is therefore made where the file is opened, in the content phase: the location's ``root`` is
a map of the reader and the request's normalized ``$uri`` (``$ilp_root``), the site when the reader
may read that folder and a path that cannot exist (under /dev/null) when not; a file that is not
found goes to ``@ilp_refused``, which answers 403 (not this reader's) or 404 (really missing). The
maps are ``volatile`` so nothing computed before sign-in is reused. The decision and the file both
use ``$uri`` (decoded, dot segments resolved, slashes merged), and requests whose raw path
(``$request_uri``) has encoded dots, slashes or backslashes, dot segments, ``//``, ``;``, a segment
ending in a dot, or control characters are refused before any location is chosen.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from generator.errors import IlpError

# The first path segment of every protected folder.
PROTECTED_TOPS = ("student", "family", "educator", "advisory", "educators", "families", "advisory-groups")
# Top folders the configuration itself uses; no public path may take them.
RESERVED_TOPS = ("l", "oauth2", "_ilp")

# Ids (^[a-z0-9]+(-[a-z0-9]+)*$), and start pages under a name no id can have ('_' first).
SEGMENT = r"_?[a-z0-9]+(?:[-_][a-z0-9]+)*"
PREFIX_RE = re.compile(rf"(?:{'|'.join(re.escape(t) for t in PROTECTED_TOPS)})/{SEGMENT}/")
LINK_RE = re.compile(r"l/([A-Za-z0-9_-]{16,128})/")
PUBLIC_RE = re.compile(r"(?:[a-z0-9][a-z0-9_-]*/|[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9]+)+)")
# Emails as oauth2-proxy reports them; no quote, backslash, space, '~', '$', ';', braces or control
# character, so a key never needs escaping inside nginx's double quotes.
EMAIL_RE = re.compile(r"[a-z0-9.!#%&'*+/=?^_`|-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+")
LISTEN_RE = re.compile(r"(?:(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):)?[0-9]{1,5}")
# No path: oauth2-proxy's endpoints are under /oauth2/ (its default --proxy-prefix).
AUTH_URL_RE = re.compile(r"https?://(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")
UNSAFE_PATH_CHARS = re.compile(r'[\x00-\x1f\x7f"\\$;{}#\']')

# A path that can never be opened (every name under /dev/null fails with ENOTDIR): the root of a
# protected location when the reader may not read the folder.
DENIED_ROOT = "/dev/null/ilp-denied"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; media-src 'self'; object-src 'none'; frame-src 'none'; worker-src 'self'; "
    "manifest-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)

# The raw path (before '?') of a request that is refused with 400 before any location is chosen.
BAD_REQUEST_PATH = (
    r"~*^[^?]*(?:%(?:2e|2f|5c|00|25|[01][0-9a-f]|7f|c0|c1|e0%[89])|\\\\|;|//|/\.|\.(?:/|\?|$)|[\x00-\x20\x7f])"
)

FORBIDDEN_BODY = "403 Forbidden: you are signed in, but this page is not shared with you.\\n"
NOT_FOUND_BODY = "404 Not Found\\n"
BAD_REQUEST_BODY = "400 Bad Request\\n"

MIME_TYPES = (  # type extensions; for the standalone nginx.conf
    "text/html html htm; text/css css; text/plain txt md; text/xml xml; text/csv csv; application/javascript js mjs; "
    "application/json json map; application/pdf pdf; application/manifest+json webmanifest; application/zip zip; "
    "image/svg+xml svg svgz; image/png png; image/jpeg jpg jpeg; image/gif gif; image/webp webp; image/avif avif; "
    "image/x-icon ico; font/woff woff; font/woff2 woff2; audio/mpeg mp3; audio/ogg ogg; video/mp4 mp4; video/webm webm"
)


def check_access(access: dict[str, Any]) -> dict[str, Any]:
    """The access description, checked and normalized (emails lowercased and merged, lists sorted).

    Raises IlpError on anything this configuration cannot express safely.
    """
    if not isinstance(access, dict) or access.get("version") != 1:
        raise IlpError('access description: expected a JSON object with "version": 1')
    public = access.get("public", [])
    readers = access.get("readers", {})
    links = access.get("links", [])
    if not isinstance(public, list) or not isinstance(readers, dict) or not isinstance(links, list):
        raise IlpError("access description: 'public' and 'links' must be lists, 'readers' an object")

    publics: set[str] = set()
    for entry in public:
        if not isinstance(entry, str) or not PUBLIC_RE.fullmatch(entry):
            raise IlpError(f"access description: public path {entry!r} is not a top 'folder/' or 'file.ext'")
        name = entry.rstrip("/").split(".")[0]
        if name in PROTECTED_TOPS or name in RESERVED_TOPS:
            raise IlpError(f"access description: public path {entry!r} is a protected or reserved folder")
        publics.add(entry)

    merged: dict[str, set[str]] = {}
    for email, prefixes in readers.items():
        if not isinstance(email, str) or not EMAIL_RE.fullmatch(email.lower()):
            raise IlpError(f"access description: reader {email!r} is not an email address this configuration accepts")
        if not isinstance(prefixes, list):
            raise IlpError(f"access description: reader {email}: expected a list of folder prefixes")
        for prefix in prefixes:
            _check_prefix(prefix, f"reader {email}")
        merged.setdefault(email.lower(), set()).update(prefixes)

    served: dict[str, str] = {}
    for link in links:
        if not isinstance(link, dict) or set(link) != {"path", "serves"}:
            raise IlpError(f'access description: link {link!r}: expected {{"path": ..., "serves": ...}}')
        path, serves = link["path"], link["serves"]
        if not isinstance(path, str) or not LINK_RE.fullmatch(path):
            raise IlpError(f"access description: link {path!r} is not 'l/<token>/' (16-128 of A-Za-z0-9_-)")
        _check_prefix(serves, f"link {path}")
        if served.get(path, serves) != serves:
            raise IlpError(f"access description: link {path} serves two folders")
        served[path] = serves

    return {
        "version": 1,
        "public": sorted(publics),
        "readers": {email: sorted(merged[email]) for email in sorted(merged) if merged[email]},
        "links": [{"path": path, "serves": served[path]} for path in sorted(served)],
    }


def _check_prefix(prefix: object, where: str) -> None:
    if not isinstance(prefix, str) or not PREFIX_RE.fullmatch(prefix):
        raise IlpError(
            f"access description: {where}: {prefix!r} is not a protected folder prefix "
            f"(two segments ending in '/', the first one of {', '.join(PROTECTED_TOPS)})"
        )


def _check_path(path: Path, what: str) -> str:
    text = str(path)
    if not path.is_absolute() or UNSAFE_PATH_CHARS.search(text):
        raise IlpError(f"{what} {text}: give an absolute path without quotes, backslashes, '$', ';', '#' or braces")
    return text.rstrip("/") or "/"


def _check_auth_url(auth_url: str) -> str:
    url = auth_url.rstrip("/")
    if not AUTH_URL_RE.fullmatch(url):
        raise IlpError(f"--auth {auth_url}: expected http(s)://HOST[:PORT] (no path), the address of oauth2-proxy")
    return url


def _quote(text: str) -> str:
    """A double-quoted nginx string: of checked text (no '"', no backslash) or of a PCRE regex."""
    return f'"{text}"'


def _headers(noindex: bool, cache: bool = False) -> list[str]:
    lines = [
        f"add_header Content-Security-Policy {_quote(CSP)} always;",
        'add_header Referrer-Policy "no-referrer" always;',
        'add_header X-Content-Type-Options "nosniff" always;',
        'add_header X-Frame-Options "DENY" always;',
    ]
    if noindex:
        lines.append('add_header X-Robots-Tag "noindex, nofollow" always;')
    if cache:
        lines.append('add_header Cache-Control "private, no-store" always;')
    return lines


def _block(head: str, body: Iterable[str], indent: str = "") -> list[str]:
    lines = [f"{indent}{head} {{"]
    for line in body:
        lines.append(f"{indent}    {line}" if line else "")
    lines.append(f"{indent}}}")
    return lines


def _bucket_size(keys: Iterable[str]) -> int:
    longest = max((len(k) for k in keys), default=0)
    size = 64
    while size < longest + 32:
        size *= 2
    return size


def http_fragment(site: Path, access: dict[str, Any]) -> str:
    """The maps, to ``include`` at http level (inside ``http {}``, outside any server)."""
    site_text = _check_path(site, "--site")
    spec = check_access(access)
    readers: dict[str, list[str]] = spec["readers"]
    ids = {email: f"r{n}" for n, email in enumerate(readers)}
    grants = [f"{ids[email]}:{prefix}" for email, prefixes in readers.items() for prefix in prefixes]

    lines = [
        "# ilp: the maps for server_fragment; include this file at http level (inside http {}, outside any server).",
        "# Generated by `ilp deploy nginx`; do not edit: rebuild it from access.json.",
        "",
    ]
    bucket = _bucket_size([*readers, *grants])
    if bucket > 64:
        lines += [f"map_hash_bucket_size {bucket};  # the longest email or grant needs it", ""]
    if len(readers) > 1024 or len(grants) > 1024:
        lines += [f"map_hash_max_size {max(2048, 2 * max(len(readers), len(grants)))};", ""]
    area = _quote("~^/(?<ilp_a>[a-z0-9_-]+/[a-z0-9_-]+/)")
    rd = _quote("~^(?<ilp_p>/(?!/)[A-Za-z0-9._~/-]*)(?:[?]|$)")
    maps = [
        ("Raw paths refused before any location (see BAD_REQUEST_PATH).", "$request_uri $ilp_bad_request",
         ["volatile;", "default 0;", f"{_quote(BAD_REQUEST_PATH)} 1;"]),
        ("The reader: the signed-in email (from auth_request_set; map strings match ignoring case).",
         "$ilp_email $ilp_reader", ["volatile;", 'default "";', *(f"{_quote(e)} {ids[e]};" for e in readers)]),
        ("The request's folder: its first two segments, lower case only (case folding cannot widen a grant).",
         "$uri $ilp_area", ["volatile;", 'default "";', f"{area} $ilp_a;"]),
        ("May this reader read this folder?", '"$ilp_reader:$ilp_area" $ilp_allowed',
         ["volatile;", "default 0;", *(f"{_quote(grant)} 1;" for grant in grants)]),
        ("The root of protected locations: the site when allowed, a path that cannot exist when not.",
         "$ilp_allowed $ilp_root", ["volatile;", f"default {_quote(DENIED_ROOT)};", f"1 {_quote(site_text)};"]),
        ("Where to come back to after sign-in: the request's path when it needs no escaping, else /.",
         "$request_uri $ilp_rd", ["default /;", f"{rd} $ilp_p;"]),
    ]  # fmt: skip
    for comment, head, body in maps:
        lines += [f"# {comment}", *_block(f"map {head}", body), ""]
    return "\n".join(lines) + "\n"


def server_fragment(site: Path, auth_url: str, access: dict[str, Any]) -> str:
    """The locations, to ``include`` inside the server block that serves the site (needs http_fragment)."""
    site_text = _check_path(site, "--site")
    auth = _check_auth_url(auth_url)
    spec = check_access(access)
    common = ["absolute_redirect off;"]

    lines = [
        "# ilp: the site's locations; include this file inside the one server {} that serves the site,",
        "# and include the http fragment (ilp-http.conf) at http level. It takes over the whole server.",
        "# Generated by `ilp deploy nginx`; do not edit: rebuild it from access.json.",
        "",
        "server_tokens off;",
        "autoindex off;",
        "index index.html;",
        *_headers(noindex=True),
        "",
        "# Encoded dots, slashes or backslashes, dot segments, '//', ';', trailing dots, control characters.",
        f'if ($ilp_bad_request) {{ return 400 "{BAD_REQUEST_BODY}"; }}',
        "",
        "# Sign-in (oauth2-proxy). 2xx: signed in; 401: not signed in.",
    ]
    proxy = [
        "proxy_set_header Host $host;",
        "proxy_set_header X-Real-IP $remote_addr;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        "proxy_connect_timeout 5s;",
        "proxy_read_timeout 10s;",
    ]
    lines += _block("location = /_ilp/auth", [
        "internal;", f"proxy_pass {auth}/oauth2/auth;", "proxy_pass_request_body off;",
        'proxy_set_header Content-Length "";', "proxy_set_header Cookie $http_cookie;", *proxy,
        "proxy_set_header X-Forwarded-Uri $request_uri;", "proxy_set_header X-Original-URI $request_uri;",
    ])  # fmt: skip
    lines.append("")
    lines += _block("location ^~ /oauth2/", [
        f"proxy_pass {auth};", *proxy, "proxy_set_header X-Auth-Request-Redirect $request_uri;",
        *_headers(noindex=True, cache=True),
    ])  # fmt: skip
    lines.append("")
    lines += _block(
        "location @ilp_signin",
        [*common, *_headers(noindex=True, cache=True), "return 302 /oauth2/start?rd=$ilp_rd;"],
    )
    lines.append("")
    lines += _block(
        "location @ilp_refused",
        [
            *common,
            "default_type text/plain;",
            *_headers(noindex=True, cache=True),
            f'if ($ilp_allowed = 0) {{ return 403 "{FORBIDDEN_BODY}"; }}',
            f'return 404 "{NOT_FOUND_BODY}";',
        ],
    )

    lines += ["", "# Public: no sign-in."]
    for entry in spec["public"]:
        head = f"location ^~ /{entry}" if entry.endswith("/") else f"location = /{entry}"
        lines += _block(head, [*common, f"root {_quote(site_text)};", *_headers(noindex=False)])
    if "index.html" in spec["public"]:
        lines += _block("location = /", [*common, f"root {_quote(site_text)};", *_headers(noindex=False)])

    lines += ["", "# Protected: the signed-in reader's folders only (the decision is $ilp_root; see the maps)."]
    for top in PROTECTED_TOPS:
        lines += _block(
            f"location ^~ /{top}/",
            [
                *common,
                "auth_request /_ilp/auth;",
                "auth_request_set $ilp_email $upstream_http_x_auth_request_email;",
                "error_page 401 = @ilp_signin;",
                "error_page 403 404 = @ilp_refused;",
                "root $ilp_root;",
                *_headers(noindex=True, cache=True),
            ],
        )

    lines += ["", "# Live capability links: no sign-in; any other /l/ path is 404."]
    for link in spec["links"]:
        alias = f"alias {_quote(site_text + '/' + link['serves'])};"
        lines += _block(f"location ^~ /{link['path']}", [*common, alias, *_headers(noindex=True, cache=True)])
    lines += _block("location ^~ /l/", [*common, *_headers(noindex=True), f'return 404 "{NOT_FOUND_BODY}";'])
    lines += ["", "# Everything else: the output root's other files, unknown top folders."]
    lines += _block("location /", [*common, *_headers(noindex=True), f'return 404 "{NOT_FOUND_BODY}";'])
    return "\n".join(lines) + "\n"


TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def _listen(listen: str) -> str:
    if not LISTEN_RE.fullmatch(listen):
        raise IlpError(f"--listen {listen}: expected HOST:PORT or PORT")
    return listen


def nginx_conf(
    site: Path, prefix: Path, listen: str, auth_url: str, access: dict[str, Any], *, user: str | None = None
) -> str:
    """A complete nginx.conf (``nginx -p PREFIX -c nginx.conf -g 'daemon off;'``); nginx writes only inside
    `prefix`. `user`: the workers' user when the master runs as root (nginx's default is then 'nobody')."""
    pre = _check_path(prefix, "--out")
    listen = _listen(listen)
    if user is not None and not re.fullmatch(r"[a-z_][a-z0-9_-]*", user):
        raise IlpError(f"user {user!r}: not a user name")
    http = http_fragment(site, access)
    server = server_fragment(site, auth_url, access)
    types = [f"{entry.strip()};" for entry in MIME_TYPES.split(";")]
    lines = [
        "# ilp: a complete nginx configuration for the built site.",
        "# Run: nginx -p PREFIX -c PREFIX/nginx.conf -g 'daemon off;'",
        "# Generated by `ilp deploy nginx`; do not edit: rebuild it from access.json.",
        "",
        *([f"user {user};"] if user else []),
        "worker_processes 1;",
        f"pid {_quote(pre + '/nginx.pid')};",
        f"error_log {_quote(pre + '/error.log')} warn;",
        "",
        "events { worker_connections 512; }",
        "",
        "http {",
    ]
    body = [
        *_block("types", types),
        "default_type application/octet-stream;",
        "charset utf-8;",
        "charset_types text/css text/plain text/xml application/javascript application/json image/svg+xml;",
        f"access_log {_quote(pre + '/access.log')};",
        *(f"{kind}_temp_path {_quote(f'{pre}/{kind}_temp')};" for kind in TEMP_PATHS),
        "sendfile on;",
        "server_tokens off;",
        "client_max_body_size 1k;",
        "",
        *http.splitlines(),
        "",
        *_block(
            "server",
            [f"listen {listen};", "server_name _;", "merge_slashes on;", "", *server.splitlines()],
        ),
    ]
    lines += [f"    {line}" if line else "" for line in body]
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_deploy(
    site: Path, out: Path, listen: str, auth_url: str, access: dict[str, Any], *, user: str | None = None
) -> list[Path]:
    """Write nginx.conf, ilp-http.conf, ilp-server.conf and access.json into `out` (never inside `site`)."""
    site_abs = site.resolve()
    out_abs = out.resolve()
    if out_abs == site_abs or out_abs.is_relative_to(site_abs):
        raise IlpError(f"--out {out}: it is inside the site {site}; the access files must never be served")
    if not site_abs.is_dir():
        raise IlpError(f"--site {site}: no such folder; run ilp build first")
    texts = {
        "nginx.conf": nginx_conf(site_abs, out_abs, listen, auth_url, access, user=user),
        "ilp-http.conf": http_fragment(site_abs, access),
        "ilp-server.conf": server_fragment(site_abs, auth_url, access),
        "access.json": json.dumps(check_access(access), indent=2, sort_keys=True) + "\n",
    }
    out_abs.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (out_abs / name).write_text(text, encoding="utf-8")
    return [out_abs / name for name in texts]
