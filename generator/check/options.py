"""Stage 2 for ``mkdocs.yml``: the generator's options, validated against the config schema with lines."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from generator.check import schemas
from generator.config import CONFIG_FILE, PLUGIN_NAME, PRIVATE, Options
from generator.errors import Diagnostic, expected
from generator.i18n import catalogs
from generator.load.documents import LoadError, load_yaml
from generator.model.source import Doc

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _plugin_options(doc: Doc) -> tuple[dict[str, Any], tuple[str | int, ...]]:
    plugins = doc.data.get("plugins") if isinstance(doc.data, dict) else None
    if isinstance(plugins, list):
        for index, entry in enumerate(plugins):
            if entry == PLUGIN_NAME:
                return {}, ("plugins", index)
            if isinstance(entry, dict) and PLUGIN_NAME in entry:
                return entry[PLUGIN_NAME] or {}, ("plugins", index, PLUGIN_NAME)
    if isinstance(plugins, dict) and PLUGIN_NAME in plugins:
        return plugins[PLUGIN_NAME] or {}, ("plugins", PLUGIN_NAME)
    return {}, ()


PATH_OPTIONS = ("framework", "roster", "reference", "schema_base")
MAX_SITE_NAME = 200


def load_options(root: Path) -> tuple[Options, list[Diagnostic], dict[str, int]]:
    """The options from ``<root>/mkdocs.yml`` (defaults when there is none), their problems, and the
    mkdocs.yml line of each option given."""
    file = root / CONFIG_FILE
    if not file.exists() and not file.is_symlink():
        return Options(), [], {}
    try:
        doc = load_yaml(file, CONFIG_FILE, tolerant_tags=True)
    except LoadError as exc:
        return Options(), list(exc.diagnostics), {}
    raw, at = _plugin_options(doc)
    sub = Doc(doc.path, raw, {key[len(at) :]: line for key, line in doc.lines.items() if key[: len(at)] == at})
    lines = {str(key[0]): line for key, line in sub.lines.items() if len(key) == 1}
    problems = schemas.validate(sub, "config")
    site_name = doc.data.get("site_name") if isinstance(doc.data, dict) else None
    if site_name is not None and (not isinstance(site_name, str) or len(site_name) > MAX_SITE_NAME):
        problems.append(
            Diagnostic(
                CONFIG_FILE, doc.line(("site_name",)), f"site_name should be text of at most {MAX_SITE_NAME} characters"
            )
        )
    directory_urls = doc.data.get("use_directory_urls", True) if isinstance(doc.data, dict) else True
    if not isinstance(directory_urls, bool):
        problems.append(
            Diagnostic(CONFIG_FILE, doc.line(("use_directory_urls",)), "use_directory_urls should be true or false")
        )
    problems.extend(_path_problems(raw, sub))
    if problems:
        return Options(), problems, lines
    values: dict[str, Any] = {key: tuple(value) if isinstance(value, list) else value for key, value in raw.items()}
    if "family_help" in values:
        values["family_help_pages"] = tuple(sorted(values.pop("family_help").items()))
    options = Options(
        **values, site_name=str(site_name or Options.site_name), use_directory_urls=directory_urls is not False
    )
    problems = _check_audiences(options, sub) + _check_languages(options, sub, root)
    if not options.public_salt:
        problems.append(
            Diagnostic(
                CONFIG_FILE,
                doc.line(at) if at else 1,
                "no public_salt under the ilp plugin, so anyone who guesses a student's id can find "
                "their public portfolio; add 'public_salt:' with a random text (python3 -c \"import secrets; "
                'print(secrets.token_hex(16))") and keep it',
                "warning",
            )
        )
    return options, problems, lines


def _path_problems(raw: dict[str, Any], doc: Doc) -> list[Diagnostic]:
    """Options that name files must name them inside the repository: never an absolute path or '..'."""
    found = []
    for key in PATH_OPTIONS:
        value = raw.get(key)
        if not isinstance(value, str) or (key == "schema_base" and value.startswith("https://")):
            continue
        parts = value.replace("\\", "/").split("/")
        if value.startswith(("/", "~")) or ":" in parts[0] or ".." in parts or any(_CONTROL.search(p) for p in parts):
            found.append(
                Diagnostic(
                    CONFIG_FILE,
                    doc.line((key,)),
                    f"{key}: '{value[:80]}' must be a path inside the repository, such as "
                    f"'{Options.__dataclass_fields__[key].default}'",
                )
            )
    return found


def _check_audiences(options: Options, doc: Doc) -> list[Diagnostic]:
    problems = []
    if PRIVATE in options.audiences:
        problems.append(
            Diagnostic(doc.path, doc.line(("audiences",)), "'private' is not an audience name; choose another")
        )
    if len(set(options.audiences)) != len(options.audiences):
        problems.append(Diagnostic(doc.path, doc.line(("audiences",)), "an audience is listed twice"))
    for key in ("full_access",):
        for name in getattr(options, key):
            if name not in options.audiences:
                problems.append(
                    Diagnostic(
                        doc.path, doc.line((key,)), f"{key}: unknown audience '{name}' {expected(options.audiences)}"
                    )
                )
    if options.everyone in options.full_access:
        problems.append(
            Diagnostic(
                doc.path,
                doc.line(("full_access",)),
                f"full_access includes '{options.everyone}', which would show the whole ILP to everyone; remove it",
            )
        )
    for key in ("conference", "everyone"):
        name = getattr(options, key)
        if name not in options.audiences:
            problems.append(
                Diagnostic(
                    doc.path, doc.line((key,)), f"{key}: unknown audience '{name}' {expected(options.audiences)}"
                )
            )
    return problems


def _check_languages(options: Options, doc: Doc, root: Path) -> list[Diagnostic]:
    """The district's language needs a catalog; each family help page must be a page of content/."""
    problems = []
    known = catalogs.available(root)
    if options.language not in known:
        problems.append(
            Diagnostic(
                doc.path,
                doc.line(("language",)),
                f"language: no message catalog for '{options.language}' {expected(known)}; add "
                f"{catalogs.DISTRICT_LOCALES}/{options.language.replace('-', '_')}/LC_MESSAGES/messages.po "
                "(content/languages.md)",
            )
        )
    for code, page in options.family_help.items():
        parts = page.replace("\\", "/").split("/")
        if page.startswith("/") or ".." in parts:
            problems.append(
                Diagnostic(
                    doc.path,
                    doc.line(("family_help", code)),
                    f"family_help: '{page[:80]}' must be a page of content/, such as 'families.md'",
                )
            )
        elif (root / "content").is_dir() and not (root / "content" / page).is_file():
            problems.append(
                Diagnostic(
                    doc.path,
                    doc.line(("family_help", code)),
                    f"family_help: content/{page[:80]} does not exist, so family views do not link it; "
                    "write the page or name another",
                    "warning",
                )
            )
    return problems
