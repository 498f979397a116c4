"""Stage 1: files on disk -> raw documents that remember their lines. The only package that reads the content folders."""
