"""Polling clients: PostNL and DHL over httpx (mocked with respx), karrio when installed."""

import io
import sys
import threading
import urllib.error
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from parcelcare.integrations.carriers.dhl.parse import parse as parse_dhl
from parcelcare.integrations.carriers.postnl.parse import parse as parse_postnl
from parcelcare.integrations.polling import client, http
from parcelcare.integrations.polling.http import DHL_URL, POSTNL_URL, PollError

TRACKING = Path(__file__).resolve().parent.parent / "fixtures" / "tracking"
POSTNL_BARCODE = "3SABCD987516327"
DHL_NUMBER = "7777777770"
KEY = {"api_key": "test-key"}


def postnl_body(name: str = "completestatus3.http") -> bytes:
    # Recorded PostNL answers keep the HTTP head, a blank line, then the body.
    return (TRACKING / "postnl" / name).read_bytes().split(b"\n\n", 1)[1]


def karrio_body(name: str) -> bytes:
    return (TRACKING / "karrio" / name).read_bytes()


DHL_OK = karrio_body("dhl_universal__TrackingResponseJSON.json")
DHL_NOT_FOUND = karrio_body("dhl_universal__TrackingErrorResponseJSON.json")
POSTNL_URL_OF = POSTNL_URL.format(barcode=POSTNL_BARCODE)


@pytest.fixture
def no_karrio(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """karrio cannot be imported, whatever this machine has installed."""
    monkeypatch.setitem(sys.modules, "karrio", None)
    monkeypatch.setitem(sys.modules, "karrio.sdk", None)
    client._karrio.cache_clear()
    client._karrio_carriers.cache_clear()
    yield
    client._karrio.cache_clear()
    client._karrio_carriers.cache_clear()


# --- httpx clients -----------------------------------------------------------------------------


@respx.mock
def test_postnl_returns_the_raw_answer_for_our_parser() -> None:
    route = respx.get(POSTNL_URL_OF).mock(return_value=httpx.Response(200, content=postnl_body()))
    answers = http.fetch("postnl", [POSTNL_BARCODE], KEY)
    assert answers == {POSTNL_BARCODE: postnl_body()}
    sent = route.calls.last.request
    assert sent.headers["apikey"] == "test-key" and sent.url.params["detail"] == "true"
    events = parse_postnl(answers[POSTNL_BARCODE], tracking_number=POSTNL_BARCODE)
    assert [e.code for e in events] == ["J01", "A01", "B01", "J05", "01B"]


@respx.mock
def test_dhl_returns_raw_answers_and_a_404_is_an_empty_answer() -> None:
    route = respx.get(DHL_URL).mock(
        side_effect=lambda request: httpx.Response(
            200 if request.url.params["trackingNumber"] == DHL_NUMBER else 404,
            content=DHL_OK if request.url.params["trackingNumber"] == DHL_NUMBER else DHL_NOT_FOUND,
        )
    )
    answers = http.fetch("dhl", [DHL_NUMBER, "JJD000000000"], KEY)
    assert answers == {DHL_NUMBER: DHL_OK, "JJD000000000": DHL_NOT_FOUND}
    assert all(call.request.headers["DHL-API-Key"] == "test-key" for call in route.calls)
    assert [e.code for e in parse_dhl(answers[DHL_NUMBER])] == ["pre-transit"]
    assert parse_dhl(answers["JJD000000000"]) == []


PROBLEMS = [
    pytest.param(401, {}, False, None, id="unauthorised"),
    pytest.param(403, {}, False, None, id="forbidden"),
    pytest.param(429, {"Retry-After": "30"}, True, 30.0, id="rate-limited"),
    pytest.param(503, {}, True, None, id="unavailable"),
    pytest.param(500, {}, True, None, id="server-error"),
]


@pytest.mark.parametrize(("status", "headers", "retry", "after"), PROBLEMS)
@pytest.mark.parametrize("carrier", ["postnl", "dhl"])
@respx.mock
def test_carrier_errors_become_poll_errors(
    carrier: str, status: int, headers: dict[str, str], retry: bool, after: float | None
) -> None:
    url = POSTNL_URL_OF if carrier == "postnl" else DHL_URL
    problem = b'{"status": %d, "title": "problem"}' % status
    respx.get(url).mock(return_value=httpx.Response(status, headers=headers, content=problem))
    with pytest.raises(PollError) as caught:
        http.fetch(carrier, [POSTNL_BARCODE], KEY)
    error = caught.value
    assert (error.carrier, error.status, error.retryable) == (carrier, status, retry)
    assert error.retry_after == after
    assert "problem" not in str(error), "a carrier's body never travels in the error"


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectTimeout("slow"), httpx.ReadTimeout("slow"), httpx.ConnectError("refused")],
    ids=["connect-timeout", "read-timeout", "connect-error"],
)
@respx.mock
def test_no_answer_is_retryable(failure: Exception) -> None:
    respx.get(DHL_URL).mock(side_effect=failure)
    with pytest.raises(PollError) as caught:
        http.fetch("dhl", [DHL_NUMBER], KEY, timeout=0.5)
    assert caught.value.status is None and caught.value.retryable


