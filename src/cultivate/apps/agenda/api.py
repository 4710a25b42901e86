"""REST endpoints for the agenda and help requests, mounted on the one API in config/urls.py."""

from ninja import Router

router = Router(tags=["agenda"])
