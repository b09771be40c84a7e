"""Debian's Chromium, headless, for the browser tests: one way to start it everywhere."""

import os

from playwright.sync_api import Browser, Playwright

CHROMIUM = os.environ.get("PARCELCARE_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def launch(playwright: Playwright) -> Browser:
    """A new headless Chromium."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
