"""`ilp build --merge`: the site `build` makes, from the parts `build(shard=...)` made of it."""

from __future__ import annotations

import datetime
import time
from pathlib import Path

from generator.building import BuildResult
from generator.builds import _loaded, _names
from generator.check.content import content_pages
from generator.check.district import District
from generator.config import Roles
from generator.errors import IlpError
from generator.i18n import catalogs
from generator.keeping import build_key
from generator.render.listing import Summary
from generator.site import output, shards
from generator.site.builder import THEME_DIR, site_builder
from generator.sites import district_sites, start_sites


def merge(
    root: Path,
    parts: list[Path],
    out: Path,
    today: datetime.date | None = None,
    audiences: tuple[str, ...] | None = None,
    theme_dir: Path = THEME_DIR,
    strict: bool = False,
) -> BuildResult:
    """The site `build` makes, from the shards `build(shard=...)` made of it: the shared sites (district
    pages, lessons, start pages and dashboards, assets) built here from the district and the students'
    summaries the parts carry (no student is loaded again), every part's folders taken in."""
    started = time.perf_counter()
    output.check_output(root, out)
    for part in parts:
        if part.resolve() == out.resolve():
            raise IlpError(f"--merge {part}: the merged site must go to another folder than its parts")
    carried: dict[str, Summary] = {}

    def keep(district: District, names: list[str]) -> dict[str, Summary]:
        chosen = audiences or district.options.audiences
        key = build_key(theme_dir, root, district, chosen, strict)
        found = shards.check_parts(parts, f"{key}:{shards.district_fingerprint(root)}", str(district.today))
        for part, summaries in found:
            ordered.append(part)
            for data in summaries:
                try:
                    item = Summary.from_json(data)
                except (ValueError, TypeError, KeyError, AttributeError):
                    raise IlpError(f"{part}: its {shards.MARKER} is damaged; build this shard again") from None
                carried[item.id] = item
                holds.setdefault(part, []).append(item)
        return {name: carried[name] for name in names if name in carried}

    ordered: list[Path] = []
    holds: dict[Path, list[Summary]] = {}  # part -> the students it built
    loaded, result, _ = _loaded(root, today, None, keep)
    district = loaded.district
    chosen = audiences or district.options.audiences
    roles = Roles(district.options)
    if loaded.students:  # the parts were built before these students could be built (or without them)
        names = ", ".join(s.id for s in loaded.students)
        raise IlpError(f"--merge: no part holds {names}; build every shard from the same commit again")
    sites = district_sites(loaded, chosen, content_pages(root, result.report) if roles.public in chosen else {})
    sites += start_sites(loaded, chosen, sorted(loaded.kept, key=lambda item: item.id))
    file_urls = not district.options.use_directory_urls
    known = output.shared_names(theme_dir)
    if file_urls:
        known |= {name for item in loaded.kept for name in item.names} | _names(sites)
    with output.staging(out) as staging, site_builder(theme_dir, strict, file_urls, True, root) as builder:
        for site in sites:
            result.pages += builder.build(site, staging / site.dest, frozenset(known)).pages
            result.sites += 1
        for part in ordered:  # a student refused here (a public_path two parts chose) is left out
            shards.copy_in(part, staging, [d for s in holds.get(part, []) if s.id in loaded.skipped for d in s.sites])
        output.write_shared(
            staging, theme_dir, district.options, file_urls, catalogs.load(district.options.language, root)
        )
    result.students = len(loaded.kept)
    result.seconds = time.perf_counter() - started
    return result
