"""The real community data the CLI tests read (the same fixture as tests/core/connectors)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

DEFAULT_DATA = Path(__file__).parents[2].parent / "shared" / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """Return the shared data folder (env CULTIVATE_DATA); skip without it, but fail in CI."""
    path = Path(os.environ.get("CULTIVATE_DATA") or DEFAULT_DATA)
    if not path.is_dir():
        message = f"real community data not found at {path} (set CULTIVATE_DATA to shared/data)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI must provide it")
        pytest.skip(message)
    return path
