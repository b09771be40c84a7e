"""The Content-Security-Policy on every page, and the log filter that masks link tokens.

Pages load scripts and styles from our own static files only; the few `<style>` blocks that
carry a shop's brand colour use the per-request nonce (`request.csp_nonce`)."""

import logging
import re
import secrets
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'nonce-{nonce}'",
    # Shops' logos live on their own https hosts; e-mail previews inline small images.
    "img-src": "'self' data: https:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "frame-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

MAIL_PREVIEW_PAGES = frozenset({"outbox_message", "message_edit"})
"""Pages that show a rendered e-mail in a sandboxed srcdoc frame. Such a frame inherits the
page's policy, and e-mail HTML must style through attributes (mail clients drop style sheets),
so these pages allow style attributes; scripts stay blocked, and the frame is sandboxed."""


def policy_for(request: HttpRequest) -> str:
    """The policy header's value for this request's page."""
    directives = dict(POLICY)
    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name in MAIL_PREVIEW_PAGES:
        directives["style-src-attr"] = "'unsafe-inline'"
    nonce = getattr(request, "csp_nonce", "")
    return "; ".join(f"{name} {value.format(nonce=nonce)}" for name, value in directives.items())


class ContentSecurityPolicy:
    """Give each request a nonce and each HTML response the policy that names it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Set the nonce, run the view, add the header to a page unless the view set its own."""
        request.csp_nonce = secrets.token_urlsafe(16)  # type: ignore[attr-defined]
        response = self.get_response(request)
        # Only pages get it: on a PDF, Chromium's viewer would fall under the policy too.
        html = response.get("Content-Type", "").startswith("text/html")
        if html and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy_for(request)
        return response


TOKEN_PATH = re.compile(r"(/(?:t|c|u|r)/)[A-Za-z0-9_\-]{6,}")
"""A link token in a path: /t/<token> (tracking), /c/<token> (case), /u/<token> (opt-out),
/r/<token> (returns)."""
MASK = r"\1***"


def mask_tokens(text: str) -> str:
    """The text with every link token in a path replaced by ***."""
    return TOKEN_PATH.sub(MASK, text)


class MaskLinkTokens(logging.Filter):
    """Rewrite each record's message so no link token reaches a log handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask the formatted message (and any exception text); never drop the record."""
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        masked = mask_tokens(message)
        if masked != message:
            record.msg, record.args = masked, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_tokens(record.exc_text)
        return True


def _granian_handler(formatter: str) -> dict[str, object]:
    return {
        "formatter": formatter,
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stdout",
        "filters": ["link_tokens"],
    }


GRANIAN_LOGGING = {
    "filters": {"link_tokens": {"()": "parcelcare.security.MaskLinkTokens"}},
    "handlers": {"console": _granian_handler("generic"), "access": _granian_handler("access")},
}
"""The web server's own log handlers with the same filter, should its access log be turned on."""
