"""Every raw code the parsers read from the recorded answers has exactly one known status."""

from collections import defaultdict
from importlib import import_module
from pathlib import Path

import pytest

from parcelcare.domain.errors import InvalidEvent
from parcelcare.domain.timeline import TrackingEvent
from parcelcare.integrations.carriers.registry import lookup

TRACKING = Path(__file__).resolve().parent.parent / "fixtures" / "tracking"
DPD_NUMBER = "05308801410058"
"""DPD answers do not name the parcel; this is the number karrio asked for."""

# Every recorded carrier answer: the carrier whose parser reads it and what it must give.
ANSWERS: dict[str, tuple[str, str]] = {
    "postnl/completestatus.http": ("postnl", "events"),
    "postnl/completestatus2.http": ("postnl", "events"),
    "postnl/completestatus3.http": ("postnl", "events"),
    "postnl/currentstatus.http": ("postnl", "events"),
    "postnl/currentstatus2.http": ("postnl", "events"),
    "postnl/currentstatus3.http": ("postnl", "events"),
    "postnl/updatedshipments.http": ("postnl", "events"),
    "postnl/nocurrentshipments.http": ("postnl", "empty"),
    "karrio/dhl_parcel_de__TrackingResponseXML.xml": ("dhl", "events"),
    "karrio/dhl_parcel_de__TrackingErrorResponseXML.xml": ("dhl", "empty"),
    "karrio/dhl_universal__TrackingResponseJSON.json": ("dhl", "events"),
    "karrio/dhl_universal__TrackingErrorResponseJSON.json": ("dhl", "empty"),
    "karrio/dpd__TrackingResponse.xml": ("dpd", "events"),
    "karrio/dpd__ErrorResponse.xml": ("dpd", "error"),
    "karrio/gls__TrackingResponse.json": ("gls", "events"),
    "karrio/gls__ErrorResponse.json": ("gls", "empty"),
    "karrio/ups__TrackingResponseJSON.json": ("ups", "events"),
    "karrio/ups__TrackingNumberNotFoundResponseJSON.json": ("ups", "empty"),
    "karrio/ups__InvalidTrackingNumberResponseJSON.json": ("ups", "error"),
    "karrio/ups__AuthError.json": ("ups", "error"),
    "karrio/bpost__TrackingResponse.xml": ("bpost", "events"),
    "karrio/bpost__ErrorResponse.xml": ("bpost", "error"),
    "karrio/laposte__TrackingResponse.json": ("colissimo", "events"),
    "karrio/laposte__ErrorResponse.json": ("colissimo", "error"),
    "karrio/colissimo_laposte_suivi_v2_EW112720413FR_delivered.json": ("colissimo", "events"),
    "aftership/pyaftership_get_trackings.json": ("aftership", "events"),
    "aftership/pyaftership_post_trackings.json": ("aftership", "empty"),
}


def is_answer(path: Path) -> bool:
    """Carrier answers, not notes, licences or karrio's own interpretations."""
    return path.suffix in {".http", ".json", ".xml"} and path.parent.name != "karrio_parsed"


def body(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    # Recorded PostNL answers keep the HTTP head, a blank line, then the body.
    return text.split("\n\n", 1)[1] if path.suffix == ".http" else text


def read(name: str) -> list[TrackingEvent]:
    slug, _ = ANSWERS[name]
    parse = import_module(f"parcelcare.integrations.carriers.{slug}.parse").parse
    events: list[TrackingEvent] = parse(body(TRACKING / name), tracking_number=DPD_NUMBER)
    return events


def emitted() -> list[TrackingEvent]:
    """The events of every recorded answer that holds some."""
    return [e for name, (_, kind) in ANSWERS.items() if kind == "events" for e in read(name)]


def test_every_recorded_answer_is_listed() -> None:
    found = {str(p.relative_to(TRACKING)) for p in TRACKING.rglob("*") if is_answer(p)}
    assert found == set(ANSWERS), "list each new fixture in ANSWERS with its parser"


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_each_answer_gives_what_it_holds(name: str) -> None:
    _, kind = ANSWERS[name]
    if kind == "error":
        with pytest.raises(InvalidEvent):
            read(name)
    elif kind == "empty":
        assert read(name) == []
    else:
        events = read(name)
        assert events and all(e.carrier == ANSWERS[name][0] for e in events)


def test_every_code_in_the_recorded_answers_has_a_status() -> None:
    unknown = sorted({(e.carrier, e.code) for e in emitted() if e.status is None})
    assert not unknown, f"raw codes without a status: {unknown}"


def test_no_raw_code_maps_to_two_statuses() -> None:
    seen: dict[tuple[str, str], set[object]] = defaultdict(set)
    for event in emitted():
        seen[(event.carrier, event.code)].add((event.status, event.reason))
    assert seen
    for (carrier, code), meanings in seen.items():
        assert len(meanings) == 1, f"{carrier} {code} means {meanings}"
        # Parsers never override the table: what they emit is what the table says.
        assert meanings == {lookup(carrier, code)}, f"{carrier} {code}"


def test_the_recorded_answers_cover_every_supported_format() -> None:
    carriers = {e.carrier for e in emitted()}
    assert carriers == {"postnl", "dhl", "dpd", "gls", "ups", "bpost", "colissimo", "aftership"}
