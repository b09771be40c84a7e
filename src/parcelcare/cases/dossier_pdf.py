"""The dispute dossier as a printable page and a PDF: A4, the shop's name and colour in the
header, page numbers, labels in the shop's language, the customer's photos embedded.

Also the template library of the dossier's own filters (`when`, `label`, `compact`).
"""

import base64
import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
from django import template
from django.http import HttpResponse
from django.template import Context, Engine
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

from parcelcare.domain.notify_policy import MessageKind
from parcelcare.integrations.carriers.names import carrier_name
from parcelcare.messaging import labels as message_labels
from parcelcare.tracking import labels as tracking_labels
from parcelcare.tracking.zone_words import zone_label

from . import labels
from .dossier import build_dossier
from .models import Attachment, Case

TEMPLATES = Path(__file__).resolve().parent / "templates"
THUMBNAIL = (640, 640)
LOGO_BYTES = 512 * 1024
LOGO_TIMEOUT = 3.0

register = template.Library()


def _table(table: Mapping[str, Any]) -> Callable[[str], str]:
    return lambda key: str(table.get(key, key))


CASE_MESSAGES: dict[str, Any] = {
    MessageKind.CASE_RECEIVED: gettext_lazy("Report received"),
    MessageKind.CASE_REQUEST: gettext_lazy("Request to the customer"),
    MessageKind.CASE_REPLY: gettext_lazy("Reply from the shop"),
    MessageKind.CASE_RESOLVED: gettext_lazy("Case resolved"),
}


def _outbox_status(status: str) -> str:
    from parcelcare.messaging.views import LABELS

    return str(LABELS.get(status, status))


def _message_kind(kind: str) -> str:
    return str(CASE_MESSAGES[kind]) if kind in CASE_MESSAGES else message_labels.kind_label(kind)


def _carrier(slug: str) -> str:
    return carrier_name(slug)


LABELLERS: dict[str, Callable[[str], str]] = {
    "kind": labels.kind_label,
    "status": labels.status_label,
    "playbook": labels.playbook_label,
    "step": labels.step_label,
    "actor": labels.actor_words,
    "remedy": labels.remedy_label,
    "pod": _table(labels.POD_LABELS),
    "claim": _table(labels.CLAIM_STATUS_LABELS),
    "shipment": tracking_labels.status_label,
    "message": _message_kind,
    "carrier": _carrier,
    "channel": message_labels.sent_channel_label,
    "outbox": _outbox_status,
}
"""Label groups the template can ask for: `{{ value|label:"kind" }}`."""


@register.filter
def when(value: Any) -> str:
    """An ISO moment in the shop's time zone, as the shop's language writes it."""
    return tracking_labels.when(value) if value else "—"


@register.filter
def label(value: Any, group: str) -> str:
    """A machine value in words; unknown values are shown as they are."""
    if value in (None, ""):
        return "—"
    return LABELLERS[group](str(value))


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_plain(item)}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_plain(item) for item in value)
    return "—" if value is None or value == "" else str(value)


@register.filter
def compact(value: Any) -> str:
    """A before or after value of the audit trail on one short line: "status: resolved"."""
    if value in (None, {}, []):
        return ""
    text = _plain(value)
    return text if len(text) <= 160 else f"{text[:157]}…"


ENGINE = Engine(
    dirs=[str(TEMPLATES)],
    builtins=["django.templatetags.i18n", __name__],
    autoescape=True,
)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _data_uri(content_type: str, data: bytes) -> str:
    return f"data:{content_type};base64,{base64.b64encode(data).decode()}"


def _thumbnail(data: bytes) -> str | None:
    """A JPEG thumbnail as a data URI, or None for a format Pillow cannot read (HEIF)."""
    try:
        with Image.open(BytesIO(data)) as image:
            small = ImageOps.exif_transpose(image).convert("RGB")
            small.thumbnail(THUMBNAIL)
            out = BytesIO()
            small.save(out, "JPEG", quality=80)
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    return _data_uri("image/jpeg", out.getvalue())


def thumbnails(photo_ids: list[int]) -> dict[int, str | None]:
    """Photo id -> embedded thumbnail, read from the database."""
    rows = Attachment.objects.filter(id__in=photo_ids).values_list("id", "data")
    return {pk: _thumbnail(bytes(data)) for pk, data in rows}


def _photos(photos: list[dict[str, Any]]) -> list[dict[str, Any]]:
    small = thumbnails([p["id"] for p in photos])
    return [{**p, "src": small.get(p["id"])} for p in photos]


def _logo(url: str) -> str:
    """The shop's https logo embedded, so rendering never reaches out; "" when unavailable."""
    if not url:
        return ""
    try:
        answer = httpx.get(url, timeout=LOGO_TIMEOUT, follow_redirects=False)
    except httpx.HTTPError:
        return ""
    kind = answer.headers.get("content-type", "").split(";")[0].strip()
    if (
        answer.status_code != 200
        or not kind.startswith("image/")
        or len(answer.content) > LOGO_BYTES
    ):
        return ""
    return _data_uri(kind, answer.content)


def _reasons(dossier: dict[str, Any]) -> list[str]:
    currency = dossier["order"]["total"]["currency"]
    return [
        labels.reason_sentence(str(r.get("key", "")), r.get("detail") or {}, currency)
        for r in dossier["remedy"]["reasons"]
    ]


def render_html(dossier: dict[str, Any]) -> str:
    """The dossier as one HTML page with print CSS, in the shop's language and time zone."""
    shop = dossier["shop"]
    with translation.override(dossier["language"]), timezone.override(_zone(shop["timezone"])):
        context = {
            "d": dossier,
            "logo": _logo(shop["logo_url"]),
            "photos": _photos(dossier["photos"]),
            "reasons": _reasons(dossier),
            "zone": zone_label(
                shop["timezone"], now=datetime.fromisoformat(dossier["generated_at"])
            ),
        }
        return ENGINE.get_template("dossier/dossier.html").render(Context(context))


def render_pdf(dossier: dict[str, Any]) -> bytes:
    """The dossier as a PDF (WeasyPrint); every image is embedded, nothing is fetched."""
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # a line per step
    from weasyprint import HTML

    pdf = HTML(string=render_html(dossier), base_url=str(TEMPLATES)).write_pdf()
    assert pdf is not None  # without a target, write_pdf returns the bytes
    return bytes(pdf)


def dossier_filename(dossier: dict[str, Any]) -> str:
    """The file name from the case reference and order number: dossier-C-12-2001.pdf."""
    parts = [dossier["case"]["reference"], dossier["order"]["number"]]
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in "-".join(parts))
    return f"dossier-{safe}.pdf"


def pdf_response(case: Case, now: datetime, language: str = "") -> HttpResponse:
    """The case's dossier as a PDF download, for the API and the agent pages alike."""
    dossier = build_dossier(case, now=now, language=language)
    response = HttpResponse(render_pdf(dossier), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{dossier_filename(dossier)}"'
    return response
