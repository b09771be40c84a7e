"""Carrier code tables: valid vocabulary, matching descriptions, and every code the samples use."""

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from parcelcare.domain.vocabulary import IncidentReason, ShipmentStatus
from parcelcare.integrations.carriers.registry import CARRIERS, is_known_carrier, lookup

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "tracking"
KARRIO = FIXTURES / "karrio"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xml(path: Path) -> ET.Element:
    return ET.fromstring(path.read_text(encoding="utf-8"))


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object inside `node`, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def postnl_codes() -> set[str]:
    """`Event[].Code` of the recorded ShippingStatus responses (HTTP head, blank line, JSON)."""
    codes = set()
    for path in sorted((FIXTURES / "postnl").glob("*.http")):
        body = path.read_text(encoding="utf-8").split("\n\n", 1)[1]
        for node in _walk(json.loads(body)):
            if {"Code", "Description", "TimeStamp"} <= node.keys():
                codes.add(node["Code"])
    return codes


def dhl_codes() -> set[str]:
    """Standard event and ICE codes of Parcel DE piece events, plus Unified status codes."""
    root = _xml(KARRIO / "dhl_parcel_de__TrackingResponseXML.xml")
    codes = set()
    for element in root.iter():
        if element.get("name") == "piece-event":
            codes |= {element.attrib["standard-event-code"], element.attrib["ice"]}
    unified = _json(KARRIO / "dhl_universal__TrackingResponseJSON.json")
    for shipment in unified["shipments"]:
        codes.add(shipment["status"]["statusCode"])
        codes |= {event["statusCode"] for event in shipment["events"]}
    return codes


def dpd_codes() -> set[str]:
    """`status` of the shipment and of every statusInfo in a ParcelLifeCycle response."""
    root = _xml(KARRIO / "dpd__TrackingResponse.xml")
    codes = set()
    for element in root.iter():
        if _local(element.tag) in ("statusInfo", "shipmentInfo"):
            codes |= {c.text or "" for c in element if _local(c.tag) == "status"}
    return codes


def gls_codes() -> set[str]:
    """Event codes and the parcel status of a GLS track and trace response."""
    parcels = _json(KARRIO / "gls__TrackingResponse.json")["parcels"]
    codes = {parcel["status"] for parcel in parcels}
    return codes | {event["code"] for parcel in parcels for event in parcel["events"]}


def ups_codes() -> set[str]:
    """`status.code` of every activity and of the current status."""
    shipments = _json(KARRIO / "ups__TrackingResponseJSON.json")["trackResponse"]["shipment"]
    codes = set()
    for package in (p for s in shipments for p in s["package"]):
        codes.add(package["currentStatus"]["code"])
        codes |= {activity["status"]["code"] for activity in package["activity"]}
    return codes


def bpost_codes() -> set[str]:
    """`stateInfo/stateCode` of an item tracking response."""
    root = _xml(KARRIO / "bpost__TrackingResponse.xml")
    return {e.text or "" for e in root.iter() if _local(e.tag) == "stateCode"}


def colissimo_codes() -> set[str]:
    """`shipment.event[].code` of La Poste Suivi v2 responses."""
    codes = set()
    for name in (
        "laposte__TrackingResponse.json",
        "colissimo_laposte_suivi_v2_EW112720413FR_delivered.json",
    ):
        for item in _json(KARRIO / name):
            codes |= {event["code"] for event in item["shipment"]["event"]}
    return codes


SAMPLES = {
    "postnl": postnl_codes,
    "dhl": dhl_codes,
    "dpd": dpd_codes,
    "gls": gls_codes,
    "ups": ups_codes,
    "bpost": bpost_codes,
    "colissimo": colissimo_codes,
}

# What the samples are known to hold, so a broken reader cannot pass by finding nothing.
EXPECTED_IN_SAMPLES = {
    "postnl": {"01A", "01B", "A01", "B01", "J01", "J05"},
    "dhl": {"ES", "AA", "AE", "EE", "PO", "ZU", "DLVRD", "pre-transit"},
    "dpd": {"BetweenDepots", "Depot", "Courier", "DeliveryFailure", "ParcelShop", "PickedUp"},
    "gls": {"INTIAL.NORMAL", "INTIAL.PREADVICE"},
    "ups": {"SR"},
    "bpost": {"T00", "L00", "U01"},
    "colissimo": {"DR1", "PC1", "ET1", "ET2", "ET3", "MD2", "DI1"},
}


