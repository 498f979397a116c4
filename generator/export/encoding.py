"""The bytes of an exported JSON document: one encoding, so the same record always gives the same file."""

from __future__ import annotations

import json
from typing import Any


def dumps(doc: dict[str, Any]) -> str:
    """`doc` as the text of a `.json` file: keys in the builders' order, UTF-8 text, two-space indent."""
    return json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def compact(doc: dict[str, Any]) -> bytes:
    """`doc` as compact UTF-8 JSON bytes (a JWS header or payload)."""
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
