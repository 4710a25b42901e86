"""Browser tests drive Debian's chromium through playwright against a live Django server."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError

from .screens import SCREENS, WIDER, Screen, axe_run

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


@pytest.fixture(params=list(SCREENS))
def screen(request: pytest.FixtureRequest, browser: Any, live_server: Any) -> Screen:
    """Run the flow on a desktop and again on a phone (`shoot` checks each step fits)."""
    return Screen(name=request.param, browser=browser, base_url=live_server.url)


PAGE_WIDTH = "document.documentElement ? document.documentElement.scrollWidth : null"


@pytest.fixture
def shoot(axe_script: str):
    """Return a function that checks a flow's step and saves a full-page screenshot of it.

    Each step must fit its screen (no sideways scrolling, naming what sticks out) and pass
    axe-core's checks; the picture goes to tests/browser/screenshots/<name>-<width>.png.
    """
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(page: Any, name: str) -> Path:
        # A click that navigates returns before the new document exists; measuring then
        # reads a page with no root element. (A flow waits for what the click shows first.)
        page.wait_for_load_state("load")
        page.wait_for_function("document.documentElement !== null")
        width = page.viewport_size["width"]
        wide = page.evaluate(PAGE_WIDTH)
        assert wide is not None, f"{name}: the page went away while it was measured"
        assert wide <= width, f"{name}: {wide} px wide at {width} px ({page.evaluate(WIDER)})"
        problems = axe_run(page, axe_script)
        assert not problems, f"{name} at {width} px: " + "; ".join(problems)
        path = SCREENSHOTS / f"{name}-{width}.png"
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
    """Return a function that runs axe-core on a page (`axe_run`)."""
    return lambda page: axe_run(page, axe_script)
