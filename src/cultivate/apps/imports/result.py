"""What one import run did, as the command line prints it and the web job stores it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ImportResult:
    """What one run did: rows created by kind, activities already there, and what was left out."""

    source: str
    path: str
    activities: int = 0
    created: Counter[str] = field(default_factory=Counter)
    already_imported: int = 0
    not_imported: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """Return the result as JSON-ready data (the web job stores it)."""
        return {
            "source": self.source,
            "activities": self.activities,
            "created": dict(self.created),
            "already_imported": self.already_imported,
            "not_imported": dict(self.not_imported),
            "seconds": round(self.seconds, 2),
        }
