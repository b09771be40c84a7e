"""`parcelcare bench parse`: every carrier parser on recorded answers against bare decoding."""

import importlib
import importlib.util
import json
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from copy import deepcopy
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from parcelcare.domain.timeline import TrackingEvent

FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "tracking"
"""The recorded carrier answers the parser tests use (present in a source checkout)."""

TARGET = 100_000
"""Events per second a JSON parser should reach on a long history."""

BULK_EVENTS = 1_000
"""Events in the synthetic long history built from each JSON sample."""

ROUNDS = 5
"""Timed rounds per measurement; the fastest counts, as shared machines drift."""

# Parser name -> (carrier slug, format, recorded answers relative to FIXTURES).
SAMPLES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "postnl": (
        "postnl",
        "json",
        (
            "postnl/completestatus.http",
            "postnl/completestatus2.http",
            "postnl/completestatus3.http",
        ),
    ),
    "dhl_unified": ("dhl", "json", ("karrio/dhl_universal__TrackingResponseJSON.json",)),
    "dhl_parcel_de": ("dhl", "xml", ("karrio/dhl_parcel_de__TrackingResponseXML.xml",)),
    "dpd": ("dpd", "xml", ("karrio/dpd__TrackingResponse.xml",)),
    "gls": ("gls", "json", ("karrio/gls__TrackingResponse.json",)),
    "ups": ("ups", "json", ("karrio/ups__TrackingResponseJSON.json",)),
    "bpost": ("bpost", "xml", ("karrio/bpost__TrackingResponse.xml",)),
    "colissimo": (
        "colissimo",
        "json",
        (
            "karrio/laposte__TrackingResponse.json",
            "karrio/colissimo_laposte_suivi_v2_EW112720413FR_delivered.json",
        ),
    ),
}

Parser = Callable[..., list[TrackingEvent]]


def run(repeat: int = 200, fixtures: Path = FIXTURES) -> dict[str, Any]:
    """Events/s of each parser, with bare json.loads/ElementTree rates from the same run."""
    if not fixtures.is_dir():
        raise FileNotFoundError(f"recorded carrier answers not found in {fixtures}")
    parsers: dict[str, Any] = {}
    for name, (slug, kind, files) in SAMPLES.items():
        parse = _parser(slug)
        payloads = [_payload(fixtures / file) for file in files]
        entry = _measure(parse, payloads, kind, repeat)
        if kind == "json":
            bulk = _measure(parse, [_bulk(name, payloads[0])], kind, max(ROUNDS, repeat // 10))
            entry["long_history"] = bulk | {"meets_target": bulk["events_per_second"] >= TARGET}
        parsers[name] = {"carrier": slug, "format": kind, **entry}
    return {
        "repeat": repeat,
        "target_events_per_second_json": TARGET,
        "parsers": parsers,
        "karrio": _karrio(),
    }


def _parser(slug: str) -> Parser:
    module = importlib.import_module(f"parcelcare.integrations.carriers.{slug}.parse")
    parse: Parser = module.parse
    return parse


def _payload(path: Path) -> bytes:
    """The raw body; recorded PostNL answers keep the HTTP head, a blank line, then JSON."""
    data = path.read_bytes()
    return data.split(b"\n\n", 1)[1] if path.suffix == ".http" else data


def _measure(parse: Parser, payloads: list[bytes], kind: str, repeat: int) -> dict[str, Any]:
    """Parse, then bare-decode, every payload `repeat` times in ROUNDS rounds; best round counts."""
    # DPD answers do not name the parcel: the number asked for comes with them.
    number = "05308801410058"
    events_once = sum(len(parse(p, tracking_number=number)) for p in payloads)
    decode: Callable[[bytes], Any] = json.loads if kind == "json" else ET.fromstring
    per_round = max(1, repeat // ROUNDS)
    parse_seconds = _best(lambda: [parse(p, tracking_number=number) for p in payloads], per_round)
    decode_seconds = _best(lambda: [decode(p) for p in payloads], per_round)
    events = events_once * per_round
    return {
        "payloads": len(payloads),
        "events_per_round": events,
        "best_round_seconds": round(parse_seconds, 4),
        "events_per_second": round(events / parse_seconds),
        "baseline": "json.loads" if kind == "json" else "ElementTree.fromstring",
        "baseline_events_per_second": round(events / decode_seconds),
        # The share of parsing time that bare decoding alone would take.
        "ratio_to_baseline": round(decode_seconds / parse_seconds, 3),
    }


def _best(work: Callable[[], object], times: int) -> float:
    """The fastest of ROUNDS timings of `times` calls: the least disturbed by other load."""
    work()
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for _ in range(times):
            work()
        best = min(best, time.perf_counter() - started)
    return best


def _bulk(name: str, payload: bytes) -> bytes:
    """One answer whose first event is repeated BULK_EVENTS times, each a minute apart."""
    document = json.loads(payload)
    start = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    times = [start + timedelta(minutes=i) for i in range(BULK_EVENTS)]
    if name == "postnl":
        shipment = document["CompleteStatus"]["Shipment"]
        first = shipment["Event"][0]
        shipment["Event"] = [
            first | {"TimeStamp": t.strftime("%d-%m-%Y %H:%M:%S")} for t in reversed(times)
        ]
    elif name == "dhl_unified":
        shipment = document["shipments"][0]
        shipment["events"] = [shipment["events"][0] | {"timestamp": t.isoformat()} for t in times]
    elif name == "gls":
        parcel = document["parcels"][0]
        parcel["events"] = [parcel["events"][0] | {"eventDateTime": t.isoformat()} for t in times]
    elif name == "ups":
        package = document["trackResponse"]["shipment"][0]["package"][0]
        first = package["activity"][0]
        package["activity"] = [
            deepcopy(first) | {"date": t.strftime("%Y%m%d"), "time": t.strftime("%H%M%S")}
            for t in times
        ]
    elif name == "colissimo":
        shipment = document[0]["shipment"]
        shipment["event"] = [shipment["event"][0] | {"date": t.isoformat()} for t in times]
    else:
        raise ValueError(f"no long history builder for {name}")
    return json.dumps(document).encode()


def _karrio() -> str:
    """Whether karrio's SDK is importable here; this benchmark never installs it."""
    if importlib.util.find_spec("karrio") is None:
        return "not installed"
    # Its parsers take a gateway built from per-connector settings, which this run cannot
    # invent; say so rather than print a number that does not compare like with like.
    return "installed, not timed: its parsers need per-connector gateway settings"
