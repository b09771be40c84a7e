"""The demo's simulated scans told in each carrier's own wire format and fed through its adapter.

PostNL, DHL, Colissimo and bpost answers go through the carriers' real parsers, then
`ingest_parsed`; the China lane arrives as signed AfterShip webhooks through the real inbox.
What a format cannot carry is lost here exactly as it would be with real data: Parcel DE times
have no seconds, and Suivi v2 and bpost states name no location. AfterShip stores its own
subtag as the code; the carrier's code travels in `raw_tag`, which the parser does not read.
"""

import json
import secrets
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape, quoteattr
from zoneinfo import ZoneInfo

from parcelcare.accounts.models import Shop
from parcelcare.accounts.services import connect_source
from parcelcare.domain.timeline import TrackingEvent
from parcelcare.integrations.carriers.aftership import codes as aftership
from parcelcare.integrations.carriers.bpost import parse as bpost
from parcelcare.integrations.carriers.colissimo import parse as colissimo
from parcelcare.integrations.carriers.dhl import parse as dhl
from parcelcare.integrations.carriers.postnl import parse as postnl
from parcelcare.integrations.carriers.registry import lookup
from parcelcare.integrations.sources import SOURCES
from parcelcare.integrations.webhooks import base64_hmac
from parcelcare.tracking.inbox import process_due, receive, secrets_for
from parcelcare.tracking.ingest import MAX_BATCH, ingest_parsed
from parcelcare.tracking.models import InboxItem

AFTERSHIP = "aftership"
VIA_AFTERSHIP = frozenset({"yunexpress", "cainiao"})
"""Carriers of the China dropshipping lane, which shops usually follow through AfterShip."""

UNKNOWN_SUBTAG = "Pending_001"
"""Stands for a carrier message the demo leaves unclassified: AfterShip's Pending_00x subtags
are left out of aftership/codes.py (meaning unconfirmed), so the scan stays unknown."""

DHL_UNIFIED_CODES = frozenset({"pre-transit", "transit", "delivered", "failure", "unknown"})
"""The `statusCode` values of DHL's Unified API; every other DHL code is a Parcel DE code."""

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://parcelcare.invalid/demo/aftership")
"""Makes each demo push's `event_id` stable: feeding one shop twice stores each push once."""

POSTNL_ZONE = ZoneInfo(postnl.ZONE)
DHL_ZONE = ZoneInfo(dhl.ZONE)


@dataclass(frozen=True, slots=True)
class Scan:
    """One simulated event of a parcel, its time still in the place's own offset."""

    at: datetime
    code: str
    description: str
    location: str


Wire = tuple[str, bytes]
"""A payload in a carrier's format, with the name of the adapter that reads it."""

PARSERS: dict[str, Callable[[bytes], list[TrackingEvent]]] = {
    "postnl": postnl.parse,
    "dhl_parcel_de": dhl.parse,
    "dhl_unified": dhl.parse,
    "colissimo": colissimo.parse,
    "bpost": bpost.parse,
}


def _subtags() -> dict[tuple[Any, Any], str]:
    """The first subtag per (status, reason); tag-level codes are not checkpoint subtags."""
    found: dict[tuple[Any, Any], str] = {}
    for subtag, meaning in aftership.CODES.items():
        if "_" in subtag:
            found.setdefault(meaning, subtag)
    return found


SUBTAGS = _subtags()


