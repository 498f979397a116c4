"""The versions of the libraries the pages are made with, for the build cache's key (generator/site/cache.py):
after an upgrade, nothing is kept."""

from __future__ import annotations

import os
import re
import sys

LIBRARIES = ("mkdocs", "markdown-it-py", "mdit-py-plugins", "jinja2", "markupsafe", "nh3", "pyyaml", "babel")


def versions() -> str:
    """Each of LIBRARIES with its installed version, from the names of the `.dist-info` folders on the
    path, as importlib.metadata finds them (the first on the path), without importing it; a library
    found no such way is asked of importlib.metadata."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for item in names:
            if item.endswith(".dist-info") and "-" in item:
                name, _, version = item.removesuffix(".dist-info").partition("-")
                found.setdefault(_normal(name), version)
    versions = []
    for name in LIBRARIES:
        seen = found.get(_normal(name))
        versions.append(f"{name}={seen if seen is not None else _asked(name)}")
    return " ".join(versions)


def _asked(name: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def _normal(name: str) -> str:
    """A distribution's name as its `.dist-info` folder writes it (PEP 503, with underscores)."""
    return re.sub(r"[-_.]+", "_", name).lower()
