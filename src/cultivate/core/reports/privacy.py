"""What a report must not carry: e-mail addresses (a report is shared, and mail archives name
people by address when they give no name)."""

from __future__ import annotations

import re

_ADDRESS = re.compile(r"([A-Za-z0-9._%+-]+)@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def without_addresses(text: str) -> str:
    """Cut every e-mail address to its part before the @ ("ana@…")."""
    return _ADDRESS.sub(lambda match: f"{match.group(1)}@…", text)
