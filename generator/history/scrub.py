"""What a student's history may not carry out of the district: other students, and district-only fields.

When one student's history is cut out of a repository (`ilp split`, `ilp export`), every commit
keeps its author, date and message, except that:

- a message that names another student (their id, full name, preferred name, or one of the words
  of their names, written with a capital) says "another student" instead;
- a commit made by another student (by their email) is credited to "Another student";
- for an export only, every version of profile.yml loses the fields that belong to the old
  district and that no view shows (the student's and their family's sign-in emails, `sis_id`,
  `public_path`), and sharing.yml (family links, keyed by the old district) is left out.

The functions are pure. `git filter-repo` calls them through its callbacks, with the settings in
the JSON file named by ILP_SCRUB_SETTINGS (see repos.py).
"""

from __future__ import annotations

import functools
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import yaml

ANOTHER = "another student"
ANOTHER_AUTHOR = (b"Another student", b"another.student@invalid")
DISTRICT_ONLY = ("emails", "sis_id", "public_path")
DROPPED_FILES = ("sharing.yml",)
UNREADABLE = b"# This version of profile.yml could not be read, so it was left out of the export.\n"


@dataclass(frozen=True)
class Settings:
    exact: tuple[str, ...] = ()  # ids and whole names, matched in any case
    words: tuple[str, ...] = ()  # single name words, matched with their capital
    emails: frozenset[str] = frozenset()  # other students' commit emails
    scrub_files: bool = False  # an export: district-only fields and files go
    rename: tuple[str, ...] = ()  # (old id, new id): an import under another id
    only_roster: bool = False  # the district's history after a split: no file under students/ but the roster

    def as_json(self) -> str:
        return json.dumps(
            {
                "exact": self.exact,
                "words": self.words,
                "emails": sorted(self.emails),
                "scrub_files": self.scrub_files,
                "rename": self.rename,
                "only_roster": self.only_roster,
            }
        )


def settings_for(others: list[dict[str, Any]], own: dict[str, Any], scrub_files: bool) -> Settings:
    """Settings from the other students (`id`, `name`, `preferred_name`, `emails`) and the student's own.

    A name is also matched without its accents and each part of a hyphenated name on its own; a word
    of the student's own name is never replaced (two students may share a first name).
    """
    own_words = {_fold(w) for w in _words(own)}
    exact: set[str] = set()
    single: set[str] = set()
    emails: set[str] = set()
    for other in others:
        exact.add(str(other["id"]))
        for key in ("name", "preferred_name"):
            value = " ".join(str(other.get(key) or "").split())
            if " " in value:
                exact.update({value, _strip_accents(value)})
        for word in _words(other):
            if len(word) > 1 and _fold(word) not in own_words:
                single.update({word, _strip_accents(word)})
        for email in other.get("emails") or []:
            emails.add(str(email).lower())
            exact.add(str(email))
    longest = functools.partial(sorted, key=lambda s: (-len(s), s))
    return Settings(tuple(longest(exact)), tuple(longest(single)), frozenset(emails), scrub_files)


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _fold(word: str) -> str:
    return _strip_accents(word).casefold()


def _words(person: dict[str, Any]) -> list[str]:
    """The words of a person's names, and the parts of a hyphenated one ("Kilbride-Osterholt")."""
    found: list[str] = []
    for key in ("name", "preferred_name"):
        for word in re.findall(r"[^\W\d_][\w'\u2019-]*", str(person.get(key) or "")):
            found.append(word)
            if "-" in word:
                found.extend(part for part in word.split("-") if part)
    return found


def reword(message: str, settings: Settings) -> str:
    """The message with every mention of another student replaced (and the student's old id, on an import).

    Ids, whole names and emails match in any case, single name words with their capital or in capitals.
    """
    if len(settings.rename) == 2 and settings.rename[0] != settings.rename[1]:
        old, new = settings.rename
        message = re.sub(rf"(?<![\w-]){re.escape(old)}(?![\w-])", new, message)
    for name in settings.exact:
        message = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", ANOTHER, message, flags=re.IGNORECASE)
    for word in settings.words:
        for form in {word, word.upper()}:
            message = re.sub(rf"(?<![\w-]){re.escape(form)}(?![\w])", ANOTHER, message)
    return re.sub(rf"{ANOTHER}(?:[\s.,-]+{ANOTHER})+", ANOTHER, message)  # "Leo Martínez": one mention


def is_other(name: str, email: str, settings: Settings) -> bool:
    """Whether a commit's author is another student: by their email, or by their whole name."""
    if email.lower() in settings.emails:
        return True
    whole = " ".join(name.split()).casefold()
    return any(whole in (n.casefold(), _strip_accents(n).casefold()) for n in settings.exact if " " in n)


