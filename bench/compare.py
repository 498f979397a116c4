"""Compare `ilp build` with one `mkdocs build` process per site, on the same sites.

Makes the district of bench/district.py, builds it whole with `ilp build`'s engine (no cache, as
many jobs as cores, then one), and writes a sample of its sites (`--sample`, spread evenly over the
district's sites, every audience) as standalone MkDocs projects: each page's Markdown (what the
generator wrote, then the lines of the student's document that the audience may see) in docs/,
the site's files, and the mkdocs.yml of the configuration `ilp build` gives MkDocs for the site
(`SiteBuilder.config`: its navigation, theme, `extra`, URLs and validation), less what only our
plugin does: in its place MkDocs' search plugin, Python-Markdown with bench/markdown_stage.py's
extensions, and a hook that gives the theme's `{{ _() }}` the identity translation and leaves out
MkDocs' sitemap as `SiteBuilder.config` does. Then it runs one `python -m mkdocs build` process per
site, one at a time and then as many at a time as cores, and prints the ratio of the time a site
takes that way to the time it takes in `ilp build` (its wall time over its sites). Medians of
`--runs`. Each `ilp build` writes a new folder and none is deleted before the mkdocs builds are done
(bench/build.py's `Folders` says why).

    python bench/compare.py [--students 1000] [--sample 20] [--runs 3]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.build import Folders, cores  # noqa: E402
from bench.check import machine  # noqa: E402
from bench.district import make_district  # noqa: E402
from bench.markdown_stage import PYTHON_MARKDOWN  # noqa: E402
from generator import pipeline  # noqa: E402
from generator.check.content import content_pages  # noqa: E402
from generator.config import Roles  # noqa: E402
from generator.errors import Report  # noqa: E402
from generator.markdown.document import Document  # noqa: E402
from generator.model.site import Site  # noqa: E402
from generator.site.builder import SiteBuilder, site_builder  # noqa: E402
from generator.sites import district_sites, student_sites  # noqa: E402

HOOK = '''"""The identity translation for the theme's {{ _() }}, which ilp build gives the site's language, and
the theme's static templates as ilp build leaves them (MkDocs adds its sitemap to every theme)."""

STATIC_TEMPLATES = %r


def on_config(config):
    config.theme.static_templates.intersection_update(STATIC_TEMPLATES)
    return config


def on_env(env, config, files):
    env.add_extension("jinja2.ext.i18n")
    env.install_null_translations(newstyle=True)
    return env
