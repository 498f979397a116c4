"""Stage 1: files on disk -> raw documents that remember their lines.

Only this module reads the content folders. It decodes text strictly (UTF-8; a
byte-order mark and CRLF line endings are accepted), refuses merge-conflict
markers, tabs in YAML indentation and YAML alias bombs, and turns YAML into
plain JSON-like values (dates become ``YYYY-MM-DD`` strings) together with the
line of every key and list item, so later stages can point at the line of a bad
value. YAML is composed with PyYAML's safe loader: no tag can build an object.
Student files (everything under ``students/``) may not use YAML anchors and
aliases at all: a student writes each value out where it belongs, so what a
value says (and who may see it) never depends on text elsewhere in the file.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path
from typing import Any, cast

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.errors import Diagnostic
from generator.load.yaml_loader import SafeLoader as _SafeLoader
from generator.model.source import Doc, MarkdownFile, Path_

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ARTIFACT_BYTES = 20 * 1024 * 1024
MAX_YAML_VALUES = 100_000
MAX_YAML_DEPTH = 64
CONFLICT_MARKER = re.compile(r"^(<{7}|={7}|>{7})(?: |$)")
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


class LoadError(Exception):
    """Raised inside this module; carries the diagnostics to report (`diagnostic` is the first of them)."""

    def __init__(self, diagnostic: Diagnostic, *more: Diagnostic, partial: Doc | MarkdownFile | None = None) -> None:
        super().__init__("\n".join(d.format() for d in (diagnostic, *more)))
        self.diagnostic = diagnostic
        self.diagnostics: tuple[Diagnostic, ...] = (diagnostic, *more)
        # The file's values as far as they could be read (a bad value kept as written), so the checks
        # can still report every other problem of the file in the same run. Never published.
        self.partial = partial


def _fail(path: str, line: int, message: str) -> LoadError:
    return LoadError(Diagnostic(path, line, message))


def _read_regular(file: Path, rel: str, limit: int) -> bytes:
    """The bytes of a regular file, at most `limit` of them: a symlink, device, FIFO or socket is an error.

    The file is opened without following a symlink and without blocking, and checked on the open
    descriptor, so a FIFO never hangs a check and /dev/zero is never read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(file, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _fail(rel, 1, "symlink; replace it with the file itself") from exc
        if exc.errno == errno.EISDIR:
            raise _fail(rel, 1, "this is a folder, but a file is expected here; rename or move the folder") from exc
        raise _fail(rel, 1, f"cannot read file: {exc.strerror}") from exc
    with os.fdopen(descriptor, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if stat.S_ISDIR(mode):
            raise _fail(rel, 1, "this is a folder, but a file is expected here; rename or move the folder")
        if not stat.S_ISREG(mode):
            raise _fail(rel, 1, "not a regular file (a device, pipe or socket); replace it with a real file")
        try:
            raw = handle.read(limit + 1)
        except OSError as exc:
            raise _fail(rel, 1, f"cannot read file: {exc.strerror}") from exc
    if len(raw) > limit:
        raise _fail(rel, 1, f"file is larger than {limit // (1024 * 1024)} MB; keep ILP files small")
    return raw


def file_problem(file: Path) -> str | None:
    """Why `file` cannot be read as a data file, or None: missing, a folder, a symlink, not a regular file."""
    try:
        mode = file.lstat().st_mode
    except FileNotFoundError:
        return "does not exist"
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if stat.S_ISLNK(mode):
        return "is a symlink; replace it with the file itself"
    if stat.S_ISDIR(mode):
        return "is a folder, but a file is expected here"
    if not stat.S_ISREG(mode):
        return "is not a regular file (a device, pipe or socket)"
    return None


def read_key(file: Path, root: Path, minimum: int, what: str = "link key") -> bytes:
    """A secret key from a regular file outside the repository `root`, of `minimum` to 4096 bytes."""
    shown = str(file)
    if Path(os.path.abspath(file)).is_relative_to(Path(os.path.abspath(root))) or file.resolve().is_relative_to(
        root.resolve()
    ):
        raise _fail(
            shown,
            1,
            f"the {what} file is inside the repository; keep it outside, where no one who reads the repository can read it",
        )
    key = _read_regular(file, shown, 4096)
    if len(key.strip()) < minimum:
        how = (
            "head -c 32 /dev/urandom | base64 > FILE"
            if what == "link key"
            else "openssl genpkey -algorithm ed25519 -out FILE"
        )
        raise _fail(shown, 1, f"the {what} is shorter than {minimum} bytes; make one with: {how}")
    return key.strip()


def read_text(file: Path, rel: str) -> str:
    """Read a regular text file strictly as UTF-8, without BOM, with \\n line endings."""
    raw = _read_regular(file, rel, MAX_FILE_BYTES)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = raw[exc.start]
        raise _fail(
            rel, line, f"file is not UTF-8 text (byte 0x{byte:02X}); open it in your editor and save it as UTF-8"
        ) from exc
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    for separator in ("\u2028", "\u2029", "\x85"):  # YAML counts these as line breaks: line numbers would drift
        if separator in text:
            line = text[: text.index(separator)].count("\n") + 1
            raise _fail(
                rel, line, f"invisible line separator (U+{ord(separator):04X}); delete it or use a real line break"
            )
    conflicted = any(line.startswith("<<<<<<< ") or line == "<<<<<<<" for line in text.split("\n"))
    for number, line_text in enumerate(text.split("\n"), start=1):
        if CONFLICT_MARKER.match(line_text) and (conflicted or not line_text.startswith("=")):
            raise _fail(
                rel,
                number,
                "unresolved git merge conflict marker "
                f"'{line_text[:7]}'; keep the version you want and delete the marker lines",
            )
        if "\x00" in line_text:
            raise _fail(rel, number, "file contains a NUL byte; it is not a text file")
    return text


def read_bytes(file: Path, rel: str) -> bytes:
    """Read an artifact's bytes: a regular file inside the student's folder, at most MAX_ARTIFACT_BYTES."""
    return _read_regular(file, rel, MAX_ARTIFACT_BYTES)


def _check_tabs(text: str, rel: str, first_line: int) -> None:
    for number, line_text in enumerate(text.split("\n"), start=first_line):
        indent = line_text[: len(line_text) - len(line_text.lstrip(" \t"))]
        if "\t" in indent:
            raise _fail(rel, number, "tab used for indentation; YAML needs spaces: replace the tab with spaces")


_HINTS = {
    "mapping values are not allowed here": " (a value that contains ': ' needs quotes around it)",
    "could not find expected ':'": " (each line should be 'key: value'; check the line above too)",
    "found character '\\t' that cannot start any token": " (replace the tab with spaces)",
    "expected <block end>, but found '-'": " (check the indentation of this list item)",
    "found undefined alias": " (an '*' at the start of a value needs quotes around it)",
    "but found another document": " (a '---' line starts a second document; remove it)",
}


def _syntax_error(exc: yaml.YAMLError, text: str, rel: str, first_line: int) -> LoadError:
    if isinstance(exc, yaml.reader.ReaderError):
        line = text[: getattr(exc, "position", 0) or 0].count("\n") + first_line
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return _fail(rel, line, f"file contains a control character (0x{code:02X}); delete it")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + first_line if mark is not None else first_line
    problem = getattr(exc, "problem", None) or str(exc)
    problem = problem.replace("not allowed in this context", "not allowed here")  # libyaml's wording
    context = getattr(exc, "context", None)
    if context and problem.startswith("but "):
        problem = f"{context}, {problem}"
    hint = next((h for key, h in _HINTS.items() if key in problem), "")
    return _fail(rel, line, f"YAML syntax error: {problem}{hint}")


class _Converter:
    """Turns a composed YAML node graph into plain values, counting every value."""

    def __init__(self, rel: str, first_line: int, tolerant_tags: bool) -> None:
        self.rel = rel
        self.first_line = first_line
        self.tolerant_tags = tolerant_tags
        self.count = 0
        self.lines: dict[Path_, int] = {}
        self.constructor = SafeConstructor()
        self.problems: list[Diagnostic] = []  # values that could not be read: reported, the rest still read

    def line_of(self, node: Node) -> int:
        return int(node.start_mark.line) + self.first_line

    def value(self, node: Node, at: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_YAML_VALUES:
            raise _fail(
                self.rel,
                self.line_of(node),
                f"YAML expands to more than {MAX_YAML_VALUES} values (anchors '&' and aliases '*' "
                "repeated inside each other); write the values out instead of using aliases",
            )
        if depth > MAX_YAML_DEPTH:
            raise _fail(self.rel, self.line_of(node), f"YAML is nested more than {MAX_YAML_DEPTH} levels deep")
        if isinstance(node, MappingNode):
            return self.mapping(node, at, depth)
        if isinstance(node, SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.lines[(*at, index)] = self.line_of(item)
                items.append(self.value(item, (*at, index), depth + 1))
            return items
        return self.scalar(cast(ScalarNode, node))

    def mapping(self, node: MappingNode, at: Path_, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = self.line_of(key_node)
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _fail(self.rel, line, "merge keys ('<<') are not supported; write the keys out")
            if not isinstance(key_node, ScalarNode):
                raise _fail(self.rel, line, "a key must be plain text, not a list or mapping")
            key = str(key_node.value)
            if key in seen:
                raise _fail(self.rel, line, f"key '{key}' appears twice (first on line {seen[key]}); keep one")
            seen[key] = line
            self.lines[(*at, key)] = line
            result[key] = self.value(value_node, (*at, key), depth + 1)
        return result

    def scalar(self, node: ScalarNode) -> Any:
        if node.tag not in _PLAIN_TAGS:
            if self.tolerant_tags:
                return node.value
            raise _fail(self.rel, self.line_of(node), f"YAML tag '{node.tag}' is not supported; remove it")
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (ValueError, ConstructorError) as exc:
            # Reported, and the value kept as written: the rest of the file is still checked.
            if node.tag == "tag:yaml.org,2002:timestamp":
                message = f"'{node.value}' is not a real date ({exc}); write dates as YYYY-MM-DD"
            else:
                message = f"cannot read value '{node.value}': {exc}"
            self.problems.append(Diagnostic(self.rel, self.line_of(node), message))
            return node.value
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return value


def is_student_file(rel: str) -> bool:
    """A file in a student's folder (or the roster beside them): `rel` is relative to the repository root."""
    return rel.startswith("students/")


def _anchor_problems(text: str, rel: str, first_line: int) -> list[Diagnostic]:
    """One error for every anchor ('&name') and alias ('*name') in YAML that has already composed."""
    if "&" not in text and "*" not in text:
        return []
    found: list[Diagnostic] = []
    loader = _SafeLoader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            line = int(event.start_mark.line) + first_line
            if isinstance(event, yaml.AliasEvent):
                found.append(
                    Diagnostic(
                        rel,
                        line,
                        f"YAML alias '*{event.anchor}' is not allowed in student files; write the text out in full",
                    )
                )
            elif isinstance(event, yaml.NodeEvent) and event.anchor is not None:
                found.append(
                    Diagnostic(
                        rel,
                        line,
                        f"YAML anchor '&{event.anchor}' is not allowed in student files; "
                        f"delete '&{event.anchor}' and write the text out in full wherever it is repeated",
                    )
                )
    finally:
        loader.dispose()
    return found


def parse_yaml(text: str, rel: str, first_line: int = 1, tolerant_tags: bool = False) -> Doc:
    """Parse YAML text that starts at `first_line` of file `rel`.

    In a student file (`is_student_file`) every anchor and alias is an error; the
    file is still converted first, so an alias bomb is reported as such.
    """
    _check_tabs(text, rel, first_line)
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, text, rel, first_line) from exc
    finally:
        loader.dispose()
    if node is None:
        return Doc(rel, None, {(): first_line})
    refused = _anchor_problems(text, rel, first_line) if is_student_file(rel) else []
    converter = _Converter(rel, first_line, tolerant_tags)
    converter.lines[()] = converter.line_of(node)
    try:
        data = converter.value(node, (), 0)
    except LoadError as exc:
        if not refused:
            raise
        raise LoadError(*exc.diagnostics, *refused) from exc
    problems = [*converter.problems, *refused]
    doc = Doc(rel, data, converter.lines)
    if problems:
        raise LoadError(*sorted(problems, key=lambda d: d.line), partial=doc)
    return doc


def load_yaml(file: Path, rel: str, tolerant_tags: bool = False) -> Doc:
    """Read and parse a YAML file; an empty file is an error."""
    doc = parse_yaml(read_text(file, rel), rel, tolerant_tags=tolerant_tags)
    if doc.data is None:
        raise _fail(rel, 1, "file is empty; see content/reference/ for what it should hold")
    return doc


_FENCE = re.compile(r"^---[ \t]*$")
_DOCUMENT_END = re.compile(r"^\.\.\.[ \t]*$")


def split_markdown(text: str, rel: str) -> MarkdownFile:
    """Split front matter (between '---' lines at the top) from the body.

    Only a line '---' closes front matter: a line '...' (a YAML document end, which
    some front matter readers also take as the close) is an error at that line, and
    front matter that is never closed is an error at its opening line.
    """
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        return MarkdownFile(rel, None, text, 1)
    for index in range(1, len(lines)):
        if _DOCUMENT_END.match(lines[index]):
            raise _fail(
                rel,
                index + 1,
                "front matter must end with a line '---', not '...'; replace this line with '---'",
            )
        if _FENCE.match(lines[index]):
            meta_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            try:
                meta = parse_yaml(meta_text, rel, first_line=2)
            except LoadError as exc:
                if not isinstance(exc.partial, Doc):
                    raise
                partial = MarkdownFile(rel, exc.partial, body, index + 2)
                raise LoadError(*exc.diagnostics, partial=partial) from exc
            if meta.data is None:
                meta = Doc(rel, {}, {(): 1})
            return MarkdownFile(rel, meta, body, index + 2)
    raise _fail(rel, 1, "front matter opened with '---' is never closed; add a line '---' after its last field")


def load_markdown(file: Path, rel: str) -> MarkdownFile:
    """Read a Markdown file and split off its front matter; an empty file is an error."""
    text = read_text(file, rel)
    if not text.strip():
        raise _fail(rel, 1, "file is empty; start it with front matter: '---', 'title: ...', '---'")
    return split_markdown(text, rel)
