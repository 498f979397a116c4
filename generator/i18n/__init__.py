"""The interface language of what is being rendered (pure: no catalog is read here).

Every word the generator itself writes on a page (headings, labels, the view banner, dates, the deck's
controls) goes through `_()` (or `ngettext()`), with the language the site is built in: the pipeline
sets it per site with `language(...)`, handing it a catalog that `generator.i18n.catalogs` read.
Strings written at import time are marked with `N_()` and translated where they are used. What a
student wrote is never translated.

    with language(catalogs.translations("es")):
        site = student_site(...)        # every _() inside is Spanish
"""

from __future__ import annotations

import contextvars
import datetime
import gettext as _gettext
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

DEFAULT = "en"


class Language:
    """One interface language: its code (BCP 47, as `lang=` takes it) and its translations."""

    def __init__(self, code: str = DEFAULT, translations: _gettext.NullTranslations | None = None) -> None:
        self.code = code
        self.translations = translations or _gettext.NullTranslations()

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    @property
    def babel_locale(self) -> str:
        return self.code.replace("-", "_")


_CURRENT: contextvars.ContextVar[Language] = contextvars.ContextVar("ilp_language", default=Language())


def current() -> Language:
    return _CURRENT.get()


def code() -> str:
    """The current interface language's code, such as `en` or `es`."""
    return _CURRENT.get().code


@contextmanager
def language(lang: Language) -> Iterator[Language]:
    """Render in `lang` inside the block."""
    token = _CURRENT.set(lang)
    try:
        yield lang
    finally:
        _CURRENT.reset(token)


def _(message: str) -> str:
    """`message` in the current language (English when the catalog lacks it)."""
    return _CURRENT.get().gettext(message)


def N_(message: str) -> str:  # noqa: N802 - gettext's own name for a marker
    """Marks a string for the catalog without translating it (translate it with `_()` where it is used)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _CURRENT.get().ngettext(singular, plural, n)


def format_date(value: Any, form: str = "long") -> str:
    """A date as the current language writes it (`November 25, 2026`, `25 de noviembre de 2026`); a value
    that is not an ISO date is returned as it is (callers escape it)."""
    from babel.dates import format_date as babel_format_date

    try:
        day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return str(babel_format_date(day, format=form, locale=_CURRENT.get().babel_locale))
