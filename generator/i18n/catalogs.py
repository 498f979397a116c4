"""The message catalogs: `generator/locales/<code>/LC_MESSAGES/messages.po`, one file per language.

A catalog is read as it is written (no compiled `.mo` step), once per process. Adding a language is
adding its `.po` file (`content/languages.md`); a code with no catalog is English.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from generator.i18n import DEFAULT, Language

LOCALES = Path(__file__).resolve().parent.parent / "locales"
TEMPLATE = LOCALES / "messages.pot"


def available() -> tuple[str, ...]:
    """Every language with a catalog, English (the source language) first."""
    found = sorted(p.parent.parent.name for p in LOCALES.glob("*/LC_MESSAGES/messages.po"))
    return (DEFAULT, *[c for c in found if c != DEFAULT])


def catalog_path(code: str) -> Path:
    return LOCALES / code.replace("-", "_") / "LC_MESSAGES" / "messages.po"


@functools.cache
def load(code: str) -> Language:
    """The language `code` with its catalog; English (no translations) when it has none."""
    path = catalog_path(code)
    if code == DEFAULT or not path.is_file():
        return Language(DEFAULT)
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=code.replace("-", "_"))
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Language(code, Translations(buffer))


def supported(code: str) -> bool:
    return code == DEFAULT or catalog_path(code).is_file()