@respx.mock
def test_a_number_the_carrier_refuses_is_left_out_of_the_batch() -> None:
    bad = "NOT-A-BARCODE"
    respx.get(POSTNL_URL.format(barcode=bad)).mock(return_value=httpx.Response(400))
    respx.get(POSTNL_URL_OF).mock(return_value=httpx.Response(200, content=postnl_body()))
    assert list(http.fetch("postnl", [bad, POSTNL_BARCODE], KEY)) == [POSTNL_BARCODE]


@respx.mock
def test_a_barcode_is_quoted_into_the_path() -> None:
    route = respx.get(url__startswith="https://api.postnl.nl/").mock(
        return_value=httpx.Response(200, content=postnl_body("nocurrentshipments.http"))
    )
    http.fetch("postnl", ["3S/../X"], KEY)
    assert route.calls.last.request.url.raw_path.startswith(
        b"/shipment/v2/status/barcode/3S%2F..%2FX?"
    )


def test_every_request_has_a_timeout() -> None:
    seen: list[dict[str, Any]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return httpx.Response(200, content=DHL_OK)

    http.fetch("dhl", [DHL_NUMBER], KEY, timeout=3.0, transport=httpx.MockTransport(answer))
    assert seen == [{"connect": 3.0, "read": 3.0, "write": 3.0, "pool": 3.0}]


@pytest.mark.parametrize("settings", [{}, {"api_key": ""}, {"api_key": 42}])
def test_missing_credentials_are_a_permanent_error(settings: dict[str, Any]) -> None:
    with pytest.raises(PollError) as caught:
        http.fetch("postnl", [POSTNL_BARCODE], settings)
    assert not caught.value.retryable and "api_key" in caught.value.detail


# --- client: karrio or httpx -------------------------------------------------------------------


def test_without_karrio_it_is_unavailable_and_says_how_to_install(no_karrio: None) -> None:
    assert client.available() is False
    assert 'pip install "parcelcare[karrio]"' in client.missing_reason()
    assert not client.via_karrio("dhl")
    assert client.supports("dhl") and client.supports("postnl") and not client.supports("gls")


@respx.mock
def test_without_karrio_the_httpx_clients_answer(no_karrio: None) -> None:
    respx.get(DHL_URL).mock(return_value=httpx.Response(200, content=DHL_OK))
    respx.get(POSTNL_URL_OF).mock(return_value=httpx.Response(200, content=postnl_body()))
    assert client.fetch("dhl", [DHL_NUMBER], KEY) == {DHL_NUMBER: DHL_OK}
    assert client.fetch("postnl", [POSTNL_BARCODE], KEY) == {POSTNL_BARCODE: postnl_body()}


def test_a_carrier_without_a_client_is_a_permanent_error(no_karrio: None) -> None:
    with pytest.raises(PollError) as caught:
        client.fetch("gls", ["123"], KEY)
    assert not caught.value.retryable


class FakeProxy:
    """karrio's proxy as karrio 2026.1 shapes it: `.get_tracking(request).value` is the list of
    raw bodies, one per number, in order."""

    def __init__(self, bodies: dict[str, str], delay: threading.Event | None = None) -> None:
        self.bodies = bodies
        self.delay = delay

    def get_tracking(self, request: Any) -> Any:
        if self.delay is not None:
            self.delay.wait(5)
        return type("Deserializable", (), {"value": [self.bodies[n] for n in request]})()


def fake_sdk(proxy: FakeProxy, seen: list[Any]) -> client.KarrioSdk:
    class Gateway:
        def __init__(self, settings: dict[str, Any]) -> None:
            seen.append(settings)
            self.proxy = proxy
            self.mapper = type("Mapper", (), {"create_tracking_request": staticmethod(list)})()

    class Initializer:
        providers = {"dhl_universal": object()}

        def __getitem__(self, key: str) -> Any:
            assert key == "dhl_universal"
            return type("ICreate", (), {"create": staticmethod(Gateway)})()

    def request(*, tracking_numbers: list[str]) -> list[str]:
        return tracking_numbers

    return client.KarrioSdk(gateway=Initializer(), tracking_request=request)


@pytest.fixture
def with_fake_karrio(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    seen: list[Any] = []
    bodies = {DHL_NUMBER: DHL_OK.decode(), "JJD1": DHL_NOT_FOUND.decode()}
    bodies["JJD429"] = '{"status": 429, "title": "Too Many Requests"}'
    bodies["JJD400"] = '{"status": 400, "title": "Bad Request"}'
    sdk = fake_sdk(FakeProxy(bodies), seen)
    monkeypatch.setattr(client, "_karrio", lambda: sdk)
    client._karrio_carriers.cache_clear()
    yield seen
    client._karrio_carriers.cache_clear()


def test_karrio_gives_raw_bodies_not_its_own_statuses(with_fake_karrio: list[Any]) -> None:
    assert client.available() and client.via_karrio("dhl") and not client.via_karrio("postnl")
    answers = client.fetch("dhl", [DHL_NUMBER, "JJD1", "JJD400"], {**KEY, "api_secret": "s"})
    assert answers == {DHL_NUMBER: DHL_OK.decode(), "JJD1": DHL_NOT_FOUND.decode()}
    assert with_fake_karrio == [{"consumer_key": "test-key", "consumer_secret": "s"}]
    assert [e.code for e in parse_dhl(answers[DHL_NUMBER])] == ["pre-transit"]


def test_karrio_error_bodies_become_poll_errors(with_fake_karrio: list[Any]) -> None:
    with pytest.raises(PollError) as caught:
        client.fetch("dhl", [DHL_NUMBER, "JJD429"], KEY)
    assert (caught.value.status, caught.value.retryable) == (429, True)


def test_a_slow_karrio_call_times_out(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    sdk = fake_sdk(FakeProxy({DHL_NUMBER: DHL_OK.decode()}, delay=release), [])
    monkeypatch.setattr(client, "_karrio", lambda: sdk)
    client._karrio_carriers.cache_clear()
    try:
        with pytest.raises(PollError) as caught:
            client.fetch("dhl", [DHL_NUMBER], KEY, timeout=0.05)
        assert caught.value.retryable and caught.value.detail == "timeout"
    finally:
        release.set()
        client._karrio_carriers.cache_clear()


def test_karrio_needs_the_api_key_too(with_fake_karrio: list[Any]) -> None:
    with pytest.raises(PollError) as caught:
        client.fetch("dhl", [DHL_NUMBER], {})
    assert not caught.value.retryable and with_fake_karrio == []


# --- the real karrio, only where the extra is installed ----------------------------------------


class _Answer(io.BytesIO):
    status = 200
    headers = Message()

    def __enter__(self) -> "_Answer":
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def test_the_real_karrio_sdk_returns_dhl_raw_bodies(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("karrio.sdk")
    pytest.importorskip("karrio.mappers.dhl_universal")
    helpers = pytest.importorskip("karrio.core.utils.helpers")
    client._karrio.cache_clear()
    client._karrio_carriers.cache_clear()
    urls: list[str] = []

    def urlopen(request: Any, timeout: float | None = None) -> _Answer:
        urls.append(request.full_url)
        if "trackingNumber=JJD429" in request.full_url:
            body = io.BytesIO(b'{"status": 429, "title": "Too Many Requests"}')
            raise urllib.error.HTTPError(request.full_url, 429, "slow down", Message(), body)
        return _Answer(DHL_OK)

    monkeypatch.setattr(helpers, "urlopen", urlopen)
    assert client.available() and client.via_karrio("dhl")
    answers = client.fetch("dhl", [DHL_NUMBER], KEY)
    assert parse_dhl(answers[DHL_NUMBER]) == parse_dhl(DHL_OK)
    assert urls[0].startswith(f"{DHL_URL}?") and f"trackingNumber={DHL_NUMBER}" in urls[0]
    with pytest.raises(PollError) as caught:
        client.fetch("dhl", ["JJD429"], KEY)
    assert (caught.value.status, caught.value.retryable) == (429, True)
