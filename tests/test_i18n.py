"""Languages: the interface text from message catalogs, a family's view in the family's language, `lang`
right on every page and on passages in another, and a language added with one catalog file."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from generator.i18n import catalogs
from generator.pipeline import build
from tests.conftest import REPO, TODAY_DATE, District

ES = catalogs.catalog_path("es")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def _catalog(path: Path) -> dict[str, str]:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {str(m.id): str(m.string) for m in catalog if m.id and isinstance(m.id, str)}


def test_the_template_holds_every_string_the_code_and_theme_mark(tmp_path: Path) -> None:
    """messages.pot is what `pybabel extract` finds now: a string added without re-extracting fails here."""
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "N_", "--no-location",
         "--sort-output", "--omit-header", "-o", str(fresh), "."],
        cwd=REPO, check=True, capture_output=True,
    )  # fmt: skip
    assert set(_catalog(fresh)) == set(_catalog(catalogs.TEMPLATE)), (
        "generator/locales/messages.pot is out of date: run the extract command in babel.cfg"
    )


def test_the_spanish_catalog_is_complete_and_keeps_its_placeholders() -> None:
    template = _catalog(catalogs.TEMPLATE)
    spanish = _catalog(ES)
    assert len(template) > 150
    missing = sorted(m for m in template if not spanish.get(m))
    assert not missing, f"untranslated in es: {missing[:10]}"
    for message, translation in spanish.items():
        if message in template:
            assert set(PLACEHOLDER.findall(message)) == set(PLACEHOLDER.findall(translation)), message


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("i18n") / "site"
    result = build(REPO, out, TODAY_DATE)
    assert not result.errors, [d.format() for d in result.errors]
    return out


def _lang(html: str) -> str:
    found = re.search(r'<html lang="([^"]+)"', html)
    assert found, "no <html lang>"
    return found.group(1)


def test_a_family_whose_language_is_spanish_gets_its_view_in_spanish(sample: Path) -> None:
    home = (sample / "family" / "sofia-ramirez" / "index.html").read_text(encoding="utf-8")
    assert _lang(home) == "es"
    assert "Ayuda para las familias" in home
    assert 'href="../../public/familias/"' in home
    assert (sample / "public" / "familias" / "index.html").is_file()
    # the interface is Spanish; the student's own words stay as written, marked as English
    assert "Saltar al contenido" in home
    assert "Skip to content" not in home
    assert '<span lang="en">Me llamo Sofía. I am 14 years old' in home
    goals = (sample / "family" / "sofia-ramirez" / "my-goals" / "index.html").read_text(encoding="utf-8")
    assert _lang(goals) == "es"
    assert re.search(r"\d{1,2} de [a-z]+ de 20\d\d", goals), "dates in Spanish"
    # her own view, and another family's, stay in the district's language
    own = (sample / "student" / "sofia-ramirez" / "index.html").read_text(encoding="utf-8")
    assert _lang(own) == "en"
    assert "Skip to content" in own
    assert 'lang="en"' not in own.split("<body", 1)[1]
    assert _lang((sample / "family" / "leo-martinez" / "index.html").read_text(encoding="utf-8")) == "en"


def test_every_page_says_its_language(sample: Path) -> None:
    """The <html lang> of every page: Spanish for the Spanish family's pages and the Spanish district page,
    the district's language everywhere else."""
    spanish_family = {"family/sofia-ramirez"}
    for page in sample.rglob("*.html"):
        rel = page.relative_to(sample).as_posix()
        html = page.read_text(encoding="utf-8")
        expected = (
            "es" if any(rel.startswith(p + "/") for p in spanish_family) or rel.startswith("public/familias/") else "en"
        )
        if rel.startswith("family/_") and "Ayuda para las familias" in html:
            expected = "es"
        assert _lang(html) == expected, rel


def test_a_spanish_page_of_the_district_keeps_the_interface_marked_as_english(sample: Path) -> None:
    page = (sample / "public" / "familias" / "index.html").read_text(encoding="utf-8")
    assert _lang(page) == "es"
    assert "¿Qué es el ILP?" in page


