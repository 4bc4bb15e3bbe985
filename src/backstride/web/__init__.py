"""Web shell (FastAPI app factory, pages, JSON API)."""
