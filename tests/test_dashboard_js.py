"""The dashboard's sort and filter script in Debian's chromium, driven by Playwright, on a small page
written here with the dashboard's markup. Skipped without chromium or playwright unless
ILP_REQUIRE_BROWSER=1, which makes a missing tool a failure (as in tests/test_browser.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser_support import (  # the fixture browser, and the check for the tools
    browser_fixture,  # noqa: F401
    require,
)
from tests.conftest import REPO

SCRIPT = REPO / "theme" / "assets" / "dashboard.js"

require(checkers=False)

from playwright.sync_api import Browser, Page  # noqa: E402

# (id, name, grade, school, attention, overdue reviews, last change)
STUDENTS = [
    ("ava", "Ava Reyes", 7, "Harbor View Middle School", 1, "2", "2026-10-01"),
    ("ben", "Ben Okafor", 9, "Harbor View High School", 0, "0", "2026-11-20"),
    ("cho", "Cho Park", 9, "Harbor View High School", 1, "5", ""),
    ("dev", "Dev Shah", 12, "Harbor View High School", 0, "1", "2026-09-15"),
    ("eli", "Eli Novak", 9, "Harbor View High School", 0, "", "2026-11-01"),
]
CSP = "default-src 'none'; script-src 'self'; style-src 'self'"


def _page(folder: Path) -> Path:
    rows = "\n".join(
        f'<tr data-grade="{grade}" data-school="{school}" data-attention="{attention}" id="row-{sid}">'
        f'<th scope="row" data-value="{name}">{name}</th><td data-value="{grade}">{grade}</td>'
        f'<td data-value="{overdue}">{overdue or "-"}</td><td data-value="{last}">{last or "never"}</td></tr>'
        for sid, name, grade, school, attention, overdue, last in STUDENTS
    )
    html = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<title>Dashboard</title></head><body>
<form class="dashboard-filters" hidden>
<label>Grade <select name="grade"></select></label>
<label>School <select name="school"></select></label>
<label><input type="checkbox" name="attention"> Needs attention</label>
</form>
<p class="dashboard-count" aria-live="polite"></p>
<table class="dashboard"><thead><tr>
<th data-key="name" data-type="text">Student</th><th data-key="grade" data-type="number">Grade</th>
<th data-key="overdue" data-type="number">Reviews overdue</th><th data-key="last" data-type="date">Last change</th>
</tr></thead><tbody>
{rows}
</tbody></table>
<script src="dashboard.js"></script>
</body></html>
"""
    (folder / "dashboard.js").write_bytes(SCRIPT.read_bytes())
    page = folder / "index.html"
    page.write_text(html, encoding="utf-8")
    return page


@pytest.fixture
def page(browser: Browser, tmp_path: Path) -> Iterator[Page]:
    errors: list[str] = []
    tab = browser.new_page()
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    tab.goto(_page(tmp_path).as_uri())
    yield tab
    tab.close()
    assert not errors, errors  # no script error, no CSP violation


def _order(page: Page) -> list[str]:
    return [row.get_attribute("id") or "" for row in page.locator("tbody tr").all()]


def _shown(page: Page) -> list[str]:
    return [row.get_attribute("id") or "" for row in page.locator("tbody tr:not([hidden])").all()]


def test_headers_become_buttons_and_the_form_is_shown(page: Page) -> None:
    assert page.locator("form.dashboard-filters").is_visible()
    assert page.locator("thead th[data-key] > button").count() == 4
    assert page.locator("select[name=grade] option").all_inner_texts() == ["All grades", "7", "9", "12"]
    assert page.locator("select[name=school] option").all_inner_texts() == [
        "All schools",
        "Harbor View High School",
        "Harbor View Middle School",
    ]
    assert page.locator(".dashboard-count").inner_text() == "5 of 5 students"
    assert _order(page) == ["row-ava", "row-ben", "row-cho", "row-dev", "row-eli"]


def test_sort_by_a_number_both_ways_with_empty_values_last(page: Page) -> None:
    header = page.locator("th[data-key=overdue]")
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert _order(page) == ["row-ben", "row-dev", "row-ava", "row-cho", "row-eli"]
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert _order(page) == ["row-cho", "row-ava", "row-dev", "row-ben", "row-eli"]
    page.locator("th[data-key=grade] button").click()
    assert header.get_attribute("aria-sort") is None
    assert page.locator("th[data-key=grade]").get_attribute("aria-sort") == "ascending"
    assert _order(page) == ["row-ava", "row-ben", "row-cho", "row-eli", "row-dev"]  # 12 after 9: numbers


def test_sort_by_date_and_text(page: Page) -> None:
    page.locator("th[data-key=last] button").click()
    assert _order(page) == ["row-dev", "row-ava", "row-eli", "row-ben", "row-cho"]
    page.locator("th[data-key=name] button").click()
    page.locator("th[data-key=name] button").click()
    assert _order(page) == ["row-eli", "row-dev", "row-cho", "row-ben", "row-ava"]


def test_keyboard_sorts(page: Page) -> None:
    button = page.locator("th[data-key=grade] button")
    button.focus()
    page.keyboard.press("Enter")
    assert page.locator("th[data-key=grade]").get_attribute("aria-sort") == "ascending"
    page.keyboard.press("Space")
    assert page.locator("th[data-key=grade]").get_attribute("aria-sort") == "descending"
    assert _order(page)[0] == "row-dev"
    page.keyboard.press("Tab")  # the next header is reachable by keyboard too
    page.keyboard.press("Enter")
    assert page.locator("th[data-key=overdue]").get_attribute("aria-sort") == "ascending"


def test_filter_by_grade_and_attention(page: Page) -> None:
    page.locator("select[name=grade]").select_option("9")
    assert _shown(page) == ["row-ben", "row-cho", "row-eli"]
    assert page.locator(".dashboard-count").inner_text() == "3 of 5 students"
    page.locator("input[name=attention]").check()
    assert _shown(page) == ["row-cho"]
    assert page.locator(".dashboard-count").inner_text() == "1 of 5 students"
    page.locator("select[name=grade]").select_option("")
    assert _shown(page) == ["row-ava", "row-cho"]
    page.locator("select[name=school]").select_option("Harbor View Middle School")
    assert _shown(page) == ["row-ava"]
    assert not page.locator("#row-cho").is_visible()
    page.locator("th[data-key=overdue] button").click()  # sorting keeps the filter
    assert _shown(page) == ["row-ava"]
