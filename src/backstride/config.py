"""Settings, built once at the edge (CLI/web start-up) and passed inward."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from platformdirs import user_data_dir
from pydantic import BaseModel, ConfigDict, Field, model_validator

ENV_PREFIX = "BACKSTRIDE_"


def _default_home() -> Path:
    return Path(user_data_dir("backstride", appauthor=False))


class Settings(BaseModel):
    """Configuration from `BACKSTRIDE_*` environment variables.

    `BACKSTRIDE_HOME` moves the whole data directory (tests and scripts rely on that name);
    `BACKSTRIDE_DATABASE_URL` selects any SQLAlchemy URL (SQLite in HOME by default).
    A value passed to the constructor wins over the environment; names match whatever
    their case (the rules pydantic-settings had, without its import, which cost a start-up
    a tenth of a second).
    """

    model_config = ConfigDict(extra="ignore", validate_default=True)

    home: Path = Field(default_factory=_default_home)
    database_url: str | None = None
    shoe_inspection_km: float = Field(default=600.0, ge=100.0, le=2000.0)
    max_file_bytes: int = Field(default=200 * 1024 * 1024, gt=0)
    max_upload_bytes: int = Field(default=512 * 1024 * 1024, gt=0)  # one web upload request
    max_archive_total_bytes: int = Field(default=4 * 1024 * 1024 * 1024, gt=0)
    max_compression_ratio: float = Field(default=200.0, gt=1.0)
    workers: int | None = Field(default=None, ge=1)
    # The web server (see the web API spec): who may register, which Host headers are
    # accepted, where the server is publicly reached, and the emergency call number.
    registration: Literal["first", "invite", "open"] = "first"
    allowed_hosts: str = "localhost,127.0.0.1,[::1]"
    public_url: str | None = None
    emergency_number: str = "112"

    @model_validator(mode="before")
    @classmethod
    def _from_environment(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        fields = {f"{ENV_PREFIX}{name}".lower(): name for name in cls.model_fields}
        found = {fields[k.lower()]: v for k, v in os.environ.items() if k.lower() in fields}
        return {**found, **data}

    @property
    def resolved_database_url(self) -> str:
        """The database URL: the configured one, else SQLite inside `home`."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'backstride.sqlite3'}"

    @property
    def samples_dir(self) -> Path:
        """Where compressed per-activity sample arrays live, beside the database."""
        return self.home / "samples"


def load_settings() -> Settings:
    """Read settings from the environment (the only place the environment is read)."""
    return Settings()