def scrub_profile(text: bytes) -> bytes:
    """A version of profile.yml without the fields that belong to the old district; unreadable ones go whole."""
    try:
        data = yaml.safe_load(text.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        return UNREADABLE
    if not isinstance(data, dict):
        return UNREADABLE
    wanted = _without(data)
    original = text.decode("utf-8").splitlines(keepends=True)
    if wanted == data and not any(_district_comment(line) for line in original):
        return text
    lines = drop_keys(original, DISTRICT_ONLY, family_emails=True)
    lines = [line for line in lines if not _district_comment(line)]
    result = "".join(lines)
    try:
        if yaml.safe_load(result) == wanted:
            return result.encode("utf-8")
    except yaml.YAMLError:
        pass
    header = "".join(line for line in lines[:1] if line.startswith("#"))
    return (header + yaml.safe_dump(wanted, sort_keys=False, allow_unicode=True)).encode("utf-8")


def _district_comment(line: str) -> bool:
    """A comment that may hold what the export leaves out: an address, or a district-only field."""
    text = line.strip()
    return text.startswith("#") and ("@" in text or any(key in text for key in DISTRICT_ONLY))


def _without(data: dict[str, Any]) -> dict[str, Any]:
    kept = {k: v for k, v in data.items() if k not in DISTRICT_ONLY}
    if isinstance(kept.get("family"), dict):
        kept["family"] = {k: v for k, v in kept["family"].items() if k != "emails"}
    if isinstance(kept.get("family"), list):
        kept["family"] = [
            {k: v for k, v in m.items() if k != "emails"} if isinstance(m, dict) else m for m in kept["family"]
        ]
    return kept


_KEY = re.compile(r"^(?P<indent> *)(?P<key>[A-Za-z_]+):")


def drop_keys(lines: list[str], keys: tuple[str, ...], family_emails: bool = False) -> list[str]:
    """YAML lines without the top-level `keys` (block style), and the family members' `emails:` if asked.

    Callers check the result by parsing it: a layout this does not follow is caught there.
    """
    out: list[str] = []
    skipping: int | None = None
    section = ""
    for line in lines:
        indent = len(line) - len(line.lstrip(" "))
        if skipping is not None:
            continued = not line.strip() or indent > skipping or (indent == skipping and line.lstrip().startswith("-"))
            if continued and not (indent == 0 and line.strip() and not line.startswith("-")):
                continue
            skipping = None
        match = _KEY.match(line)
        if match and not match["indent"]:
            section = match["key"]
        if match and (
            (not match["indent"] and match["key"] in keys)
            or (family_emails and match["indent"] and section == "family" and match["key"] == "emails")
        ):
            skipping = len(match["indent"])
            continue
        out.append(line)
    return out


def file_info(filename: bytes, mode: bytes, blob_id: bytes, value: Any) -> tuple[bytes | None, bytes, bytes]:
    """git filter-repo's --file-info-callback, for an export."""
    settings = from_environment()
    if (
        settings.only_roster
        and filename != b"students/roster.yml"
        and filename.startswith((b"students/", b"graduates/"))
    ):
        return None, mode, blob_id
    if not settings.scrub_files:
        return filename, mode, blob_id
    if filename.decode("utf-8", "replace") in DROPPED_FILES:
        return None, mode, blob_id
    if filename == b"profile.yml":
        contents = value.get_contents_by_identifier(blob_id)
        scrubbed = scrub_profile(contents)
        if scrubbed != contents:
            blob_id = value.insert_file_with_contents(scrubbed)
    return filename, mode, blob_id


def commit(commit: Any) -> None:
    """git filter-repo's --commit-callback: messages reworded, other students' commits credited to no one."""
    settings = from_environment()
    message = commit.message.decode("utf-8", "replace")
    reworded = reword(message, settings)
    if reworded != message:
        commit.message = reworded.encode("utf-8")
    for role in ("author", "committer"):
        name = getattr(commit, f"{role}_name").decode("utf-8", "replace")
        if is_other(name, getattr(commit, f"{role}_email").decode("utf-8", "replace"), settings):
            setattr(commit, f"{role}_name", ANOTHER_AUTHOR[0])
            setattr(commit, f"{role}_email", ANOTHER_AUTHOR[1])


@functools.cache
def from_environment() -> Settings:
    path = os.environ.get("ILP_SCRUB_SETTINGS")
    if not path:
        return Settings()
    with open(path, encoding="utf-8") as handle:
        raw = json.load(handle)
    return Settings(
        tuple(raw["exact"]),
        tuple(raw["words"]),
        frozenset(raw["emails"]),
        bool(raw["scrub_files"]),
        tuple(raw["rename"]),
        bool(raw["only_roster"]),
    )
