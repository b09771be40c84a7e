"""/api/v1/docs renders its operations in a headless Chromium with no network beyond the server."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import ninja
import pytest
from django.test import Client
from playwright.sync_api import Route, sync_playwright

from headless import launch


def test_docs_page_loads_only_local_assets(db: None) -> None:
    html = Client().get("/api/v1/docs").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert all(a.startswith("/static/") for a in assets), assets
    assert "<script>" not in html.replace('<script type="application/json"', "")
    # `parcelcare serve` mounts this folder at /static/ninja.
    assert (Path(ninja.__file__).parent / "static" / "ninja" / "swagger-ui-bundle.js").is_file()


def test_docs_render_operations_offline(live_server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    here = urlsplit(live_server.url).netloc
    refused: list[str] = []

    def only_the_server(route: Route) -> None:
        if urlsplit(route.request.url).netloc == here:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort("internetdisconnected")

    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context()
        context.route("**/*", only_the_server)
        page = context.new_page()
        page.goto(f"{live_server.url}/api/v1/docs")
        page.wait_for_selector(".opblock", timeout=15_000)
        text = page.inner_text("#swagger-ui")
        browser.close()
    assert "parcelcare API" in text
    assert "/api/v1/tracking-events" in text and "/api/v1/orders" in text
    assert refused == []