def _json(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def _postnl(number: str, scans: list[Scan]) -> list[Wire]:
    """A ShippingStatus CompleteStatus answer, newest event first, Amsterdam wall-clock times."""
    events = [
        {
            "Code": s.code,
            "Description": s.description,
            "LocationCode": s.location,
            "TimeStamp": s.at.astimezone(POSTNL_ZONE).strftime("%d-%m-%Y %H:%M:%S"),
        }
        for s in reversed(scans)
    ]
    shipment = {"MainBarcode": number, "Barcode": number, "Event": events}
    return [("postnl", _json({"CompleteStatus": {"Shipment": shipment}}))]


def _dhl(number: str, scans: list[Scan]) -> list[Wire]:
    """Parcel DE XML for its own codes; Unified JSON for a Unified `statusCode` such as unknown."""
    parcel_de = [s for s in scans if s.code not in DHL_UNIFIED_CODES]
    unified = [s for s in scans if s.code in DHL_UNIFIED_CODES]
    wires = [("dhl_parcel_de", _dhl_parcel_de(number, parcel_de))] if parcel_de else []
    if unified:
        wires.append(("dhl_unified", _dhl_unified(number, unified)))
    return wires


def _dhl_parcel_de(number: str, scans: list[Scan]) -> bytes:
    """A d-get-piece-detail answer: two-letter standard codes, five-letter ICE codes apart."""
    rows = []
    for s in scans:
        standard, ice = (s.code, "") if len(s.code) == 2 else ("", s.code)
        stamp = s.at.astimezone(DHL_ZONE).strftime("%d.%m.%Y %H:%M")
        text = quoteattr(s.description)
        rows.append(
            f'<data name="piece-event" event-timestamp="{stamp}" event-status={text}'
            f" event-text={text} ice={quoteattr(ice)} standard-event-code={quoteattr(standard)}"
            f' event-location={quoteattr(s.location)} event-country="" ruecksendung="false"/>'
        )
    code = quoteattr(number)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<data name="piece-shipment-list" code="0">'
        f'<data name="piece-shipment" error-status="0" piece-code={code}'
        f" searched-piece-code={code}>"
        f'<data name="piece-event-list">{"".join(rows)}</data></data></data>'
    ).encode()


def _dhl_unified(number: str, scans: list[Scan]) -> bytes:
    """A Shipment Tracking - Unified answer of the parcel-de service, newest event first."""
    events = [
        {
            "timestamp": s.at.isoformat(),
            "location": {"address": {"addressLocality": s.location}},
            "statusCode": s.code,
            "description": s.description,
        }
        for s in reversed(scans)
    ]
    return _json({"shipments": [{"id": number, "service": "parcel-de", "events": events}]})


def _colissimo(number: str, scans: list[Scan]) -> list[Wire]:
    """A La Poste Suivi v2 `idships` answer, newest event first; its events have no place."""
    events = [
        {"code": s.code, "label": s.description, "date": s.at.isoformat()} for s in reversed(scans)
    ]
    shipment = {"idShip": number, "product": "colissimo", "event": events}
    return [("colissimo", _json({"lang": "fr_FR", "returnCode": 200, "shipment": shipment}))]


def _bpost(number: str, scans: list[Scan]) -> list[Wire]:
    """An itemTracking answer, states oldest first; its states name no place."""
    states = "".join(
        f"<stateInfo><time>{s.at.isoformat()}</time><stateCode>{escape(s.code)}</stateCode>"
        f"<stateDescription>{escape(s.description)}</stateDescription></stateInfo>"
        for s in scans
    )
    body = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<itemTracking xmlns="http://schema.post.be/tracking/v1/">'
        f"<itemCode>{escape(number)}</itemCode>{states}</itemTracking>"
    )
    return [("bpost", body.encode())]


FORMATS: dict[str, Callable[[str, list[Scan]], list[Wire]]] = {
    "postnl": _postnl,
    "dhl": _dhl,
    "colissimo": _colissimo,
    "bpost": _bpost,
}


def _checkpoint(carrier: str, scan: Scan) -> dict[str, Any]:
    """A checkpoint as AfterShip pushes it: its subtag for the code's status and reason."""
    subtag = SUBTAGS.get(lookup(carrier, scan.code), UNKNOWN_SUBTAG)
    return {
        "slug": carrier,
        "checkpoint_time": scan.at.isoformat(),
        "message": scan.description,
        "tag": subtag.partition("_")[0],
        "subtag": subtag,
        "subtag_message": aftership.DESCRIPTIONS.get(subtag, ""),
        "raw_tag": scan.code,
        "city": scan.location,
        "location": None,
    }


