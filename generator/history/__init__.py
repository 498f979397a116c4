"""Stage 4: git -> the change record. The only package that imports git."""
