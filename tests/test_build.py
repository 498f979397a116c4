"""`ilp build`: the layout, what each audience sees, sanitizing, robustness."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from generator import builds, pipeline
from tests.conftest import District

AUDIENCES = ("student", "educator", "family", "advisory", "public")


def build(district: District, out: Path | None = None) -> tuple[Path, object]:
    out = out or district.root.parent / "site"
    result = district.run("build", "--root", str(district.root), "--out", str(out), "--today", "2026-11-25")
    return out, result


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_layout(district: District) -> None:
    out, result = build(district)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "ilp build: 1 students, " in result.output  # type: ignore[attr-defined]
    assert sorted(p.name for p in out.iterdir()) == [
        "404.html",
        "advisory",
        "assets",
        "educator",
        "family",
        "index.html",
        "public",
        "student",
    ]
    assert sorted(p.name for p in (out / "assets").iterdir()) == [
        "dashboard.js",
        "deck.css",
        "deck.js",
        "ilp.css",
        "lunr.js",
        "search.js",
    ]
    for audience in ("student", "educator", "family", "advisory"):
        assert (out / audience / "ava" / "index.html").is_file()
        assert (out / audience / "ava" / "search" / "search_index.json").is_file()
    # The theme's files are shared, never copied into a site.
    assert not [p for p in out.rglob("*.css") if p.parent.name != "assets"]
    assert not [p for p in out.rglob("lunr.js") if p.parent.name != "assets"]
    assert (out / "public" / "curriculum" / "index.html").is_file()
    assert (out / "educator" / "curriculum" / "asca" / "index.html").is_file()
    # No page lists every student: each educator has a start page of their caseload (educator/_<id>/).
    assert not (out / "educator" / "index.html").exists()
    assert 'href="../ava/"' in text(out / "educator" / "_mrivera" / "index.html")
    css = text(out / "family" / "ava" / "my-goals" / "index.html")
    assert 'href="../../../assets/ilp.css"' in css


def test_each_audience_sees_its_share(district: District) -> None:
    out, _ = build(district)
    for audience in ("student", "educator"):
        page = text(out / audience / "ava" / "career-exploration" / "nurse" / "index.html")
        assert "Blood." in page
        goals = text(out / audience / "ava" / "my-goals" / "index.html")
        assert "My little brother needs me after school." in goals
        assert "Extra time on tests." in text(out / audience / "ava" / "index.html")
    family = out / "family" / "ava"
    page = text(family / "career-exploration" / "nurse" / "index.html")
    assert "Nurses need a degree." in page
    assert "Blood." not in page
    assert "What worries me" not in page
    goals = text(family / "my-goals" / "index.html")
    assert "Get a B in math this semester." in goals
    assert "I forget homework." in goals
    assert "My little brother needs me after school." not in goals
    assert "Extra time on tests." not in text(family / "index.html")
    assert "Ava Reyes" in text(family / "index.html")
    # Nothing of Ava is shared with the public: no public portfolio at all.
    assert not (out / "public" / "ava").exists()


def test_view_label_and_noindex(district: District) -> None:
    out, _ = build(district)
    labels = {
        "student": "Student view",
        "educator": "Educator view",
        "family": "Family view",
        "advisory": "Advisory view",
    }
    for audience, label in labels.items():
        for page in (out / audience / "ava").rglob("*.html"):
            html = text(page)
            assert f"<strong>{label}</strong>" in html, page
            assert '<meta name="robots" content="noindex, nofollow">' in html, page
    for page in (out / "public").glob("*.html"):
        assert "noindex" not in text(page)


def test_search_index_has_only_what_the_audience_sees(district: District) -> None:
    out, _ = build(district)
    family = json.loads(text(out / "family" / "ava" / "search" / "search_index.json"))
    student = json.loads(text(out / "student" / "ava" / "search" / "search_index.json"))
    assert "Nurses need a degree" in json.dumps(family)
    assert "Blood" not in json.dumps(family)
    assert "Blood" in json.dumps(student)


def test_raw_html_cannot_run_script(district: District) -> None:
    district.write(
        "students/ava/self-awareness/html.md",
        "---\ntitle: <script>alert('title')</script>HTML\nvisibility: family\n---\n"
        "<script>alert('x')</script>\n\n"
        '<img src="../artifacts/chart.svg" onerror="alert(1)" alt="chart">\n\n'
        '<div onclick="alert(2)" style="color:red">hi</div>\n\n'
        '<form><input name="q"></form>\n\n'
        "<!-- a comment -->\n",
        dedent=False,
    )
    district.write(
        "students/ava/artifacts/chart.svg",
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(3)"><script>alert(4)</script>'
        '<a href="https://example.com"><rect width="4" height="4"/></a>'
        '<image href="https://tracker.example.com/p.png"/><rect style="fill:url(https://x.example/a)" width="1" height="1"/></svg>',
        dedent=False,
    )
    out, result = build(district)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    for audience in ("student", "family"):
        for file in (out / audience / "ava").rglob("*"):
            if file.suffix in (".html", ".svg", ".json"):
                data = text(file)
                for escaped in (
                    "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;",
                    "&lt;script&gt;alert('title')&lt;/script&gt;",
                    "<script>alert('title')</script>",
                    "<title>alert(&#39;title&#39;)HTML",
                    # the one text function removes the title's tags; the words between them are only text
                    "alert(&#39;title&#39;)HTML",
                    "alert('title')HTML",
                ):
                    data = data.replace(escaped, "")  # the title: escaped in HTML, plain data in the search index
                assert "alert(" not in data, file
                assert not re.search(r"<script(?![^>]*\bsrc=)", data), file
                for handler in ("onerror", "onclick", "onload"):
                    assert handler not in data, file
                assert "<script>alert" not in data, file
                assert "tracker.example.com" not in data, file
                assert "a comment" not in data, file
    title = text(out / "family" / "ava" / "self-awareness" / "html" / "index.html")
    assert "<script>alert('title')" not in title
    assert "<title>alert(&#39;title&#39;)HTML" in title  # markup removed from the title, its words kept as text


def test_two_builds_are_byte_identical(district: District) -> None:
    first, _ = build(district, district.root.parent / "one")
    second, _ = build(district, district.root.parent / "two")
    assert tree(first) == tree(second)


def test_broken_student_is_skipped_others_built(district: District) -> None:
    district.write("students/ben/profile.yml", "name: Ben\ngraduation_year: 2031\neducators: [nobody]\n")
    out, result = build(district)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "students/ben/profile.yml:3: unknown educator 'nobody'; use an id from the roster" in result.output  # type: ignore[attr-defined]
    assert "Not built, fix their errors first: ben" in result.output  # type: ignore[attr-defined]
    assert (out / "family" / "ava" / "index.html").is_file()
    assert not any(out.glob("*/ben"))


def test_failed_build_leaves_previous_output(district: District, monkeypatch: pytest.MonkeyPatch) -> None:
    out, _ = build(district)
    before = tree(out)

    def explode(*args: object, **kwargs: object) -> int:
        raise OSError("disk full")

    monkeypatch.setattr(builds, "student_sites", explode)
    with pytest.raises(OSError, match="disk full"):
        pipeline.build(district.root, out)
    assert tree(out) == before
    assert not list(out.parent.glob(".site.building-*"))


def test_build_never_writes_into_sources(district: District) -> None:
    """Nothing but the build cache (`.ilp-cache/`, which ignores itself in git) is written in the repository."""
    before = {p: p.stat().st_mtime_ns for p in district.root.rglob("*")}
    build(district)
    cache = district.root / ".ilp-cache"
    after = {p: p.stat().st_mtime_ns for p in district.root.rglob("*") if p != cache and cache not in p.parents}
    assert before == after
    assert (cache / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"


@pytest.mark.parametrize("bad", ["students/out", "content", "curriculum/site", "."])
def test_refuses_output_in_sources(district: District, bad: str) -> None:
    result = district.run("build", "--root", str(district.root), "--out", str(district.root / bad))
    assert result.exit_code == 1
    assert "choose a folder such as site/" in result.output


def test_curriculum_editions(district: District) -> None:
    out, _ = build(district)
    public = text(out / "public" / "curriculum" / "grade-07" / "g7-test-lesson" / "index.html")
    educator = text(out / "educator" / "curriculum" / "grade-07" / "g7-test-lesson" / "index.html")
    assert "Students research two careers." in public
    assert "Give students 20 minutes." not in public
    assert "Facilitator notes" not in public
    assert "Give students 20 minutes." in educator
    asca = text(out / "public" / "curriculum" / "asca" / "index.html")
    assert "M 4" in asca
    assert "A test lesson" in asca


def test_portfolio_links_the_grade_lessons_and_activity_status(district: District) -> None:
    out, _ = build(district)
    progress = text(out / "family" / "ava" / "this-year" / "index.html")
    assert 'href="../../../public/curriculum/grade-07/g7-test-lesson/"' in progress
    assert re.search(r"Career research.*?Done", progress, re.S)
    educator = text(out / "educator" / "ava" / "this-year" / "index.html")
    assert 'href="../../../educator/curriculum/grade-07/g7-test-lesson/"' in educator


def test_artifact_published_only_with_a_visible_page(district: District) -> None:
    district.write(
        "students/ava/self-awareness/secret.md",
        "---\ntitle: Private page\nvisibility: private\n---\n![Private chart](../artifacts/private-chart.svg)\n",
        dedent=False,
    )
    district.write(
        "students/ava/artifacts/private-chart.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>\n', dedent=False
    )
    out, _ = build(district)
    assert (out / "student" / "ava" / "artifacts" / "private-chart.svg").is_file()
    assert (out / "family" / "ava" / "artifacts" / "chart.svg").is_file()
    assert not (out / "family" / "ava" / "artifacts" / "private-chart.svg").exists()


def test_link_to_a_hidden_page_becomes_text(district: District) -> None:
    district.write(
        "students/ava/self-awareness/open.md",
        "---\ntitle: Open page\n---\nSee [my worries](worries.md) and more.\n",
        dedent=False,
    )
    district.write(
        "students/ava/self-awareness/worries.md",
        "---\ntitle: Worries\nvisibility: private\n---\nSecret.\n",
        dedent=False,
    )
    out, _ = build(district)
    family = text(out / "family" / "ava" / "self-awareness" / "open" / "index.html")
    assert "See my worries and more." in family
    assert "worries" not in family.replace("See my worries and more.", "")
    student = text(out / "student" / "ava" / "self-awareness" / "open" / "index.html")
    assert 'href="../worries/"' in student


def test_public_share(district: District) -> None:
    district.write(
        "students/ava/postsecondary-career-planning/resume.md",
        "---\ntitle: My résumé\nvisibility: public\n---\nAva R., hard worker.\n",
        dedent=False,
    )
    out, _ = build(district)
    # The public portfolio's address names no one: an opaque folder, not the student's id.
    assert not (out / "public" / "ava").exists()
    (folder,) = [p for p in (out / "public").iterdir() if p.name.startswith("p-")]
    assert re.fullmatch(r"p-[0-9a-f]{16}", folder.name)
    page = text(folder / "postsecondary-career-planning" / "resume" / "index.html")
    assert "Ava R., hard worker." in page
    assert "Ava Reyes" not in "".join(text(p) for p in folder.rglob("*.html"))
    again, _ = build(district, district.root.parent / "again")
    assert (again / "public" / folder.name).is_dir()  # stable from build to build


def test_a_chosen_public_path_and_one_that_is_taken(district: District) -> None:
    district.write(
        "students/ava/postsecondary-career-planning/resume.md",
        "---\ntitle: My résumé\nvisibility: public\n---\nAva R., hard worker.\n",
        dedent=False,
    )
    profile = (district.root / "students/ava/profile.yml").read_text(encoding="utf-8")
    district.write("students/ava/profile.yml", profile + "public_path: ava-portfolio\n", dedent=False)
    out, _ = build(district)
    assert (out / "public" / "ava-portfolio" / "index.html").is_file()
    assert "ava-portfolio" not in text(out / "family" / "ava" / "index.html")
    district.write("students/ava/profile.yml", profile + "public_path: curriculum\n", dedent=False)
    lines = district.problems()
    line = len(profile.splitlines()) + 1
    assert (
        f"students/ava/profile.yml:{line}: public_path 'curriculum' is already used by a district page; choose another"
    ) in lines


def test_sanitizer_drops_what_loads_from_elsewhere() -> None:
    from generator.sanitize import clean_html, stays_inside

    html = (
        '<p style="background:url(https://t.example/a)">x</p><img src="https://t.example/b.png" alt="b">'
        '<img src="//t.example/c.png" alt="c"><img src="data:image/png;base64,AAAA" alt="d">'
        '<img src="../artifacts/e.png" alt="e"><a href="https://example.org/">ok</a>'
        '<a href="../../../other-student/">out</a><link rel="stylesheet" href="https://t.example/s.css">'
    )
    cleaned = clean_html(html, lambda url: url if stays_inside(url, "family/ava/page", ("family/ava",)) else None)
    assert "t.example" not in cleaned
    assert "data:" not in cleaned
    assert 'src="../artifacts/e.png"' in cleaned
    assert 'href="https://example.org/"' in cleaned
    assert "other-student" not in cleaned
