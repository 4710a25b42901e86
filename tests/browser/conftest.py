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
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
"""axe-core, pinned in package.json beside this file and installed by `make browser` (npm ci)."""


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


@pytest.fixture(scope="session")
def axe_script() -> str:
    """axe-core's source, to load into pages; a missing install skips (fails on CI)."""
    if not AXE.exists():
        message = f"axe-core is not installed at {AXE}: run `make browser` (npm ci)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def axe_violations(axe_script: str):
    """Return a function that runs axe-core on a page and describes each violation in one line.

    The rules are axe's defaults (WCAG 2.x A and AA, and its best practices); a line names the
    rule, its impact, how many elements break it and the first of them, so a failure says where.
    """

    def check(page: Any) -> list[str]:
        page.add_script_tag(content=axe_script)
        found = page.evaluate("async () => (await axe.run(document)).violations")
        return [
            f"{item['id']} ({item['impact']}, {len(item['nodes'])}x): {item['help']}"
            f" at {item['nodes'][0]['target']}"
            for item in found
        ]

    return check
