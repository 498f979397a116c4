"""One student's portable record: the Comprehensive Learner Record, the JSON Resume, the self-contained site (pure builders; commands/ writes them)."""
