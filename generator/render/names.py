"""Names of the pages every portfolio may have (pure).

Generated pages have an underscore in their names, which no section folder or student page id has.
"""

from __future__ import annotations

from generator.markdown.text import clean_text
from generator.model import Student

MY_GOALS = "my_goals.md"
MY_COURSES = "my_courses.md"
MY_EXPERIENCES = "my_experiences.md"
THIS_YEAR = "this_year.md"
MY_RESUME = "my_resume.md"
EVIDENCE_FILES = "evidence_files.md"


def display_name(student: Student) -> str:
    """The name the student goes by, as clean text (no markup, no comment)."""
    profile = student.profile
    return clean_text(profile.get("preferred_name") or profile.get("name") or "My ILP") or "My ILP"
