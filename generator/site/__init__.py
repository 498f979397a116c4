"""Stage 6: pages -> MkDocs build, the output folder and the atomic swap. The only package that imports MkDocs."""
