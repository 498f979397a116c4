"""A OneRoster CSV bundle on disk (a zip or a folder) -> CSV tables whose rows remember their lines.

Only the files asked for are read, each through a size cap, so a zip bomb or a huge file is an error
and never fills the memory. Nothing is ever extracted: a zip entry is read into memory by its name,
and an entry whose name leaves the bundle (``../x``, ``/etc/x``) makes the whole zip refused, since
no SIS writes such a thing. Text must be UTF-8 (a byte-order mark is accepted); every problem is a
diagnostic at ``path:line`` where the path names the bundle as the user gave it, and the file inside
it (``export.zip/users.csv``).
"""

from __future__ import annotations

import csv
import io
import os
import stat
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from generator.errors import Report

MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_TOTAL_BYTES = 128 * 1024 * 1024
MAX_ZIP_ENTRIES = 1000
MAX_ROWS = 500_000


@dataclass(frozen=True)
class Row:
    """One data row: its first line in the file and its values by column (stripped of spaces)."""

    line: int
    values: dict[str, str] = field(default_factory=dict)

    def get(self, column: str) -> str:
        return self.values.get(column, "")

    def items(self, column: str) -> tuple[str, ...]:
        """A list column (values separated by commas inside one quoted field), without blanks."""
        return tuple(part.strip() for part in self.get(column).split(",") if part.strip())


@dataclass(frozen=True)
class Table:
    """A CSV file read: the path to show in messages, its columns and its rows."""

    path: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]


def _regular_bytes(file: Path, shown: str, limit: int, report: Report) -> bytes | None:
    """The bytes of a regular file (a FIFO or device is refused without blocking), at most `limit`."""
    try:
        descriptor = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        report.error(shown, 1, f"cannot read the file: {exc.strerror}")
        return None
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            report.error(shown, 1, "not a regular file (a folder, device or pipe); give the exported file itself")
            return None
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        report.error(shown, 1, f"the file is larger than {limit // (1024 * 1024)} MB; ilp reads no bigger exports")
        return None
    return raw


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name.replace("\\", "/"))
    return not path.is_absolute() and ".." not in path.parts and ":" not in name


class _Reader:
    """Reads named files from a folder or a zip, keeping count of the bytes read."""

    def __init__(self, source: Path, shown: str, report: Report) -> None:
        self.source, self.shown, self.report = source, shown.rstrip("/"), report
        self.total = 0
        self.entries: dict[str, zipfile.ZipInfo] | None = None
        self.archive: zipfile.ZipFile | None = None

    def path(self, name: str) -> str:
        return f"{self.shown}/{name}"

    def open(self) -> bool:
        try:
            mode = os.stat(self.source).st_mode
        except OSError:
            self.report.error(
                self.shown, 1, "no such zip file or folder; give the OneRoster export (a .zip or a folder)"
            )
            return False
        if stat.S_ISDIR(mode):
            return True
        if not stat.S_ISREG(mode):
            self.report.error(self.shown, 1, "not a zip file or a folder (a device or pipe); give the OneRoster export")
            return False
        try:
            self.archive = zipfile.ZipFile(self.source)  # closed by close()
            infos = self.archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            self.report.error(self.shown, 1, f"not a zip file ({exc}); give the OneRoster export as a .zip or a folder")
            return False
        return self._index(infos)

    def _index(self, infos: list[zipfile.ZipInfo]) -> bool:
        if len(infos) > MAX_ZIP_ENTRIES:
            self.report.error(
                self.shown, 1, f"the zip holds more than {MAX_ZIP_ENTRIES} files; it is not a OneRoster export"
            )
            return False
        self.entries = {}
        for info in infos:
            if not _safe_name(info.filename):
                self.report.error(
                    self.shown,
                    1,
                    f"the zip holds an entry named '{info.filename}', which leaves the bundle; "
                    "export the files again and zip them without folders",
                )
                return False
            if info.filename in self.entries:
                self.report.error(self.shown, 1, f"the zip holds '{info.filename}' twice; zip each file once")
                return False
            self.entries[info.filename] = info
        return True

    def nested(self, name: str) -> str | None:
        """The folder inside the zip that holds `name`, when the files were zipped inside a folder."""
        for entry in self.entries or {}:
            if entry.endswith(f"/{name}"):
                return entry[: -len(name)]
        return None

    def exists(self, name: str) -> bool:
        if self.entries is not None:
            return name in self.entries
        return (self.source / name).exists()

    def read(self, name: str) -> bytes | None:
        limit = min(MAX_FILE_BYTES, MAX_TOTAL_BYTES - self.total)
        raw = self._zip_bytes(name, limit) if self.entries is not None else self._file_bytes(name, limit)
        if raw is not None:
            self.total += len(raw)
        return raw

    def _file_bytes(self, name: str, limit: int) -> bytes | None:
        return _regular_bytes(self.source / name, self.path(name), limit, self.report)

    def _zip_bytes(self, name: str, limit: int) -> bytes | None:
        assert self.archive is not None  # set with the entries by open()
        assert self.entries is not None
        info = self.entries[name]
        if info.flag_bits & 0x1:
            self.report.error(self.path(name), 1, "the file is encrypted in the zip; zip it without a password")
            return None
        try:
            with self.archive.open(info) as handle:
                raw = handle.read(limit + 1)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
            self.report.error(self.path(name), 1, f"cannot read the file from the zip ({exc}); zip the export again")
            return None
        if len(raw) > limit:
            self.report.error(
                self.path(name),
                1,
                f"the file unpacks to more than {limit // (1024 * 1024)} MB; ilp reads no bigger exports",
            )
            return None
        return raw

    def close(self) -> None:
        if self.archive is not None:
            self.archive.close()


