"""The message catalogs: `generator/locales/<code>/LC_MESSAGES/messages.po`, one file per language, and a
district's own in `locales/<code>/LC_MESSAGES/messages.po` of its repository (which win, message by message).

A catalog is read as it is written (no compiled `.mo` step), once per process. Adding a language is
adding its `.po` file (content/languages.md); a code with no catalog is English.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path
from typing import TYPE_CHECKING

from generator.i18n import DEFAULT, Language

if TYPE_CHECKING:
    from babel.support import Translations

LOCALES = Path(__file__).resolve().parent.parent / "locales"
TEMPLATE = LOCALES / "messages.pot"
DISTRICT_LOCALES = "locales"  # in a district's repository


def catalog_path(code: str, folder: Path = LOCALES) -> Path:
    return folder / code.replace("-", "_") / "LC_MESSAGES" / "messages.po"


def available(root: Path | None = None) -> tuple[str, ...]:
    """Every language with a catalog (built in, or in the district at `root`), English first."""
    folders = [LOCALES] + ([root / DISTRICT_LOCALES] if root is not None else [])
    found = {p.parent.parent.name.replace("_", "-") for f in folders for p in f.glob("*/LC_MESSAGES/messages.po")}
    return (DEFAULT, *sorted(found - {DEFAULT}))


def supported(code: str, root: Path | None = None) -> bool:
    return code in available(root)


def _translations(path: Path, code: str) -> Translations:
    # Babel is read when a catalog is: `ilp check` only asks which catalogs there are.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    with path.open("rb") as handle:
        catalog = read_po(handle, locale=code.replace("-", "_"))
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


@functools.cache
def load(code: str, root: Path | None = None) -> Language:
    """The language `code` with its catalogs (the district's at `root` first); English when it has none."""
    paths = ([catalog_path(code, root / DISTRICT_LOCALES)] if root else []) + [catalog_path(code)]
    found = [p for p in paths if p.is_file()]
    if not found:
        return Language(DEFAULT)
    translations = _translations(found[0], code)
    for path in found[1:]:
        translations.add_fallback(_translations(path, code))
    return Language(code, translations)
