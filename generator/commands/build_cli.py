"""The command that builds the sites: ilp build (with --jobs, the cache, --shard and --merge)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from generator.commands.options import _root, _show_warnings, _today, root_option, strict_option, today_option
from generator.errors import IlpError
from generator.signals import stopped_by_signals


@click.command()
@root_option
@click.option(
    "--out", default="site", show_default=True, metavar="DIR", help="Where to write the sites (replaced whole)."
)
@today_option
@strict_option
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Worker processes that build the students' sites (default: one per core). The output is the same for any N.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Build every site again instead of keeping the ones that did not change since the last build "
    "into the same folder (the cache is .ilp-cache/ in the repository, safe to delete).",
)
@click.option(
    "--shard",
    metavar="I/N",
    default=None,
    help="Build only part I of N of the students (a stable split by id), for --merge to assemble: one CI job each.",
)
@click.option(
    "--merge",
    "merging",
    is_flag=True,
    help="Assemble the folders that --shard wrote (the DIR arguments, every part once) into --out, with the "
    "shared pages, start pages, dashboards and indexes, as one build would make it.",
)
@click.argument("merge_dirs", metavar="[DIR]...", nargs=-1, type=click.Path(path_type=Path))
def build(
    root: str | None,
    out: str,
    today: str | None,
    strict: bool,
    jobs: int | None,
    no_cache: bool,
    shard: str | None,
    merging: bool,
    merge_dirs: tuple[Path, ...],
) -> None:
    """Build every student's portfolio for every audience, the lessons and the district pages.

    Everything built for audience A is written under OUT/A/. A student whose
    files have errors is reported and left out; the others are built, and the
    exit code is 1. The output folder is replaced only when the build is done.
    Sites that did not change since the last build into OUT are kept as they are.
    """
    from generator.builds import build as run_build
    from generator.site.shards import parse

    base = _root(root)
    _show_warnings()
    out_dir = Path(out) if Path(out).is_absolute() else base / out
    if merge_dirs and not merging:
        raise IlpError(f"unexpected {merge_dirs[0]}: folders are given to --merge only (ilp build --merge DIR DIR ...)")
    if merging and not merge_dirs:
        raise IlpError(
            "--merge needs the folders that ilp build --shard wrote: ilp build --merge DIR DIR ... --out OUT"
        )
    if shard is not None and merging:
        raise IlpError("--shard and --merge go in separate runs: build each shard, then merge them")
    part = parse(shard) if shard is not None else None
    workers = jobs or os.cpu_count() or 1
    if merging:
        from generator.merging import merge  # MkDocs: the merge builds the shared sites

        with stopped_by_signals():
            result = merge(
                base,
                [d if d.is_absolute() else Path.cwd() / d for d in merge_dirs],
                out_dir,
                _today(today),
                strict=strict,
            )
        _report_build(result, strict)
        return
    bar: Any = None
    if sys.stderr.isatty():
        bar = click.progressbar(length=1, label="Building", file=sys.stderr)

    def progress(done: int, total: int) -> None:
        if bar is not None:
            bar.length = total
            bar.update(done - bar.pos)

    try:
        with stopped_by_signals():
            result = run_build(
                base,
                out_dir,
                _today(today),
                progress=progress,
                strict=strict,
                jobs=workers,
                cache=not no_cache,
                shard=part,
            )
    finally:
        if bar is not None:
            bar.render_finish()
    _report_build(result, strict)


def _report_build(result: Any, strict: bool) -> None:
    for diagnostic in result.report.sorted():
        if diagnostic.severity == "error":
            click.echo(diagnostic.format(), err=True)
    if result.skipped:
        click.echo(f"Not built, fix their errors first: {', '.join(sorted(set(result.skipped)))}", err=True)
    click.echo(result.summary(), err=True)
    if strict and result.warning_count and not result.errors:
        click.echo(f"ilp build: {result.warning_count} warnings, and --strict counts them as errors", err=True)
    sys.exit(1 if result.errors or (strict and result.warning_count) else 0)


COMMANDS = [build]
