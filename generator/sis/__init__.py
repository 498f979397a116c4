"""Rostering from the SIS: OneRoster 1.2 CSV bundles read into the roster and the profiles."""