def _family(district: District, language_lines: str) -> None:
    district.write(
        "students/ava/profile.yml",
        f"""\
        name: Ava Reyes
        graduation_year: 2032
        school: Harbor View Middle School
        educators: [mrivera, jchen]
        {language_lines}
        """,
    )


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ("languages: {family: es}", "es"),
        ("family: [{name: Ana Reyes, relationship: mother, language: es}]", "es"),
        ("languages: {family: es}\nfamily: [{name: Ana Reyes, relationship: mother, language: zz}]", "es"),
        ("languages: {family: zz}", "en"),
        ("", "en"),
    ],
)
def test_the_family_language_comes_from_a_member_then_the_profile_then_the_district(
    district: District, tmp_path: Path, lines: str, expected: str
) -> None:
    _family(district, lines.replace("\n", "\n        "))
    out = tmp_path / "site"
    result = build(district.root, out, TODAY_DATE)
    assert not result.errors, [d.format() for d in result.errors]
    assert _lang((out / "family" / "ava" / "index.html").read_text(encoding="utf-8")) == expected
    assert _lang((out / "student" / "ava" / "index.html").read_text(encoding="utf-8")) == "en"


def test_a_language_without_a_catalog_is_a_warning_that_says_how_to_add_one(district: District) -> None:
    _family(district, "languages: {family: vi}")
    problems = district.problems()
    assert any(
        "profile.yml:5: warning: no message catalog for language 'vi'" in p and "locales/vi/LC_MESSAGES" in p
        for p in problems
    ), problems


def test_a_district_adds_a_language_with_one_catalog_file(district: District, tmp_path: Path) -> None:
    district.write(
        "locales/fr/LC_MESSAGES/messages.po",
        """\
        msgid ""
        msgstr ""
        "Language: fr\\n"
        "Content-Type: text/plain; charset=utf-8\\n"

        msgid "Skip to content"
        msgstr "Aller au contenu"
        """,
    )
    _family(district, "languages: {family: fr}")
    assert not [p for p in district.problems() if "catalog" in p]
    out = tmp_path / "site"
    assert not build(district.root, out, TODAY_DATE).errors
    home = (out / "family" / "ava" / "index.html").read_text(encoding="utf-8")
    assert _lang(home) == "fr"
    assert "Aller au contenu" in home


def test_a_district_in_spanish(district: District, tmp_path: Path) -> None:
    config = (district.root / "mkdocs.yml").read_text(encoding="utf-8")
    district.write("mkdocs.yml", config.replace("language: en", "language: es"), dedent=False)
    out = tmp_path / "site"
    result = build(district.root, out, TODAY_DATE)
    assert not result.errors, [d.format() for d in result.errors]
    for page in ("student/ava/index.html", "educator/ava/my-goals/index.html", "public/curriculum/index.html"):
        html = (out / page).read_text(encoding="utf-8")
        assert _lang(html) == "es", page
        assert "Saltar al contenido" in html, page
        assert '<span lang="en">' not in html, "the district's own text is in the page's language"


def test_an_unknown_district_language_is_an_error_with_its_line(district: District) -> None:
    config = (district.root / "mkdocs.yml").read_text(encoding="utf-8")
    district.write("mkdocs.yml", config.replace("language: en", "language: xx"), dedent=False)
    line = next(i for i, text in enumerate(config.splitlines(), 1) if "language: en" in text)
    result = district.check()
    assert result.exit_code == 1
    assert f"mkdocs.yml:{line}: language: no message catalog for 'xx'" in result.stdout


def test_a_content_page_in_another_language_says_so(district: District, tmp_path: Path) -> None:
    district.write("content/index.md", "# Welcome\n\nThe district's pages.\n")
    district.write("content/bienvenida.md", "---\ntitle: Bienvenida\nlang: es\n---\n\n# Bienvenida\n\nHola.\n")
    out = tmp_path / "site"
    assert not build(district.root, out, TODAY_DATE).errors
    assert _lang((out / "public" / "bienvenida" / "index.html").read_text(encoding="utf-8")) == "es"
    assert _lang((out / "public" / "index.html").read_text(encoding="utf-8")) == "en"


def test_the_extractor_finds_the_calls_inside_f_strings() -> None:
    import io

    from babel.messages.extract import DEFAULT_KEYWORDS

    from generator.i18n.extract import extract

    source = b'x = f"## {_(\'Who I am\')}"\ny = N_("Home")\nz = ngettext("a student", "{n} students", n)\nw = _(name)\n'
    found = [
        (line, message)
        for line, _name, message, _c in extract(io.BytesIO(source), {**DEFAULT_KEYWORDS, "N_": None}, [], {})
    ]
    assert found == [(1, "Who I am"), (2, "Home"), (3, ("a student", "{n} students"))]
