"""Stage 3: the model x an audience -> what that audience may see (pure)."""
