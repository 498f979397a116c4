"""The dashboard's charts (generator/render/charts.py), tested in memory: the SVG is parsed with
xml.etree and its bars measured against the figures; then once in Chromium at 390 px, if it is there."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from defusedxml.ElementTree import fromstring

from generator.history.record import Entry, Record, ReviewState
from generator.model import Calendar, Commit
from generator.render.charts import (
    ChartData,
    activity_by_month,
    charts_html,
    review_counts,
    school_year_start,
    student_change_days,
)
from generator.sanitize import ATTRIBUTES, SVG_ATTRIBUTES, SVG_ELEMENTS, TAGS, clean_svg
from tests.conftest import REPO

SVG = "{http://www.w3.org/2000/svg}"
START = datetime.date(2026, 8, 27)
TODAY = datetime.date(2027, 1, 15)


def sample() -> ChartData:
    days = [datetime.date(2026, 9, 3)] * 4 + [datetime.date(2026, 10, 1)] * 10 + [datetime.date(2027, 1, 5)]
    return ChartData(
        completion=[(10, 3, 8), (9, 12, 20), (12, 140, 140)],
        reviews=(5, 2, 1),
        activity=activity_by_month(days, START, TODAY),
    )


def parse(html: str) -> ElementTree.Element:
    element: ElementTree.Element = fromstring(html)
    return element


def figure(root: ElementTree.Element, name: str) -> ElementTree.Element:
    found = root.find(f".//figure[@id='chart-{name}']")
    assert found is not None, name
    return found


def svg_of(fig: ElementTree.Element) -> ElementTree.Element:
    found = fig.find(f"{SVG}svg")
    assert found is not None
    return found


def rects(svg: ElementTree.Element, cls: str) -> list[ElementTree.Element]:
    return [r for r in svg.iter(f"{SVG}rect") if r.get("class") == cls]


def size(rect: ElementTree.Element, attr: str) -> float:
    return float(rect.get(attr, "nan"))


def table_rows(fig: ElementTree.Element) -> list[list[str]]:
    table = fig.find("table")
    assert table is not None
    return [["".join(cell.itertext()) for cell in row] for row in table.iter("tr")]


# --- The data ---------------------------------------------------------------------------------


def test_activity_by_month_lists_every_month_from_the_start_to_today() -> None:
    days = [
        datetime.date(2026, 8, 26),  # the day before the school year: not counted
        datetime.date(2026, 8, 27),
        datetime.date(2026, 10, 31),
        datetime.datetime(2026, 10, 2, 23, 30, tzinfo=datetime.UTC),  # a commit's date counts by its own day
        datetime.date(2027, 1, 15),
        datetime.date(2027, 1, 16),  # after today
    ]
    assert activity_by_month(days, START, TODAY) == [
        ("2026-08", 1),
        ("2026-09", 0),
        ("2026-10", 2),
        ("2026-11", 0),
        ("2026-12", 0),
        ("2027-01", 1),
    ]
    assert activity_by_month(days, START, datetime.date(2026, 8, 1)) == []


def test_school_year_start_student_changes_and_review_counts() -> None:
    calendar = Calendar(start=(8, 27), mid_year=(1, 20), end=(6, 12), terms=())
    assert school_year_start(TODAY, calendar) == START
    assert school_year_start(datetime.date(2027, 7, 1), calendar) == datetime.date(2027, 8, 27)

    def entry(day: int, role: str) -> Entry:
        when = datetime.datetime(2026, 9, day, 12, tzinfo=datetime.UTC)
        return Entry(Commit(f"{day:040d}", (), "A", "a@example.org", when, "m", ()), role, "A", ())

    records = [
        Record(True, entries=(entry(3, "student"), entry(2, "educator"), entry(1, "student"))),
        Record(False, reason="no history", entries=(entry(4, "student"),)),
    ]
    assert student_change_days(records) == [datetime.date(2026, 9, 3), datetime.date(2026, 9, 1)]
    states = [
        ReviewState("a", None, overdue=False, due=False),
        ReviewState("b", None, overdue=False, due=True),
        ReviewState("c", None, overdue=True, due=True),
        ReviewState("d", None, overdue=False, due=False),
    ]
    assert review_counts(states) == (2, 1, 1)


# --- The charts -------------------------------------------------------------------------------


def test_completion_bars_are_proportional_and_labelled() -> None:
    fig = figure(parse(charts_html(sample())), "completion")
    svg = svg_of(fig)
    tracks, bars = rects(svg, "track"), rects(svg, "bar")
    expected = [(9, 12, 20), (10, 3, 8), (12, 140, 140)]  # sorted by grade
    assert len(tracks) == len(bars) == 3
    for track, bar, (_, done, total) in zip(tracks, bars, expected, strict=True):
        assert size(bar, "width") / size(track, "width") == pytest.approx(done / total, abs=0.001)
    labels = ["".join(t.itertext()) for t in svg.iter(f"{SVG}text")]
    assert labels == ["Grade 9", "12 of 20 (60%)", "Grade 10", "3 of 8 (37%)", "Grade 12", "140 of 140 (100%)"]
    desc = svg.findtext(f"{SVG}desc")
    assert desc == "Grade 9: 12 of 20 done (60%). Grade 10: 3 of 8 done (37%). Grade 12: 140 of 140 done (100%)."
    assert table_rows(fig) == [
        ["Grade", "Done", "Total", "Percent"],
        ["Grade 9", "12", "20", "60%"],
        ["Grade 10", "3", "8", "37%"],
        ["Grade 12", "140", "140", "100%"],
    ]


def test_reviews_bars_are_proportional_patterned_and_labelled() -> None:
    fig = figure(parse(charts_html(sample())), "reviews")
    svg = svg_of(fig)
    tracks, bars = rects(svg, "track"), rects(svg, "bar")
    for track, bar, count in zip(tracks, bars, (5, 2, 1), strict=True):
        assert size(bar, "width") / size(track, "width") == pytest.approx(count / 8, abs=0.001)
    fills = [bar.get("fill") for bar in bars]
    assert len(set(fills)) == 3  # and two of them are patterns, so print tells them apart without colour
    patterns = {p.get("id") for p in svg.iter(f"{SVG}pattern")}
    assert {f"url(#{p})" for p in patterns} == set(fills[1:])
    assert svg.findtext(f"{SVG}desc") == (
        "Open goals: 8. Reviewed on time: 5 (62%). Due for review: 2 (25%). Overdue: 1 (12%)."
    )
    assert table_rows(fig) == [
        ["Review", "Goals", "Share"],
        ["Reviewed on time", "5", "62%"],
        ["Due for review", "2", "25%"],
        ["Overdue", "1", "12%"],
        ["All open goals", "8", "100%"],
    ]


def test_activity_bars_are_proportional_with_month_labels() -> None:
    fig = figure(parse(charts_html(sample())), "activity")
    svg = svg_of(fig)
    counts = [0, 4, 10, 0, 0, 1]  # August 2026 to January 2027
    bars = rects(svg, "bar")
    assert [size(b, "height") / size(bars[2], "height") for b in bars] == pytest.approx([c / 10 for c in counts])
    baselines = {size(b, "y") + size(b, "height") for b in bars}
    assert len(baselines) == 1  # every bar stands on the same line
    texts = ["".join(t.itertext()) for t in svg.iter(f"{SVG}text") if t.get("class") == "label"]
    assert texts == ["Aug", "Sep", "Oct", "Nov", "Dec", "Jan"]
    years = ["".join(t.itertext()) for t in svg.iter(f"{SVG}text") if t.get("class") == "year"]
    assert years == ["2026", "2027"]
    desc = svg.findtext(f"{SVG}desc") or ""
    assert desc.startswith("Changes made by students per month, August 2026 to January 2027, 15 in all.")
    for month, count in zip(("August 2026", "September 2026", "October 2026"), counts, strict=False):
        assert f"{month}: {count}" in desc
    assert table_rows(fig)[1:] == [
        ["August 2026", "0"],
        ["September 2026", "4"],
        ["October 2026", "10"],
        ["November 2026", "0"],
        ["December 2026", "0"],
        ["January 2027", "1"],
        ["All months", "15"],
    ]


def test_every_chart_is_an_image_with_a_title_a_description_and_a_table_after_it() -> None:
    root = parse(charts_html(sample()))
    assert root.tag == "section"
    assert root.get("class") == "dashboard-charts"
    figures = root.findall("figure")
    assert len(figures) == 3
    for fig in figures:
        children = [child.tag for child in fig]
        assert children == ["figcaption", f"{SVG}svg", "table"]
        svg = svg_of(fig)
        assert svg.get("role") == "img"
        assert svg.get("width") == "100%"
        assert (svg.get("viewBox") or "").startswith("0 0 ")
        assert svg.findtext(f"{SVG}title") == fig.findtext("figcaption")
        assert svg.findtext(f"{SVG}desc")
        assert all(t.get("fill") == "#000000" for t in svg.iter(f"{SVG}text"))  # black text


def test_charts_use_only_what_the_sanitizer_allows_and_load_nothing() -> None:
    html = charts_html(sample())
    for tag in ("<script", "<style", "<image", "<foreignObject", "href", "@import"):
        assert tag not in html
    assert html.count("http") == html.count('xmlns="http://www.w3.org/2000/svg"')
    root = parse(html)
    for element in root.iter():
        if element.tag.startswith(SVG):
            assert element.tag.removeprefix(SVG) in SVG_ELEMENTS
            assert set(element.attrib) <= SVG_ATTRIBUTES, element.tag
        else:
            assert element.tag in TAGS
            assert set(element.attrib) <= ATTRIBUTES["*"] | ATTRIBUTES.get(element.tag, set()), element.tag
    for svg in root.iter(f"{SVG}svg"):
        data = ElementTree.tostring(svg, encoding="utf-8")
        cleaned = fromstring(clean_svg(data))
        assert [(e.tag, e.attrib) for e in cleaned.iter()] == [(e.tag, e.attrib) for e in svg.iter()]


def test_text_is_escaped() -> None:
    html = charts_html(sample(), scope='<script>alert("x")</script> & Riverside')
    assert "<script" not in html
    root = parse(html)
    assert root.findtext("h2") == 'Charts: <script>alert("x")</script> & Riverside'


def test_an_empty_caseload_says_there_is_no_data() -> None:
    empty = ChartData(completion=[], reviews=(0, 0, 0), activity=activity_by_month([], START, TODAY))
    root = parse(charts_html(empty))
    assert root.find(f".//{SVG}svg") is None
    assert root.find(".//table") is None
    messages = [p.text or "" for p in root.iter("p") if p.get("class") == "chart-empty"]
    assert messages == [
        "No data: there are no students in this caseload.",
        "No data: there are no open goals to review.",
        "No data: students made no changes from August 2026 to January 2027.",
    ]
    before = ChartData(completion=[], reviews=(0, 0, 0), activity=[])
    assert "No data: the school year has not started yet." in charts_html(before)


def test_a_grade_with_nothing_required_has_an_empty_bar() -> None:
    data = ChartData(completion=[(11, 0, 0)], reviews=(0, 0, 1), activity=[("2026-09", 2)])
    root = parse(charts_html(data))
    completion = svg_of(figure(root, "completion"))
    assert [size(b, "width") for b in rects(completion, "bar")] == [0]
    assert completion.findtext(f"{SVG}desc") == "Grade 11: no required activities."
    assert table_rows(figure(root, "completion"))[1] == ["Grade 11", "0", "0", "n/a"]
    reviews = svg_of(figure(root, "reviews"))
    assert [size(b, "width") for b in rects(reviews, "bar")][:2] == [0, 0]


def test_ids_follow_the_prefix() -> None:
    root = parse(charts_html(sample(), prefix="caseload-2"))
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert ids
    assert all(i is not None and i.startswith("caseload-2-") for i in ids)
    assert len(ids) == len(set(ids))


SCRIPT = """
import datetime, sys
from generator.render.charts import ChartData, activity_by_month, charts_html
days = [datetime.date(2026, 9, d) for d in range(1, 29)] + [datetime.date(2026, 11, 2)]
data = ChartData([(12, 5, 9), (9, 1, 3)], (4, 3, 2), activity_by_month(days, datetime.date(2026, 8, 27), datetime.date(2027, 2, 1)))
sys.stdout.buffer.write(charts_html(data, scope="Ünïcode High").encode("utf-8"))
"""


def test_the_same_data_gives_the_same_bytes_in_every_process() -> None:
    outputs = []
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)}
        result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=REPO, env=env, capture_output=True, check=True)
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    assert b"<svg" in outputs[0]


# --- In a browser -----------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")


def test_charts_fit_390_px_and_have_accessible_names_in_chromium(tmp_path: Path) -> None:
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium")
    css = (REPO / "theme" / "assets" / "ilp.css").read_text(encoding="utf-8")
    page_html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Charts</title>'
        f"<style>{css}</style></head><body><main>{charts_html(sample())}</main></body></html>"
    )
    path = tmp_path / "charts.html"
    path.write_text(page_html, encoding="utf-8")
    outside: list[str] = []
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 390, "height": 800})

            def only_files(route: Any) -> None:
                if route.request.url.startswith("file:"):
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()

            page.route("**/*", only_files)
            page.goto(path.as_uri())
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            widths = page.eval_on_selector_all("svg", "svgs => svgs.map(s => s.getBoundingClientRect().width)")
            assert len(widths) == 3
            assert all(0 < w <= 390 for w in widths)
            for name in (
                "Required activities completed, by grade",
                "Goal reviews: on time, due, overdue",
                "Changes made by students, by month",
            ):
                assert page.get_by_role("img", name=name).count() == 1
        finally:
            browser.close()
    assert outside == []
