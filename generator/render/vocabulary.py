"""The data files' fixed vocabulary (the values their schemas allow) as words of the page's language (pure).

`in-progress`, `on-track` or `work-based-learning` are codes a student picks from a list, not text
they wrote, so they are translated; a value outside the list is shown as written.
"""

from __future__ import annotations

from generator.i18n import N_, _
from generator.markdown.text import inline

WORDS = {
    # statuses (goals, courses, credentials) and review progress
    "not-started": N_("not started"),
    "in-progress": N_("in progress"),
    "achieved": N_("achieved"),
    "dropped": N_("dropped"),
    "planned": N_("planned"),
    "completed": N_("completed"),
    "earned": N_("earned"),
    "on-track": N_("on track"),
    "behind": N_("behind"),
    "revised": N_("revised"),
    # course levels
    "standard": N_("standard"),
    "honors": N_("honors"),
    "ap": N_("AP"),
    "ib": N_("IB"),
    "dual-credit": N_("dual credit"),
    "dual-enrollment": N_("dual enrollment"),
    "cte": N_("CTE"),
    "pre-apprenticeship": N_("pre-apprenticeship"),
    "online": N_("online"),
    "support": N_("support"),
    # educators' roles
    "counselor": N_("counselor"),
    "advisor": N_("advisor"),
    "teacher": N_("teacher"),
    "case-manager": N_("case manager"),
    "cte-coordinator": N_("CTE coordinator"),
    "administrator": N_("administrator"),
    # experiences
    "extracurricular": N_("extracurricular"),
    "athletics": N_("athletics"),
    "arts": N_("arts"),
    "club": N_("club"),
    "service": N_("service"),
    "volunteer": N_("volunteer"),
    "leadership": N_("leadership"),
    "work": N_("work"),
    "job-shadow": N_("job shadow"),
    "internship": N_("internship"),
    "apprenticeship": N_("apprenticeship"),
    "work-based-learning": N_("work-based learning"),
    "summer-program": N_("summer program"),
    "other": N_("other"),
}


def word(value: object) -> str:
    """A vocabulary value as a word of the page's language, safe inside generated Markdown."""
    known = WORDS.get(str(value))
    return _(known) if known else inline(str(value).replace("-", " "))


def plain_word(value: object) -> str:
    """The same as plain text (for labels the caller escapes)."""
    known = WORDS.get(str(value))
    return _(known) if known else str(value).replace("-", " ")
