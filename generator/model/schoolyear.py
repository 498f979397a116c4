"""School years and grades from the framework's calendar (pure functions).

A school year is named by the calendar year it ends in: the year that starts
on 2026-08-27 and ends in June 2027 is school year 2027 ("2026-2027"). A
student graduating in 2027 is in grade 12 during school year 2027.
"""

from __future__ import annotations

import datetime

from generator.model import Calendar


def school_year(day: datetime.date, calendar: Calendar) -> int:
    """The school year (by the calendar year it ends in) that `day` belongs to.

    Days in the summer belong to the school year that starts next.
    """
    month, dom = calendar.end
    return day.year if (day.month, day.day) <= (month, dom) else day.year + 1


def school_year_label(year: int) -> str:
    return f"{year - 1}-{year}"


def grade_for(graduation_year: int, day: datetime.date, calendar: Calendar) -> int:
    return 12 - (graduation_year - school_year(day, calendar))


def graduation_year_for(grade: int, day: datetime.date, calendar: Calendar) -> int:
    return school_year(day, calendar) + (12 - grade)


def parse_month_day(text: str) -> tuple[int, int]:
    month, dom = text.split("-")
    return int(month), int(dom)
