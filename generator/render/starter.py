"""The section pages still holding the starter text `ilp new` or `ilp promote` wrote, for the dashboard (pure).

Which pages are is decided in generator/starter.py, for `ilp check` too. The dashboard links the first of
them by its section's address, so it counts a section's own page (`<section>/index.md`) only.
"""

from __future__ import annotations

from generator.model import Framework, Student
from generator.starter import is_starter_page


def starter_pages(student: Student, framework: Framework) -> list[str]:
    """The names (in the student's folder, such as 'self-awareness/index.md') of the sections' pages whose
    body is still the starter text, sorted."""
    return sorted(
        page.name
        for page in student.pages
        if page.name.partition("/")[2] == "index.md" and is_starter_page(page, framework)
    )
