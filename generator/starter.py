"""Whether a student's page is still a section's starter page, as `ilp new` or `ilp promote` wrote it (pure).

Both write a section's page from `generator/templates/new/section.md.j2` (through
`resources.starter_templates()`): the section's purpose, its prompts and the activities of a grade in that
section (for `ilp promote`, those not done yet). A page whose body is, token for token, what that template
renders for the activities it names (in the framework's order) has not been written yet. The comparison is
on the parser's own tokens (type, tag, text and info, not lines or spacing), so re-wrapping the file or
changing its title does not count as writing it. The starter-text check (generator/check/starter.py) and
the dashboard's starter column (generator/render/starter.py) both ask here.
"""

from __future__ import annotations

import functools
import re

from generator import resources
from generator.markdown.document import Document, parse
from generator.model import Activity, Framework, Page, Section

Signature = tuple[tuple[str, str, str, str], ...]


def signature(doc: Document) -> Signature:
    """What a body says, block by block (the blocks it holds), without its lines."""
    tokens = doc.tokens
    return tuple(
        (t.type, t.tag, t.content.strip(), t.info) for block in doc.kept_blocks for t in tokens[block.start : block.end]
    )


@functools.lru_cache(maxsize=256)
def _starter(section: Section, activities: tuple[Activity, ...]) -> Signature:
    """The signature of the section's starter page for these activities (front matter aside)."""
    template = resources.starter_templates().get_template("section.md.j2")
    rendered = template.render(section=section, prompts=section.prompts, activities=list(activities))
    return signature(parse(rendered.split("---\n", 2)[2]))


def is_starter_page(page: Page, framework: Framework) -> bool:
    """Whether a page's body is, word for word, its section's starter page (front matter aside).

    The page is rendered again with the activities it names, in the framework's order, as `ilp new`
    and `ilp promote` render it for the activities of a grade."""
    section = framework.section(page.section)
    first = next((t for t in page.doc.tokens if t.type == "inline"), None)
    if section is None or first is None or first.content.strip() != section.purpose.strip():
        return False
    text = "\n".join(t.content for t in page.doc.tokens)
    named = tuple(
        a
        for a in framework.activities.values()
        if a.section == section.id and re.search(rf"activity: {re.escape(a.id)}(?![\w-])", text)
    )
    return _starter(section, named) == signature(page.doc)
