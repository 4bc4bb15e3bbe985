"""Domain values shared by the pure core and the adapters (frozen dataclasses)."""
