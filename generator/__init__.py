"""ilp-portfolio: Individual Learning Plans kept as Markdown and YAML in git, built into static sites."""

__version__ = "0.1.0"
