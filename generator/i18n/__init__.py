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
import functools
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


_ENGLISH = Language()
_CURRENT: contextvars.ContextVar[Language | None] = contextvars.ContextVar("ilp_language", default=None)
# The language of the text the generator did not write (what students wrote, the framework, the
# curriculum): the district's. Where the page is in another, that text is marked with its own `lang`.
_SOURCE: contextvars.ContextVar[str] = contextvars.ContextVar("ilp_source_language", default="")


def _current() -> Language:
    return _CURRENT.get() or _ENGLISH


def current() -> Language:
    return _current()


def code() -> str:
    """The current interface language's code, such as `en` or `es`."""
    return _current().code


def foreign_text() -> str:
    """The `lang` to mark text that is not the generator's with, or "" where it is in the page's language."""
    source = _SOURCE.get()
    return source if source and source != _current().code else ""


@contextmanager
def language(lang: Language, source: str = "") -> Iterator[Language]:
    """Render in `lang` inside the block; text from the district's files is in `source` (default: the same)."""
    token = _CURRENT.set(lang)
    source_token = _SOURCE.set(source)
    try:
        yield lang
    finally:
        _SOURCE.reset(source_token)
        _CURRENT.reset(token)


def _(message: str) -> str:
    """`message` in the current language (English when the catalog lacks it)."""
    return _current().gettext(message)


def N_(message: str) -> str:
    """Marks a string for the catalog without translating it (translate it with `_()` where it is used)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current().ngettext(singular, plural, n)


def format_date(value: Any, form: str = "long") -> str:
    """A date as the current language writes it (`November 25, 2026`, `25 de noviembre de 2026`); a value
    that is not an ISO date is returned as it is (callers escape it)."""
    try:
        day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return _formatted(day, form, _current().babel_locale)


@functools.lru_cache(maxsize=8192)
def _formatted(day: datetime.date, form: str, locale: str) -> str:
    """Babel's writing of one date (a district's pages name the same days again and again)."""
    from babel.dates import format_date as babel_format_date

    return str(babel_format_date(day, format=form, locale=locale))
