"""Debian's Chromium, headless, for the browser tests: one way to start it everywhere."""

import os

from playwright.sync_api import Browser, Playwright

CHROMIUM = os.environ.get("PARCELCARE_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
FAKED_CLOCK = ("LD_PRELOAD", "FAKETIME", "FAKETIME_DONT_FAKE_MONOTONIC")
"""A suite run under faketime keeps it out of the browser, which stalls under a faked clock;
the pages' times come from the server's pinned clock anyway."""


def launch(playwright: Playwright) -> Browser:
    """A new headless Chromium on the real clock."""
    env = {key: value for key, value in os.environ.items() if key not in FAKED_CLOCK}
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, env=env)
