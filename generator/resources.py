"""Where the generator's own files are: the theme and the sample district (with the built-in frameworks
and the reference data), in a source checkout beside the package, in an installed wheel inside it.

The wheel installs the repository's `mkdocs.yml`, `theme/`, `content/`, `curriculum/` and `students/`
as `generator/data/` (see pyproject.toml); a source checkout or an editable install reads them where
they are.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jinja2

PACKAGE = Path(__file__).resolve().parent
_INSTALLED = PACKAGE / "data"

# The sample district: mkdocs.yml, content/, curriculum/ (frameworks, reference data, lessons), students/.
SAMPLE = _INSTALLED if (_INSTALLED / "mkdocs.yml").is_file() else PACKAGE.parent
THEME_DIR = SAMPLE / "theme"
FRAMEWORKS = {
    "rhode-island": SAMPLE / "curriculum" / "framework.yml",
    "kentucky": SAMPLE / "curriculum" / "frameworks" / "kentucky.yml",
}
REFERENCE_DIR = SAMPLE / "curriculum" / "reference"


@functools.cache
def starter_templates() -> jinja2.Environment:
    """The templates `ilp new` writes a student's folder from (generator/templates/new), with the `yaml`
    filter (a JSON string is a valid YAML scalar): one environment for `ilp new`, `ilp promote`, the
    starter-text check and the dashboard's starter column. Jinja2 is loaded here, when a template is first
    needed (`ilp check` seldom needs one)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates/new"),
        autoescape=False,  # noqa: S701 - these templates write YAML and Markdown, not HTML
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["yaml"] = lambda value: json.dumps(value, ensure_ascii=False)
    return env
