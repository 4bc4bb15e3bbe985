"""Plan core: phases, exercise prescription, return-to-run, prevention (pure)."""
