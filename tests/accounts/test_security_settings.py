"""HTTPS settings from the environment, the headers every response carries, tokens kept out of
the logs."""

import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client

from parcelcare.security import MaskLinkTokens, mask_tokens

SRC = Path(__file__).resolve().parents[2] / "src"
TOKEN = "Zq8v3Kx1Lm9Pw2Rt7Yb4Nc"

PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.test import Client
response = Client().get("/login/", headers={"x-forwarded-proto": "https"})
print(json.dumps({
    "session": settings.SESSION_COOKIE_SECURE,
    "csrf": settings.CSRF_COOKIE_SECURE,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "proxy": settings.SECURE_PROXY_SSL_HEADER,
    "sts_header": response.headers.get("Strict-Transport-Security"),
    "csrf_cookie_secure": bool(response.cookies["csrftoken"]["secure"]),
}))
"""


def probe(**env: str) -> dict[str, object]:
    """Settings and one served page of a fresh process with these PARCELCARE_* variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PARCELCARE_HTTPS")}
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={
            **clean,
            "PYTHONPATH": str(SRC),
            "DJANGO_SETTINGS_MODULE": "parcelcare.settings",
            **{f"PARCELCARE_{k}": v for k, v in env.items()},
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_https_turns_on_secure_cookies_hsts_and_the_proxy_header() -> None:
    on = probe(HTTPS="1")
    assert on == {
        "session": True,
        "csrf": True,
        "hsts": 31536000,
        "proxy": ["HTTP_X_FORWARDED_PROTO", "https"],
        "sts_header": "max-age=31536000",
        "csrf_cookie_secure": True,
    }
    off = probe()
    assert (off["session"], off["csrf"], off["hsts"], off["proxy"]) == (False, False, 0, None)
    assert off["sts_header"] is None and off["csrf_cookie_secure"] is False
    tuned = probe(HTTPS="1", HSTS_SECONDS="600", HSTS_INCLUDE_SUBDOMAINS="1")
    assert tuned["sts_header"] == "max-age=600; includeSubDomains"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/login/", f"/t/{TOKEN}", "/api/v1/docs"])
def test_pages_carry_the_policy_and_the_other_headers(path: str) -> None:
    response = Client().get(path)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self';" in policy
    assert "frame-ancestors 'none'" in policy and "'unsafe-inline'" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_each_page_gets_its_own_nonce() -> None:
    first, second = Client().get("/login/"), Client().get("/login/")
    assert first["Content-Security-Policy"] != second["Content-Security-Policy"]
    nonce = first["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'"inlineStyleNonce": "{nonce}"' in first.content.decode()


@pytest.fixture(name="console")
def console_fixture() -> Iterator[io.StringIO]:
    """What the configured console handler writes, while the test runs."""
    handlers = [
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.StreamHandler)
        and any(isinstance(f, MaskLinkTokens) for f in h.filters)
    ]
    assert len(handlers) == 1, "settings.LOGGING gives the console handler the token filter"
    stream = io.StringIO()
    old = handlers[0].setStream(stream)
    yield stream
    handlers[0].setStream(old)  # type: ignore[arg-type]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", [f"/c/{TOKEN}", f"/c/{TOKEN}/confirm", f"/t/{TOKEN}/updates", f"/t/{TOKEN}/report"]
)
def test_csrf_failure_logs_the_path_without_its_token(console: io.StringIO, path: str) -> None:
    response = Client(enforce_csrf_checks=True).post(path, {"choice": "refund"})
    assert response.status_code == 403
    logged = console.getvalue()
    assert "Forbidden (CSRF cookie not set.)" in logged
    assert path.replace(TOKEN, "***") in logged
    assert TOKEN not in logged
    # Our own failure page keeps to the policy: no inline style or script.
    assert "Content-Security-Policy" in response
    assert "<style" not in response.content.decode() and "<script" not in response.content.decode()


@pytest.mark.django_db
def test_not_found_and_own_loggers_are_masked_too(console: io.StringIO) -> None:
    assert Client().get(f"/r/{TOKEN}").status_code == 404
    assert Client().post(f"/u/{TOKEN}").status_code == 404  # one-click opt-out: no CSRF check
    logging.getLogger("parcelcare.test").warning("opened %s", f"/t/{TOKEN}?lang=nl")
    try:
        raise ValueError(f"no case at /c/{TOKEN}")
    except ValueError:
        logging.getLogger("parcelcare.test").exception("failed")
    logged = console.getvalue()
    assert "Not Found: /r/***" in logged and "Not Found: /u/***" in logged
    assert "opened /t/***?lang=nl" in logged
    assert "no case at /c/***" in logged
    assert TOKEN not in logged


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"POST /c/{TOKEN}/confirm HTTP/1.1", "POST /c/***/confirm HTTP/1.1"),
        (f"https://shop.example/t/{TOKEN}", "https://shop.example/t/***"),
        ("/track/12 and /cases/4/ and /t/", "/track/12 and /cases/4/ and /t/"),
        ("/static/parcelcare/app.css", "/static/parcelcare/app.css"),
    ],
)
def test_mask_tokens(text: str, masked: str) -> None:
    assert mask_tokens(text) == masked


GRANIAN_ACCESS = f"""
import time
from granian.log import DEFAULT_ACCESSLOG_FMT, LogLevels, configure_logging, log_request_builder
from parcelcare.security import GRANIAN_LOGGING
configure_logging(LogLevels.info, GRANIAN_LOGGING)
request = {{"addr_remote": "192.0.2.1", "path": "/c/{TOKEN}/confirm", "qs": "", "method": "POST",
           "scheme": "http", "protocol": "HTTP/1.1", "headers": lambda name: None}}
log_request_builder(DEFAULT_ACCESSLOG_FMT)(time.time(), time.perf_counter(), request, 403)
"""


def test_the_web_servers_access_log_is_masked_too() -> None:
    out = subprocess.run(
        [sys.executable, "-c", GRANIAN_ACCESS],
        env={**os.environ, "PYTHONPATH": str(SRC)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert '"POST /c/***/confirm HTTP/1.1" 403' in out
    assert TOKEN not in out
