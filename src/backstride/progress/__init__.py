"""Recovery-tracking core: diary trends, meaningful change, escalation (pure)."""
