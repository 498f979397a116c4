"""The walls between stages: each stage package is imported in a fresh interpreter, and what it pulled in
is checked against what it may use. A wall that breaks fails here, before it leaks or slows anything."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PACKAGES = (
    "generator.model",
    "generator.load",
    "generator.check",
    "generator.markdown",
    "generator.visibility",
    "generator.history",
    "generator.render",
    "generator.site",
    "generator.commands",
    "generator.deploy",
    "generator.export",
    "generator.sis",
    "generator.pipeline",
    "generator.cli",
)


def _imported(package: str) -> set[str]:
    """The modules that importing `package` and every module in it loads, in a fresh interpreter."""
    code = (
        "import importlib, json, pkgutil, sys\n"
        f"root = importlib.import_module({package!r})\n"
        "for info in pkgutil.walk_packages(getattr(root, '__path__', []), root.__name__ + '.'):\n"
        "    importlib.import_module(info.name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout))


@pytest.fixture(scope="module")
def imported() -> dict[str, set[str]]:
    return {package: _imported(package) for package in PACKAGES}


def _uses(modules: set[str], name: str) -> bool:
    return any(m == name or m.startswith(name + ".") for m in modules)


def test_only_the_site_package_imports_mkdocs(imported: dict[str, set[str]]) -> None:
    for package in ("generator.model", "generator.load", "generator.check", "generator.markdown"):
        assert not _uses(imported[package], "mkdocs"), package
    for package in ("generator.visibility", "generator.history", "generator.render"):
        assert not _uses(imported[package], "mkdocs"), package
    assert _uses(imported["generator.site"], "mkdocs")


def test_only_the_history_package_imports_git(imported: dict[str, set[str]]) -> None:
    for package in ("generator.model", "generator.load", "generator.check", "generator.markdown"):
        assert not _uses(imported[package], "git"), package
    for package in ("generator.visibility", "generator.render", "generator.site"):
        assert not _uses(imported[package], "git"), package
    assert _uses(imported["generator.history"], "git")


def test_the_deployment_reads_nothing_and_imports_no_mkdocs_or_git(imported: dict[str, set[str]]) -> None:
    for banned in ("mkdocs", "git", "generator.load", "generator.check", "generator.pipeline"):
        assert not _uses(imported["generator.deploy"], banned), banned


def test_render_and_site_never_import_the_loader(imported: dict[str, set[str]]) -> None:
    for package in ("generator.render", "generator.site"):
        assert not _uses(imported[package], "generator.load"), package
        assert not _uses(imported[package], "generator.check"), package


def test_pure_stages_import_nothing_that_reads_the_disk(imported: dict[str, set[str]]) -> None:
    for package in ("generator.model", "generator.markdown", "generator.visibility", "generator.render"):
        for reader in ("generator.load", "generator.check", "generator.history.git", "generator.history.changes"):
            assert not _uses(imported[package], reader), (package, reader)
        assert not _uses(imported[package], "generator.pipeline"), package


def test_the_export_documents_are_pure_and_the_sis_reader_writes_nothing(imported: dict[str, set[str]]) -> None:
    """The CLR and résumé builders work from a view (never the loader, git or MkDocs); the OneRoster
    reader reads a bundle and knows nothing of sites, git or the district's files."""
    for banned in ("mkdocs", "git", "generator.load", "generator.check", "generator.pipeline", "generator.history.git"):
        assert not _uses(imported["generator.export"], banned), banned
    for banned in ("mkdocs", "git", "generator.render", "generator.site", "generator.pipeline", "generator.history"):
        assert not _uses(imported["generator.sis"], banned), banned


def test_the_model_imports_no_stage(imported: dict[str, set[str]]) -> None:
    stages = ("load", "check", "visibility", "history", "render", "site", "commands", "pipeline")
    for stage in stages:
        assert not _uses(imported["generator.model"], f"generator.{stage}"), stage


def test_no_module_is_larger_than_the_guide() -> None:
    from pathlib import Path

    import generator

    root = Path(generator.__file__).parent
    long = {
        p.relative_to(root).as_posix(): n for p in root.rglob("*.py") if (n := len(p.read_text().splitlines())) > 400
    }
    assert not long, long


def test_no_private_mkdocs_name_is_imported() -> None:
    from pathlib import Path

    import generator

    for path in Path(generator.__file__).parent.rglob("*.py"):
        for line in path.read_text().splitlines():
            if line.lstrip().startswith(("from mkdocs", "import mkdocs")):
                names = line.split(" import ")[-1]
                assert not any(n.strip().startswith("_") for n in names.split(",")), (path, line)
