"""Which language each site is built in (pure): the district's, or for a family the family's.

A family view is in the family's language: a member's `language:`, else the profile's
`languages: family:`, else the district's `language`, taking the first of those that has a catalog.
A family's start page is in the language of the members who read it. What a student wrote is in the
district's language (the language the ILPs are kept in), and is marked so wherever a page is in
another: `lang="en"` on the passage, so a reader's screen reader and translator know.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace as dc_replace
from typing import Any

from generator.i18n import _
from generator.markdown.text import escape
from generator.model import Profiled, Student
from generator.model.site import Site


def _choose(candidates: Iterable[Any], available: tuple[str, ...], default: str) -> str:
    for code in candidates:
        if isinstance(code, str) and code in available:
            return code
    return default


def family_language(student: Profiled, district: str, available: tuple[str, ...]) -> str:
    """The language of `student`'s family view."""
    profile = student.profile
    members = [m.get("language") for m in profile.get("family") or [] if isinstance(m, dict)]
    family = (profile.get("languages") or {}).get("family")
    return _choose([*members, family], available, district)


def readers_language(
    students: Iterable[Profiled], emails: Iterable[str], district: str, available: tuple[str, ...]
) -> str:
    """The language of a family's start page: that of the members (by email) who read it, else of the
    children's family views."""
    readers = {e.lower() for e in emails}
    members: list[Any] = []
    kids = list(students)
    for student in kids:
        for member in student.profile.get("family") or []:
            if isinstance(member, dict) and readers & {str(e).lower() for e in member.get("emails") or []}:
                members.append(member.get("language"))
    chosen = _choose(members, available, "")
    if chosen:
        return chosen
    return _choose((family_language(s, "", available) for s in kids), available, district)


def site_language(
    audience: str, family_audience: str, student: Student, district: str, available: tuple[str, ...]
) -> str:
    """The language of one of `student`'s sites."""
    return family_language(student, district, available) if audience == family_audience else district


def help_page_url(dest: str, public: str, page: str) -> str:
    """The address of the district page `page` (content/<page>) from the site at `dest`."""
    path = page.removesuffix(".md")
    path = "" if path == "index" else path.removesuffix("/index") + "/"
    return "/".join([".."] * len(dest.split("/")) + [public, path]).rstrip("/") + "/"


def with_help_link(site: Site, url: str) -> Site:
    """`site` with a link to the families' help page (`url`) under its home page's heading."""
    pages = []
    for page in site.pages:
        if page.path == "index.md" and page.markdown.startswith("# "):
            head, _sep, rest = page.markdown.partition("\n")
            link = f"[{escape(_('Help for families'))}]({url})"
            page = dc_replace(page, markdown=f"{head}\n\n{link}\n{rest}")
        pages.append(page)
    return dc_replace(site, pages=tuple(pages))
