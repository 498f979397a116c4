"""Links for families without an account (pure): an unguessable path per link, from a key kept outside
the repository, and whether a link is live on a given day.

A link's path is `l/<token>/` with a 256-bit token: HMAC-SHA256 of the student, the audience, whom the
link is for and its expiry date, keyed with the district's link key. Without the key nobody can make
or guess a token; rotating the key ends every link; changing an entry (another date) makes a new one.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from generator.model import Student

PREFIX = "l"
MIN_KEY_BYTES = 32


@dataclass(frozen=True)
class Link:
    student: str
    who: str  # `for`: whom it is for (never shown in any page)
    audience: str
    expires: datetime.date
    revoked: bool
    token: str

    @property
    def path(self) -> str:
        return f"{PREFIX}/{self.token}/"

    @property
    def serves(self) -> str:
        return f"{self.audience}/{self.student}/"

    def live(self, today: datetime.date) -> bool:
        """Working through the end of its expiry date, unless revoked."""
        return not self.revoked and today <= self.expires


def token(key: bytes, student: str, entry: dict[str, Any]) -> str:
    message = "\x00".join([student, str(entry["audience"]), str(entry["for"]), str(entry["expires"])])
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


def links(student: Student, key: bytes) -> list[Link]:
    return [
        Link(
            student.id,
            str(entry["for"]),
            str(entry["audience"]),
            datetime.date.fromisoformat(str(entry["expires"])),
            bool(entry.get("revoked", False)),
            token(key, student.id, entry),
        )
        for entry in student.links
    ]
