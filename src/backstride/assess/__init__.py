"""Assessment core: intake model, red flags, triage, patterns, questionnaires (pure)."""
