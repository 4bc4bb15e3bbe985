"""The API's open routes (health) and its OpenAPI document under /api/v1."""

from __future__ import annotations

from fastapi import APIRouter

from backstride import __version__
from backstride.web.models import HealthOut

router = APIRouter()


@router.get("/api/v1/health")
def health() -> HealthOut:
    """Whether the server is up, its version and the knowledge base it serves."""
    from backstride.services.assessment import knowledge_base

    return HealthOut(status="ok", version=__version__, knowledge_base=knowledge_base().version)


@router.get("/api/health", include_in_schema=False)
def health_alias() -> HealthOut:
    """The older address of the health check."""
    return health()