'''
# MkDocs' names of the levels of its `validation` options, which its configuration holds as numbers.
LEVELS = {logging.DEBUG: "ignore", logging.INFO: "info", logging.WARNING: "warn"}


def every_site(root: Path) -> list[Site]:
    """The district's sites in the order `ilp build` makes them."""
    loaded = pipeline.corpus(root)
    chosen = loaded.district.options.audiences
    content = content_pages(root, Report()) if Roles(loaded.district.options).public in chosen else {}
    sites = district_sites(loaded, chosen, content)
    return sites + [site for student in loaded.students for site in student_sites(loaded, student, chosen)]


def sample(sites: list[Site], count: int) -> list[Site]:
    count = min(count, len(sites))
    return [sites[round(i * (len(sites) - 1) / max(count - 1, 1))] for i in range(count)]


def source(root: Path, body: Document, files: dict[str, list[str]]) -> str:
    """The lines of a student's document that its kept blocks come from: what the audience may see."""
    if body.path not in files:
        files[body.path] = (root / body.path).read_text(encoding="utf-8").splitlines(keepends=True)
    lines = files[body.path]
    return "\n".join("".join(lines[b.first_line - 1 : b.last_line]) for b in body.kept_blocks)


def mkdocs_yml(builder: SiteBuilder, site: Site) -> dict[str, Any]:
    """The configuration `SiteBuilder.config` makes for `site`, as a standalone project's mkdocs.yml.

    A project without our plugin has MkDocs render its Markdown and make its search index: Python-Markdown
    with bench/markdown_stage.py's extensions, MkDocs' search plugin and the hook, in place of ours."""
    config = builder.config(site, Path("site"))
    theme = config.theme
    return {
        "site_name": config.site_name,
        "docs_dir": "docs",
        "site_dir": "site",
        "theme": {
            **{key: value for key, value in theme.items() if key != "locale"},
            "custom_dir": theme.custom_dir,
            "locale": str(theme.locale),
            "static_templates": sorted(theme.static_templates),
        },
        "plugins": ["search"],
        "markdown_extensions": PYTHON_MARKDOWN,
        "hooks": ["hooks.py"],
        "use_directory_urls": config.use_directory_urls,
        "nav": config.nav,
        "extra": dict(config.extra),
        "validation": {
            group: {name: LEVELS[level] for name, level in levels.items()}
            for group, levels in config.validation.items()
        },
        "strict": config.strict,
    }


def write_project(root: Path, site: Site, folder: Path, files: dict[str, list[str]], builder: SiteBuilder) -> Path:
    """`site` as a MkDocs project in `folder`; returns its mkdocs.yml."""
    docs = folder / "docs"
    for page in site.pages:
        parts = [page.markdown] if page.markdown else []
        if page.body is not None:
            parts.append(source(root, page.body, files))
        if page.html is not None:
            parts.append(page.html)
        meta = {k: v for k, v in page.meta.items() if isinstance(v, str | int | float | bool)}
        head = f"---\n{yaml.safe_dump(meta, allow_unicode=True)}---\n\n" if meta else ""
        target = docs / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(head + "\n\n".join(parts), encoding="utf-8")
    for file in site.files:
        target = docs / file.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file.content)
    config = mkdocs_yml(builder, site)
    (folder / "hooks.py").write_text(HOOK % (config["theme"]["static_templates"],), encoding="utf-8")
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder / "mkdocs.yml"


def mkdocs_build(config: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"{config}: mkdocs build failed:\n{done.stderr}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=20, help="sites built by mkdocs, one process each")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--commits", type=int, default=30, help="commits per student")
    args = parser.parse_args()
    logging.getLogger("mkdocs.plugins.ilp").disabled = True
    jobs = cores()
    with tempfile.TemporaryDirectory(prefix="ilp-compare-") as scratch:
        root = Path(scratch) / "district"
        make_district(root, args.students, args.commits)
        ours, single = [], []
        result = None
        outputs = Folders(Path(scratch))  # each build into a new folder, nothing deleted before it
        for _ in range(args.runs):
            result = pipeline.build(root, outputs.fresh("site"), jobs=jobs)
            ours.append(result.seconds / result.sites)
            single.append(pipeline.build(root, outputs.fresh("site"), jobs=1).seconds / result.sites)
        assert result is not None
        chosen = sample(every_site(root), args.sample)
        names: dict[str, list[str]] = {}
        with site_builder() as builder:
            folders = [Path(scratch) / "mkdocs" / f"{n:03d}" for n in range(len(chosen))]
            configs = [
                write_project(root, site, folder, names, builder) for site, folder in zip(chosen, folders, strict=True)
            ]
        one_at_a_time, together = [], []
        for _ in range(args.runs):
            one_at_a_time.append(statistics.median(mkdocs_build(config) for config in configs))
            started = time.perf_counter()
            with ThreadPoolExecutor(jobs) as pool:
                list(pool.map(mkdocs_build, configs))
            together.append((time.perf_counter() - started) / len(configs))
        pages = sum(len(site.pages) for site in chosen)
        per_site, per_site_single = statistics.median(ours), statistics.median(single)
        mk, mk_single = statistics.median(together), statistics.median(one_at_a_time)
        print(f"machine: {machine()}")
        print(f"students: {result.students}, sites: {result.sites}, pages: {result.pages}")
        print(f"sample: {len(chosen)} sites, {pages} pages (every audience), runs: {args.runs} (medians)")
        print(f"ilp build, {jobs} jobs: {per_site * 1000:.1f} ms a site (its wall time / {result.sites} sites)")
        print(f"ilp build, 1 job: {per_site_single * 1000:.1f} ms a site")
        print(f"mkdocs build, {jobs} processes at a time: {mk * 1000:.0f} ms a site")
        print(f"mkdocs build, one process at a time: {mk_single * 1000:.0f} ms a site")
        print(f"ratio, {jobs} cores each: {mk / per_site:.1f}x (mkdocs time a site / ilp build time a site)")
        print(f"ratio, one core each: {mk_single / per_site_single:.1f}x")


if __name__ == "__main__":
    main()
