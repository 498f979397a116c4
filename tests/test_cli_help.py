"""The command line describes itself whole: help texts never cut, audiences listed, the README's table complete."""

from __future__ import annotations

import re
from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.commands.options import summary
from tests.conftest import REPO, District

BUILT_IN_AUDIENCES = ("student", "educator", "family", "advisory", "public")


def _commands(group: click.Group = main, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every command and group under `group`, with the words that name it (`("deploy", "nginx")`)."""
    for name, command in sorted(group.commands.items()):
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


COMMANDS = [((), main), *_commands()]
LEAVES = [(path, command) for path, command in COMMANDS if not isinstance(command, click.Group)]


def _help(path: tuple[str, ...], width: int | None = None) -> str:
    result = CliRunner().invoke(main, [*path, "--help"], terminal_width=width)
    assert result.exit_code == 0, result.output
    return result.output


def _ids(items: list[tuple[tuple[str, ...], click.Command]]) -> list[str]:
    return [" ".join(("ilp", *path)) for path, _ in items]


@pytest.mark.parametrize("width", [None, 60])
@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=_ids(COMMANDS))
def test_help_is_never_cut(path: tuple[str, ...], command: click.Command, width: int | None) -> None:
    text = _help(path, width)
    body = text.split("\n\n", 1)[1]  # after the usage line(s), where `[PATHS]...` means "more than one"
    assert not [line for line in body.splitlines() if line.rstrip().endswith("...")], text
    assert "..." not in body.replace("[ARGS]...", ""), text


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=_ids(COMMANDS))
def test_every_option_has_help_and_every_command_a_description(path: tuple[str, ...], command: click.Command) -> None:
    assert summary(command).endswith("."), f"ilp {' '.join(path)}: a whole sentence, please"
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert param.help, f"ilp {' '.join(path)} {param.opts[0]} has no help"
            assert "TEXT" not in param.make_metavar(click.Context(command)), f"{param.opts[0]}: name its metavar"


@pytest.mark.parametrize(
    ("path", "group"), [(p, c) for p, c in COMMANDS if isinstance(c, click.Group)], ids=lambda v: str(v)
)
def test_listing_shows_each_description_whole(path: tuple[str, ...], group: click.Group) -> None:
    flat = re.sub(r"(\w)- (\w)", r"\1-\2", " ".join(_help(path, 60).split()))  # click may wrap after a hyphen
    for name, command in group.commands.items():
        assert f"{name} {summary(command)}" in flat, name


@pytest.mark.parametrize("command", ["serve", "conference"])
def test_audience_options_list_the_audiences(command: str) -> None:
    flat = " ".join(_help((command,)).split())
    assert "--as AUDIENCE Show it as this audience sees it: one of the audiences in mkdocs.yml (built in: " in flat
    assert ", ".join(BUILT_IN_AUDIENCES) in flat


@pytest.mark.parametrize("command", [("serve", "ava"), ("conference", "ava", "--pdf", "deck.pdf")])
def test_unknown_audience_lists_every_one_of_the_district(district: District, command: tuple[str, ...]) -> None:
    config = district.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text, count = re.subn(
        r"^( +)audiences:.*$", r"\1audiences: [student, educator, family, advisory, public, mentor]", text, flags=re.M
    )
    assert count == 1
    config.write_text(text, encoding="utf-8")
    result = district.run(*command, "--as", "mentr", "--root", str(district.root))
    assert result.exit_code == 1
    assert (
        "Error: --as mentr: unknown audience (did you mean 'mentor'?) (expected one of the audiences in mkdocs.yml: "
        "student, educator, family, advisory, public, mentor)"
    ) in result.output
    assert not (district.root / "deck.pdf").exists()


def _readme_commands() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return readme.split("## Commands\n", 1)[1].split("\n## ", 1)[0]


def _rows() -> dict[str, str]:
    """The table's rows by the command they describe (`ilp deploy nginx`)."""
    rows = {}
    for line in _readme_commands().splitlines():
        match = re.match(r"\| `(ilp(?: [a-z]+)+)[ `]", line)
        if match:
            rows[match.group(1)] = line
    return rows


@pytest.mark.parametrize(("path", "command"), LEAVES, ids=_ids(LEAVES))
def test_readme_table_has_every_command_and_option(path: tuple[str, ...], command: click.Command) -> None:
    name = " ".join(("ilp", *path))
    row = _rows().get(name)
    assert row is not None, f"README's command table has no row for {name}"
    cell = row.split(" | ", 1)[0]
    for param in command.params:
        if isinstance(param, click.Option):
            option = max(param.opts, key=len)
            assert re.search(rf"{re.escape(option)}(?![\w-])", cell), f"{name}: {option} is not in its README row"


def test_readme_rows_are_real_commands() -> None:
    assert set(_rows()) == {" ".join(("ilp", *path)) for path, _ in LEAVES}


def test_readme_tells_the_options_of_ilp_itself() -> None:
    section = _readme_commands()
    for param in main.params:
        if isinstance(param, click.Option):
            assert max(param.opts, key=len) in section