def decode(raw: bytes, shown: str, report: Report) -> str | None:
    """UTF-8 text (a byte-order mark dropped); not UTF-8, a NUL byte or an empty file is an error."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        report.error(
            shown,
            line,
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02X}); export it again as UTF-8 "
            "(in a spreadsheet: save as 'CSV UTF-8')",
        )
        return None
    if "\x00" in text:
        report.error(
            shown, text[: text.index("\x00")].count("\n") + 1, "the file holds a NUL byte; it is not a CSV file"
        )
        return None
    if not text.strip():
        report.error(shown, 1, "the file is empty; it needs at least its header line")
        return None
    return text


def _header(first: list[str], shown: str, report: Report) -> tuple[str, ...] | None:
    columns = tuple(name.strip() for name in first)
    seen: set[str] = set()
    for name in columns:
        if name in seen:
            report.error(shown, 1, f"column '{name}' appears twice in the header; keep one")
            return None
        seen.add(name)
    return columns


def parse_table(text: str, shown: str, report: Report) -> Table | None:
    """The rows of CSV text; a row with more values than the header has columns is an error."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[Row] = []
    columns: tuple[str, ...] | None = None
    last = 0
    try:
        for values in reader:
            start, last = last + 1, reader.line_num
            if columns is None:
                columns = _header(values, shown, report)
                if columns is None:
                    return None
                continue
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(columns):
                report.error(
                    shown,
                    start,
                    f"this row has {len(values)} values but the header has {len(columns)} columns; "
                    "a value that holds a comma needs double quotes around it",
                )
                continue
            if len(rows) >= MAX_ROWS:
                report.error(shown, start, f"more than {MAX_ROWS} rows; ilp reads no bigger exports")
                return None
            rows.append(Row(start, {c: v.strip() for c, v in zip(columns, values, strict=False)}))
    except csv.Error as exc:
        report.error(shown, reader.line_num or 1, f"not valid CSV ({exc}); export the file again")
        return None
    return Table(shown, columns or (), tuple(rows))


def require_columns(table: Table, columns: Iterable[str], report: Report) -> bool:
    """Whether the table has every column; the missing ones are reported at the header line."""
    missing = [c for c in columns if c not in table.columns]
    if missing and len(table.columns) == 1 and ";" in table.columns[0]:
        report.error(table.path, 1, "the values are separated by ';'; OneRoster CSV files use commas: export it again")
        return False
    for name in missing:
        report.error(
            table.path,
            1,
            f"the header has no column '{name}'; export the file again with every OneRoster 1.2 column "
            f"(the header is: {','.join(table.columns)})",
        )
    return not missing


def read_bundle(source: Path, shown: str, names: Iterable[str], report: Report) -> tuple[dict[str, Table], set[str]]:
    """The tables of the named files found in the bundle, and the names that are not in it."""
    reader = _Reader(source, shown, report)
    tables: dict[str, Table] = {}
    missing: set[str] = set()
    try:
        if not reader.open():
            return {}, set()
        for name in names:
            if not reader.exists(name):
                missing.add(name)
                continue
            raw = reader.read(name)
            text = decode(raw, reader.path(name), report) if raw is not None else None
            table = parse_table(text, reader.path(name), report) if text is not None else None
            if table is not None:
                tables[name] = table
        if "manifest.csv" in missing and (folder := reader.nested("manifest.csv")):
            report.error(
                shown,
                1,
                f"the files are inside the folder '{folder}' of the zip; zip the files themselves, not their folder",
            )
            return {}, set()
    finally:
        reader.close()
    return tables, missing


def read_csv_file(file: Path, shown: str, report: Report) -> Table | None:
    """One CSV file outside a bundle (the caseload file)."""
    raw = _regular_bytes(file, shown, MAX_FILE_BYTES, report)
    text = decode(raw, shown, report) if raw is not None else None
    return parse_table(text, shown, report) if text is not None else None
