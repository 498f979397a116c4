"""The YAML loader every file is read with: PyYAML's safe loader, libyaml's when PyYAML has it (pure)."""

from __future__ import annotations

import yaml
from yaml.nodes import ScalarNode

# libyaml's parser when PyYAML was built with it (about ten times faster), else the pure-Python one.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVED: dict[str, str] = {}  # a plain scalar's implicit tag, by its text (short texts, which come back)


class SafeLoader(_Base):  # type: ignore[misc,valid-type]
    """The safe loader, with the tag of each short plain scalar (keys, words, numbers, dates) worked out once:
    PyYAML's resolver tries its patterns on every scalar, and the tag depends only on the text (this loader
    has no path resolvers)."""

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is not ScalarNode or not implicit[0] or len(value) > 64:
            return str(super().resolve(kind, value, implicit))
        tag = _RESOLVED.get(value)
        if tag is None:
            tag = _RESOLVED[value] = str(super().resolve(kind, value, implicit))
            if len(_RESOLVED) > 50_000:
                _RESOLVED.clear()
        return tag
