"""Stage 2: raw documents -> the validated model, every problem collected."""
