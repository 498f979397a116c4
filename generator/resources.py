"""Where the generator's own files are: the theme and the sample district (with the built-in frameworks
and the reference data), in a source checkout beside the package, in an installed wheel inside it.

The wheel installs the repository's `mkdocs.yml`, `theme/`, `content/`, `curriculum/` and `students/`
as `generator/data/` (see pyproject.toml); a source checkout or an editable install reads them where
they are.
"""

from __future__ import annotations

from pathlib import Path

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