def aftership_push(carrier: str, number: str, scans: list[Scan], now: datetime) -> bytes:
    """A `tracking_update` push of one tracking with all its checkpoints, oldest first."""
    checkpoints = [_checkpoint(carrier, s) for s in scans]
    key = uuid.uuid5(NAMESPACE, f"{carrier}:{number}")
    tracking = {
        "id": key.hex[:24],
        "tracking_number": number,
        "slug": carrier,
        "tag": checkpoints[-1]["tag"],
        "subtag": checkpoints[-1]["subtag"],
        "subtag_message": checkpoints[-1]["subtag_message"],
        "origin_country_iso3": "CHN",
        "checkpoints": checkpoints,
    }
    return _json(
        {
            "event_id": str(key),
            "event": "tracking_update",
            "is_tracking_first_tag": False,
            "ts": int(now.timestamp()),
            "msg": tracking,
        }
    )


def _grouped(events: Iterable[dict[str, Any]]) -> dict[tuple[str, str], list[Scan]]:
    """Scans per (carrier, tracking number), oldest first."""
    groups: dict[tuple[str, str], list[Scan]] = {}
    for e in events:
        scan = Scan(
            datetime.fromisoformat(e["occurred_at"]),
            e["code"],
            e.get("description") or "",
            e.get("location") or "",
        )
        groups.setdefault((e["carrier"], e["tracking_number"]), []).append(scan)
    for scans in groups.values():
        scans.sort(key=lambda s: s.at)
    return groups


def _feed_parsers(
    shop_id: int, groups: dict[tuple[str, str], list[Scan]], now: datetime
) -> dict[str, int]:
    """Parse every carrier answer and ingest whole shipments in batches of at most MAX_BATCH."""
    counts: dict[str, int] = {}
    batch: dict[tuple[Any, ...], TrackingEvent] = {}
    for (carrier, number), scans in groups.items():
        parsed: list[TrackingEvent] = []
        for adapter, payload in FORMATS[carrier](number, scans):
            events = PARSERS[adapter](payload)
            counts[adapter] = counts.get(adapter, 0) + len(events)
            parsed.extend(events)
        if len(batch) + len(parsed) > MAX_BATCH:
            ingest_parsed(shop_id=shop_id, events=list(batch.values()), now=now)
            batch = {}
        batch.update((event.key, event) for event in parsed)
    if batch:
        ingest_parsed(shop_id=shop_id, events=list(batch.values()), now=now)
    return counts


def _feed_inbox(shop_id: int, bodies: list[bytes], now: datetime) -> None:
    """Sign each push with the shop's AfterShip secret, store it in the inbox, then process it."""
    source = SOURCES[AFTERSHIP]
    connect_source(
        shop=Shop.objects.get(id=shop_id),
        source=AFTERSHIP,
        secret=secrets.token_urlsafe(24),
        actor="demo",
    )
    live = secrets_for(shop_id, AFTERSHIP, now)
    for body in bodies:
        headers = {"aftership-hmac-sha256": base64_hmac(live[0], body)}
        if not source.verify(headers, body, live):
            raise RuntimeError("demo AfterShip push failed its own signature check")
        receive(shop_id=shop_id, source=source, headers=headers, body=body, now=now)
    process_due(SOURCES, now)
    stuck = InboxItem.objects.filter(shop_id=shop_id, source=AFTERSHIP).exclude(
        status=InboxItem.Status.DONE
    )
    if stuck.exists():
        raise RuntimeError(f"{stuck.count()} demo AfterShip pushes were not processed")


def feed_demo(*, shop_id: int, events: list[dict[str, Any]], now: datetime) -> dict[str, int]:
    """Feed simulated events through the carriers' own formats; events per adapter."""
    groups = _grouped(events)
    unsupported = {carrier for carrier, _ in groups} - FORMATS.keys() - VIA_AFTERSHIP
    if unsupported:
        raise ValueError(f"no demo feed for carrier(s) {', '.join(sorted(unsupported))}")
    direct = {key: scans for key, scans in groups.items() if key[0] in FORMATS}
    counts = _feed_parsers(shop_id, direct, now)
    bodies = [
        aftership_push(carrier, number, scans, now)
        for (carrier, number), scans in groups.items()
        if carrier in VIA_AFTERSHIP
    ]
    if bodies:
        _feed_inbox(shop_id, bodies, now)
        counts[AFTERSHIP] = sum(len(s) for (c, _), s in groups.items() if c in VIA_AFTERSHIP)
    return counts
