"""REST endpoints for practices, mounted on the one API in config/urls.py."""

from ninja import Router

router = Router(tags=["practices"])
