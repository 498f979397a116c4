"""The options are defined once (the config schema); a standard mkdocs.yml is accepted by ilp and by MkDocs."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from generator.check import schemas
from generator.config import OPTION_NAMES, Options
from tests.conftest import REPO, TODAY_DATE, District

STANDARD = """\
site_name: Test District ILP
site_url: https://ilp.example.org/
site_description: Portfolios
site_author: Test District
repo_url: https://git.example.org/district/ilp
repo_name: district/ilp
edit_uri: edit/main/content/
copyright: Test District
docs_dir: content
theme:
  name: mkdocs
  locale: en
extra:
  analytics: false
extra_css: []
markdown_extensions:
  - toc:
      permalink: true
  - admonition
nav:
  - Home: index.md
use_directory_urls: true
strict: false
validation:
  omitted_files: warn
watch: [students]
plugins:
  - search
  - ilp:
      framework: curriculum/framework.yml
      roster: students/roster.yml
      as_of: 2026-11-25
"""


def test_options_are_the_schemas_properties_with_its_defaults() -> None:
    properties = schemas.schema("config")["properties"]
    fields = {f.name: f for f in dataclasses.fields(Options)}
    assert set(OPTION_NAMES) == set(properties)
    # MkDocs' own keys; a mapping is kept as sorted pairs (the options are frozen)
    renamed = {"family_help": "family_help_pages"}
    assert set(fields) == {*(renamed.get(p, p) for p in properties), "site_name", "use_directory_urls"}
    for name, spec in properties.items():
        default = spec.get("default")
        expected = tuple(default) if isinstance(default, list) else default
        if isinstance(default, dict):
            expected = tuple(sorted(default.items()))
        assert fields[renamed.get(name, name)].default == expected, name


def test_the_mkdocs_plugin_takes_its_option_names_from_the_schema() -> None:
    from generator.site.plugin import IlpPlugin

    plugin = IlpPlugin()
    errors, warnings = plugin.load_config(dict.fromkeys(OPTION_NAMES))
    assert not errors
    assert not warnings
    _, warnings = plugin.load_config({"framwork": "x"})
    assert warnings == [("framwork", "Unrecognised configuration name: framwork")]


def test_a_standard_mkdocs_yml_passes_ilp_check_and_builds(district: District) -> None:
    district.write("mkdocs.yml", STANDARD)
    result = district.check()
    assert result.exit_code == 0, result.output
    from generator.pipeline import build

    built = build(district.root, district.root.parent / "site", TODAY_DATE)
    assert not built.errors
    assert (district.root.parent / "site" / "family" / "ava" / "index.html").is_file()


def test_mkdocs_itself_loads_the_repositorys_configuration() -> None:
    from mkdocs.config import load_config

    config = load_config(str(REPO / "mkdocs.yml"))
    assert "ilp" in config.plugins


def test_an_unknown_option_is_an_error_at_its_line(district: District) -> None:
    district.write(
        "mkdocs.yml", STANDARD.replace("      as_of: 2026-11-25", "      framwork: curriculum/framework.yml")
    )
    assert (
        "mkdocs.yml:32: unknown key 'framwork' (did you mean 'framework'?) (expected: as_of, audiences, conference, "
        "everyone, family_help, framework, full_access, language, public_salt, reference, roster, schema_base)"
        in district.problems()
    )


def test_the_config_schema_refuses_what_it_does_not_name() -> None:
    spec = json.loads((Path(schemas.__file__).parents[1] / "schemas" / "config.schema.json").read_text())
    assert spec["additionalProperties"] is False
