"""What the render stage hands to the site stage: sites as descriptions of pages and files (data only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.markdown.document import Document

# The folders and pages every portfolio site has beside the framework's sections (generator/render/names.py
# names the pages): a section folder of one of these names would collide with it.
RESERVED_FOLDERS = frozenset(
    {
        "my-goals",
        "my-courses",
        "my-experiences",
        "this-year",
        "my-resume",
        "evidence-files",
        "change-record",
        "my-years",
        "conference",
        "artifacts",
        "search",
        "assets",
        "curriculum",
    }
)


@dataclass(frozen=True)
class SitePage:
    """One page: Markdown the generator wrote, then (optionally) a student's document as one audience sees it.

    `html`, when given, is the page's ready content (the conference deck) instead.
    """

    path: str  # the page's source path in the site, such as "goals.md"
    markdown: str = ""
    body: Document | None = None
    html: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)  # such as title and template


@dataclass(frozen=True)
class SiteFile:
    path: str  # such as "artifacts/chart.svg"
    content: bytes


@dataclass(frozen=True)
class Site:
    """One site to build: where it goes, its pages, its navigation and how it presents itself."""

    dest: str  # relative to the output root, such as "family/ava"
    title: str
    audience: str
    pages: tuple[SitePage, ...]
    nav: list[Any]
    files: tuple[SiteFile, ...] = ()
    view_label: str = ""
    view_note: str = ""
    noindex: bool = True
    link_roots: tuple[str, ...] = ()  # besides the site itself, where its links may lead (from the output root)
    extra: dict[str, Any] = field(default_factory=dict)
    lang: str = "en"  # the interface language its pages are built in (a page may say otherwise: meta `lang`)
    text_lang: str = ""  # the language of what the district's files say (students' pages), when not `lang`
