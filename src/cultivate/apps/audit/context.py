"""The address the current request came from, for the audit entries its services write.

Services do not see the request; the middleware (config/middleware.py) puts its address here
for the length of the request, and a job run by a worker has none (its entry says so).
"""

from __future__ import annotations

from contextvars import ContextVar

request_address: ContextVar[str | None] = ContextVar("request_address", default=None)
