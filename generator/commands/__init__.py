"""The commands besides build: check, new, serve, conference, demo, reference."""
