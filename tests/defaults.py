"""The runner's default settings, which the tests pass to the engines explicitly."""

from __future__ import annotations

from backstride.config import Settings

#: The default shoe-inspection distance: the one in `Settings`, never typed again.
SHOE_INSPECTION_KM: float = Settings.model_fields["shoe_inspection_km"].default
