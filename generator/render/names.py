"""Names of the pages every portfolio may have, and their menu labels (pure).

One scheme for every generated page: its address is its label's words in lowercase with hyphens
(`my-goals/` is "My goals", `change-record/` is "Change record"), the style of the district's own
pages and of section folders. The `_<key>` start-page folders (`educator/_mrivera/`) keep their
underscore: there it is a namespace (no student id starts with one), not a word separator.
"""

from __future__ import annotations

from generator.i18n import N_, _
from generator.markdown.text import clean_text
from generator.model import Student

MY_GOALS = "my-goals.md"
MY_COURSES = "my-courses.md"
MY_EXPERIENCES = "my-experiences.md"
THIS_YEAR = "this-year.md"
MY_RESUME = "my-resume.md"
EVIDENCE_FILES = "evidence-files.md"
CHANGE_RECORD = "change-record.md"
MY_YEARS = "my-years.md"

# Menu labels, which are also the pages' titles (translated where they are used).
LABELS = {
    MY_GOALS: N_("My goals"),
    MY_COURSES: N_("My courses"),
    MY_EXPERIENCES: N_("My experiences"),
    THIS_YEAR: N_("This year"),
    MY_RESUME: N_("My résumé"),
    EVIDENCE_FILES: N_("Evidence files"),
    CHANGE_RECORD: N_("Change record"),
    MY_YEARS: N_("My years"),
}
HOME = N_("Home")
OVERVIEW = N_("Overview")  # a section's first page, generated or the student's own `<section>/index.md`
GOALS_SECTION = "goals"  # the framework section the goals page belongs in, when the framework has it


def display_name(student: Student) -> str:
    """The name the student goes by, as clean text (no markup, no comment)."""
    profile = student.profile
    return clean_text(profile.get("preferred_name") or profile.get("name") or "") or _("My ILP")
