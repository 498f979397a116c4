"""Pages still holding the starter text `ilp new` wrote (pure).

`ilp new` writes each section's `index.md` from `generator/templates/new/section.md.j2`: the section's
purpose, its prompts and the activities of the student's grade in that section. A page whose body is,
block for block, what that template renders (for any grade of the framework, or none) has not been
written yet. The comparison is on the parser's own tokens (type and text, not lines or spacing), so
re-wrapping the file or changing its title does not count as writing it.
"""

from __future__ import annotations

import jinja2

from generator import resources
from generator.markdown.document import Document, parse
from generator.model import Framework, Student

Signature = tuple[tuple[str, str], ...]


def _template() -> jinja2.Template:
    return resources.starter_templates().get_template("section.md.j2")


def _signature(doc: Document) -> Signature:
    tokens = doc.tokens
    return tuple(
        (token.type, token.content.strip()) for block in doc.kept_blocks for token in tokens[block.start : block.end]
    )


def _body(text: str) -> str:
    """The text after the front matter."""
    if text.startswith("---\n"):
        _, _, rest = text[4:].partition("\n---\n")
        return rest
    return text


def starter_signatures(framework: Framework) -> dict[str, frozenset[Signature]]:
    """Section id -> the bodies `ilp new` may have written for it (one per grade's activities, and none)."""
    found: dict[str, frozenset[Signature]] = {}
    for section in framework.sections:
        choices = {()} | {tuple(a for a in plan.activities if a.section == section.id) for plan in framework.grades}
        texts = (
            _template().render(section=section, prompts=section.prompts, activities=list(activities))
            for activities in choices
        )
        found[section.id] = frozenset(_signature(parse(_body(text))) for text in texts)
    return found


def starter_pages(student: Student, framework: Framework) -> list[str]:
    """The names (in the student's folder, such as 'self-awareness/index.md') of the pages whose body
    is still the starter text of `ilp new`, sorted."""
    signatures = _cached_signatures(framework)
    found = []
    for page in student.pages:
        section, _, rest = page.name.partition("/")
        if rest == "index.md" and _signature(page.doc) in signatures.get(section, frozenset()):
            found.append(page.name)
    return sorted(found)


_CACHE: dict[int, tuple[Framework, dict[str, frozenset[Signature]]]] = {}


def _cached_signatures(framework: Framework) -> dict[str, frozenset[Signature]]:
    """The signatures of one framework, rendered once (frameworks hold dicts: cached by identity)."""
    held = _CACHE.get(id(framework))
    if held is None or held[0] is not framework:
        held = (framework, starter_signatures(framework))
        _CACHE.clear()
        _CACHE[id(framework)] = held
    return held[1]
