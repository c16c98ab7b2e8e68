"""The HTTP API and web form (FastAPI)."""
