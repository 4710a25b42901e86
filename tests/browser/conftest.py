"""Browser tests drive Debian's chromium through playwright against a live Django server."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).parent / "screenshots"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch the system chromium (never a downloaded browser) with flags for a closed network."""
    executable = shutil.which("chromium")
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed: `make browser` installs Debian's chromium")
        pytest.skip("chromium is not installed: run `make browser` (Debian's chromium package)")
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def shoot():
    """Return a function that saves a full-page screenshot under tests/browser/screenshots/."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(page: Any, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        try:
            page.screenshot(path=str(path), full_page=True)
        except PlaywrightError:
            # Chromium can fail to capture a long page whole while two browsers share a busy
            # machine (pytest -n); the visible part still documents the step.
            page.screenshot(path=str(path))
        return path

    return take
