"""The build cache's part before loading: which students of the district are unchanged since the last
build into an output folder, so that `corpus()` need not load them (generator/site/cache.py keeps
their sites and summaries).

A student's key is a hash of:

- the build's key (`build_key`: the generator's code, the theme, the district's catalogs, the options
  that change pages, the audiences, the date);
- the district's shared files (generator/load/fingerprint.py `district`: mkdocs.yml, the framework,
  the reference data, the roster, the lessons, the names in content/ and the family help pages);
- every name and byte of their folder, uncommitted changes included (`fingerprint.student`; as in
  git's index, a file whose lstat is the one the last build recorded, and that had not changed for two
  seconds before that build looked, is not read again: `fingerprint.Known`);
- the history that reaches their pages (generator/history/heads.py: a token that changes when a new
  commit touches their folder, and whenever that cannot be told for sure).

A student is kept only if their key is the one recorded and every file of their sites is still in the
output as the build left it (the size and time of each; a file added by hand to a kept site's folder
is not looked for, and moves with it: `--no-cache` builds everything anew).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from generator.check.district import District
from generator.config import Roles
from generator.history import heads
from generator.load import fingerprint
from generator.render.listing import Summary
from generator.site import cache as site_cache
from generator.site import output


def build_key(theme_dir: Path, root: Path, district: District, chosen: tuple[str, ...], strict: bool) -> str:
    """The key of everything every site of the build depends on besides its own description."""
    file_urls = not district.options.use_directory_urls
    settings = {"strict": strict, "file_urls": file_urls, "chosen": chosen, "today": str(district.today)}
    return site_cache.build_key(theme_dir, root, settings, output.shared_names(theme_dir))


class Keeper:
    """The build cache's part before loading: which students are unchanged since the last build into
    `out` (`corpus(keep=...)` asks it), and what to record of every student built (`students`)."""

    def __init__(self, root: Path, out: Path, theme_dir: Path, audiences: tuple[str, ...] | None, strict: bool) -> None:
        self.root, self.out, self.theme_dir, self.audiences, self.strict = root, out, theme_dir, audiences, strict
        self.key = ""
        self.prior = site_cache.Prior()
        self.head: str | None = None
        self.keys: dict[str, tuple[str, str]] = {}  # folder name -> (student key, history token)
        self.shared = ""  # the build's key and the district's shared files
        self.taken = 0  # when (ns) the students' files were looked at
        self.seen: dict[str, str] = {}  # folder name -> its files' hashes by lstat (fingerprint.Known)
        self.read = 0  # students' files read (not trusted): the cache is written again, with this build's time
        self.folders: dict[str, str] = {}  # folder name -> the hash of its files, as the key has it

    def __call__(self, district: District, names: list[str]) -> dict[str, Summary]:
        options = district.options
        chosen = self.audiences or options.audiences
        self.taken = time.time_ns()
        self.key = build_key(self.theme_dir, self.root, district, chosen, self.strict)
        self.prior = site_cache.load(self.root, self.out, self.key)
        helps = tuple(
            f"{code}={page}"
            for code, page in sorted(options.family_help.items())
            if Roles(options).public in chosen and (self.root / "content" / page).is_file()
        )
        shared = hashlib.sha256(f"{self.key}\0{fingerprint.district(self.root, options, helps)}".encode()).hexdigest()
        self.shared = shared
        last = {name: entry.token for name, entry in self.prior.students.items()}
        self.head, tokens = heads.tokens(self.root, names, self.prior.head, last)
        # One after another: with the files in the page cache, threads only fight over the interpreter
        # (8 threads took 1.8 s for 1,000 students where one took 0.7 s).
        found = [self._kept(name, shared, tokens[name]) for name in names]
        return {name: summary for name, summary in zip(names, found, strict=True) if summary is not None}

    def _kept(self, name: str, shared: str, token: str) -> Summary | None:
        """The summary of student `name` if they can be kept (their key recorded either way)."""
        before = self.prior.students.get(name)
        known = fingerprint.Known(before.files if before is not None else None, self.prior.taken)
        folder = fingerprint.student(self.root, name, known)
        self.seen[name] = known.now()
        self.read += known.read
        self.folders[name] = folder
        student_key = hashlib.sha256(f"{shared}\0{name}\0{folder}\0{token}".encode()).hexdigest()
        self.keys[name] = (student_key, token)
        if before is None or before.key != student_key:
            return None
        if not all(site_cache.intact(self.prior.sites[dest], self.out, dest) for dest in before.sites):
            return None
        try:
            summary = Summary.from_json(before.summary)
        except (ValueError, TypeError, KeyError, AttributeError):
            return None
        return summary if summary.id == name and summary.sites == before.sites else None

    def unchanged(self, name: str) -> bool:
        """Whether student `name`'s folder still holds what their key was made from (asked once they are
        loaded, which may be minutes later in a worker): if not, they are not recorded, and the next build
        makes them again."""
        if name not in self.folders:
            return False
        again = fingerprint.student(self.root, name, fingerprint.Known(self.seen[name], self.taken))
        return again == self.folders[name]

    def forget(self, name: str) -> None:
        """Record nothing of student `name` (their files changed while they were built)."""
        self.keys.pop(name, None)

    def district_key(self) -> str:
        """The key of the district's own sites (generator/sites.py `district_sites`): what they are made from
        besides the build's key and the district's shared files is content/ ("": the district was not read)."""
        if not self.shared:
            return ""
        return hashlib.sha256(
            f"ilp-district-sites 1\0{self.shared}\0{fingerprint.content(self.root)}".encode()
        ).hexdigest()

    def starts_key(self, summaries: Iterable[Summary]) -> str:
        """The key of the start pages: what they are made from besides the build's key and the district's
        shared files is every student's summary (generator/sites.py `start_sites`)."""
        digest = hashlib.sha256(f"ilp-start-pages 1\0{self.shared}\0".encode())
        for item in sorted(summaries, key=lambda item: item.id):
            digest.update(json.dumps(item.as_json(), sort_keys=True, separators=(",", ":")).encode() + b"\n")
        return digest.hexdigest()

    def students(self, made: dict[str, Summary], kept: tuple[Summary, ...]) -> dict[str, site_cache.Student]:
        """What the cache records of every student of this build (made or kept)."""
        found = {item.id: replace(self.prior.students[item.id], files=self.seen.get(item.id)) for item in kept}
        for item in made.values():
            if item.id in self.keys:
                student_key, token = self.keys[item.id]
                found[item.id] = site_cache.Student(student_key, token, item.as_json(), item.sites, self.seen[item.id])
        return found
