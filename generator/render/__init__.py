"""Stage 5: what one audience may see -> the pages of its sites (pure; no MkDocs, no loader)."""