@pytest.mark.parametrize("slug", sorted(CARRIERS))
def test_every_code_maps_to_the_vocabulary(slug: str) -> None:
    info = CARRIERS[slug]
    assert info.slug == slug and info.name
    assert info.codes, f"{slug} has an empty code table"
    for code, (status, reason) in info.codes.items():
        assert code == code.strip() and code, f"{slug}: code {code!r} has stray whitespace"
        assert isinstance(status, ShipmentStatus), f"{slug} {code}: {status!r}"
        assert reason is None or isinstance(reason, IncidentReason), f"{slug} {code}: {reason!r}"


@pytest.mark.parametrize("slug", sorted(CARRIERS))
def test_descriptions_and_codes_cover_each_other(slug: str) -> None:
    info = CARRIERS[slug]
    assert set(info.descriptions) == set(info.codes)
    assert all(text.strip() for text in info.descriptions.values())


@pytest.mark.parametrize("slug", sorted(SAMPLES))
def test_every_code_in_the_samples_is_in_the_table(slug: str) -> None:
    found = SAMPLES[slug]()
    assert EXPECTED_IN_SAMPLES[slug] <= found
    missing = sorted(found - set(CARRIERS[slug].codes))
    assert not missing, f"{slug} sample codes missing from the table: {missing}"


@pytest.mark.parametrize("slug", sorted(CARRIERS))
def test_every_carrier_can_say_moving_and_delivered(slug: str) -> None:
    statuses = {status for status, _ in CARRIERS[slug].codes.values()}
    assert {ShipmentStatus.IN_TRANSIT, ShipmentStatus.DELIVERED} <= statuses


def test_postnl_covers_every_journey() -> None:
    pairs = set(CARRIERS["postnl"].codes.values())
    statuses = {status for status, _ in pairs}
    assert statuses == set(ShipmentStatus) - {ShipmentStatus.PENDING, ShipmentStatus.EXPIRED}
    reasons = {reason for _, reason in pairs}
    for reason in ("recipient_unavailable", "address_issue", "refused", "damaged", "lost"):
        assert IncidentReason(reason) in reasons
    # Delivered to a neighbour and through the letterbox are deliveries too.
    assert lookup("postnl", "I10") == lookup("postnl", "I05") == (ShipmentStatus.DELIVERED, None)


def test_lookup_maps_known_codes() -> None:
    assert lookup("postnl", "J05") == (ShipmentStatus.OUT_FOR_DELIVERY, None)
    assert lookup("postnl", "H01") == (ShipmentStatus.RETURNING, IncidentReason.REFUSED)
    assert lookup("colissimo", "DI2") == (ShipmentStatus.RETURNED, None)
    assert lookup("dhl", " ZU ") == (ShipmentStatus.DELIVERED, None)


@pytest.mark.parametrize(
    ("carrier", "code"),
    [
        ("postnl", "Q99"),
        ("postnl", "j05"),
        ("dhl", "unknown"),
        ("yunexpress", "80"),
        ("nope", "J05"),
    ],
)
def test_lookup_never_guesses(carrier: str, code: str) -> None:
    assert lookup(carrier, code) == (None, None)


def test_known_carriers() -> None:
    assert is_known_carrier("postnl") and is_known_carrier("cainiao")
    assert not is_known_carrier("PostNL") and not is_known_carrier("")
    assert set(CARRIERS) == {
        "postnl", "dhl", "dpd", "gls", "ups", "bpost", "colissimo", "yunexpress", "cainiao",
        "aftership", "17track", "sendcloud", "shopify",
    }  # fmt: skip


def test_code_tables_are_read_only() -> None:
    with pytest.raises(TypeError):
        CARRIERS["postnl"].codes["X99"] = (ShipmentStatus.DELIVERED, None)  # type: ignore[index]
