"""`ilp check` reports every problem of every file in one run: ten different mistakes, one run, ten lines."""

from __future__ import annotations

from tests.conftest import District


def test_ten_mistakes_in_one_student_come_out_of_one_run(district: District) -> None:
    district.write(
        "students/ava/profile.yml",
        """\
        name: Ava Reyes
        graduation_year: 2032
        schol: Harbor View Middle School
        educators: [mrivera, nobody-here]
        """,
    )
    district.write(
        "students/ava/goals.yml",
        """\
        goals:
          - id: math-b
            domain: acedemic
            term: short
            statment: Get a B in math this semester.
            status: in-progress
            set: 2026-13-45
        """,
    )
    district.write("students/ava/experiences.yml", "experiences:\n  - id: art\n    title: [unclosed\n", dedent=False)
    district.write(
        "students/ava/career-exploration/nurse.md",
        """\
        ---
        title: Research on nursing
        activity: g7-carer-research
        date: 2026-10-12
        ---
        See [my notes](notes.md).

        ## Worries {: visibility="famly" }

        ![pay](https://tracker.example/pay.png)
        """,
    )
    district.write(
        "students/ava/self-awareness/me.md",
        """\
        ---
        title: Me
        date: yesterday
        ---
        Text. [x](../../other/goals.yml)
        """,
    )
    lines = [line for line in district.problems() if ": warning: " not in line and not line.startswith("ilp check")]
    wanted = [
        "students/ava/profile.yml:3:",  # schol: unknown key
        "students/ava/profile.yml:4:",  # nobody-here: unknown educator
        "students/ava/goals.yml:3:",  # acedemic: unknown domain
        "students/ava/goals.yml:5:",  # statment: unknown key
        "students/ava/goals.yml:7:",  # 2026-13-45: not a date
        "students/ava/experiences.yml:",  # YAML syntax error: stops only this file
        "students/ava/career-exploration/nurse.md:3:",  # unknown activity
        "students/ava/career-exploration/nurse.md:6:",  # link to a file that does not exist
        "students/ava/career-exploration/nurse.md:8:",  # famly: unknown audience
        "students/ava/career-exploration/nurse.md:10:",  # image from another host
        "students/ava/self-awareness/me.md:3:",  # date: yesterday
        "students/ava/self-awareness/me.md:5:",  # link out of the folder
    ]
    missing = [prefix for prefix in wanted if not any(line.startswith(prefix) for line in lines)]
    assert not missing, "\n".join(["missing:", *missing, "got:", *lines])
