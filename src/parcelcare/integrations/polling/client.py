"""The poller's way to the carriers: karrio's connectors when installed, httpx otherwise.

Only carriers' raw answers leave this module, never karrio's normalised statuses, so
parcelcare's parsers and code tables decide what every scan means. Per carrier:

- DHL (Shipment Tracking - Unified): karrio's `dhl_universal` connector when karrio and
  karrio-dhl-universal are installed. Its proxy hands back the raw JSON per number; an HTTP
  error comes back as the carrier's problem-details body, whose `status` is read here.
  Without karrio, the httpx client in `http.py`.
- PostNL (ShippingStatus): karrio has no PostNL connector, so always the httpx client.

karrio's HTTP helper sets no timeout of its own, so its blocking calls run in a worker thread
that is waited for at most the given time; a thread that outlives it is abandoned, not killed.
"""

import importlib
import json
import logging
import math
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as WaitTimeout
from dataclasses import dataclass
from functools import cache
from typing import Any

from . import http
from .http import DEFAULT_TIMEOUT, PollError, retryable, stops_batch

log = logging.getLogger(__name__)

INSTALL_HINT = 'pip install "parcelcare[karrio]"'
KARRIO_PARALLEL = 4
"""Requests karrio is counted on to run at once (asyncio's default pool has at least 5)."""


@dataclass(frozen=True)
class KarrioConnector:
    """How one of our carriers is asked through karrio."""

    karrio_id: str
    settings: Callable[[Mapping[str, Any]], dict[str, Any]]
    problem_status: Callable[[bytes | str], int | None]


def _dhl_settings(credentials: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "consumer_key": http.credential("dhl", credentials),
        "consumer_secret": str(credentials.get("api_secret") or ""),
    }


def _dhl_problem(body: bytes | str) -> int | None:
    """The HTTP status a Unified problem-details body reports; None for a shipments answer."""
    try:
        document = json.loads(body)
    except ValueError:
        return None
    if isinstance(document, dict) and "shipments" not in document:
        status = document.get("status")
        return status if isinstance(status, int) else None
    return None


KARRIO_CONNECTORS: dict[str, KarrioConnector] = {
    "dhl": KarrioConnector("dhl_universal", _dhl_settings, _dhl_problem),
}


@dataclass(frozen=True)
class KarrioSdk:
    """The two parts of karrio used here: its gateway registry and its TrackingRequest."""

    gateway: Any
    tracking_request: Callable[..., Any]


@cache
def _karrio() -> KarrioSdk | None:
    """karrio's SDK, or None when the extra is not installed."""
    try:
        sdk = importlib.import_module("karrio.sdk")
        models = importlib.import_module("karrio.core.models")
    except ImportError:
        return None
    return KarrioSdk(gateway=sdk.gateway, tracking_request=models.TrackingRequest)


def available() -> bool:
    """Whether the karrio SDK can be imported."""
    return _karrio() is not None


def missing_reason() -> str:
    """Why karrio cannot be used, with the command that fixes it; empty when it can."""
    return "" if available() else f"the karrio SDK is not installed: {INSTALL_HINT}"


@cache
def _karrio_carriers() -> frozenset[str]:
    sdk = _karrio()
    return frozenset(sdk.gateway.providers) if sdk is not None else frozenset()


def via_karrio(carrier: str) -> bool:
    """Whether `carrier` is fetched through karrio here (SDK and connector installed)."""
    connector = KARRIO_CONNECTORS.get(carrier)
    return connector is not None and connector.karrio_id in _karrio_carriers()


def supports(carrier: str) -> bool:
    """Whether any client here can poll `carrier`."""
    return via_karrio(carrier) or carrier in http.ENDPOINTS


def fetch(
    carrier: str,
    tracking_numbers: Sequence[str],
    credentials: Mapping[str, Any],
    *,
    timeout: float = DEFAULT_TIMEOUT,
) -> dict[str, bytes | str]:
    """The carrier's raw answer per tracking number; PollError when the carrier fails."""
    if via_karrio(carrier):
        return _karrio_fetch(carrier, list(tracking_numbers), credentials, timeout)
    if carrier in http.ENDPOINTS:
        return http.fetch(carrier, tracking_numbers, credentials, timeout=timeout)
    raise PollError(carrier, None, False, "no polling client for this carrier")


def _karrio_call(
    connector: KarrioConnector, numbers: list[str], credentials: Mapping[str, Any]
) -> list[Any]:
    """The raw bodies karrio's proxy received, one per number in order (blocking)."""
    sdk = _karrio()
    assert sdk is not None, "only called when via_karrio() said yes"
    gateway = sdk.gateway[connector.karrio_id].create(connector.settings(credentials))
    request = gateway.mapper.create_tracking_request(sdk.tracking_request(tracking_numbers=numbers))
    # The proxy's Deserializable keeps the bodies as received; parsing them is karrio's
    # normalisation, which is exactly what is skipped here.
    return list(gateway.proxy.get_tracking(request).value)


def _karrio_fetch(
    carrier: str, numbers: list[str], credentials: Mapping[str, Any], timeout: float
) -> dict[str, bytes | str]:
    connector = KARRIO_CONNECTORS[carrier]
    connector.settings(credentials)  # a missing credential fails here, not in the thread
    waves = max(1, math.ceil(len(numbers) / KARRIO_PARALLEL))
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parcelcare-karrio")
    try:
        bodies = pool.submit(_karrio_call, connector, numbers, credentials).result(
            timeout=timeout * waves
        )
    except WaitTimeout:
        raise PollError(carrier, None, True, "timeout") from None
    except OSError as error:
        raise PollError(carrier, None, True, f"connection error: {type(error).__name__}") from None
    except PollError:
        raise
    except Exception as error:
        # karrio wraps set-up problems in its own errors; their text may quote settings.
        raise PollError(carrier, None, False, f"karrio: {type(error).__name__}") from None
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return _answers(carrier, connector, numbers, bodies)


def _answers(
    carrier: str, connector: KarrioConnector, numbers: list[str], bodies: list[Any]
) -> dict[str, bytes | str]:
    """Bodies by number, as `http.fetch` gives them: a refused number is left out."""
    if len(bodies) != len(numbers):
        raise PollError(carrier, None, True, "karrio returned a different number of answers")
    found: dict[str, bytes | str] = {}
    for number, body in zip(numbers, bodies, strict=True):
        if not isinstance(body, bytes | str):
            raise PollError(carrier, None, False, "karrio returned a non-text answer")
        status = connector.problem_status(body)
        if status is None or status == 404:
            found[number] = body
            continue
        error = PollError(carrier, status, retryable(status))
        if stops_batch(error):
            raise error
        log.warning("%s refused one tracking number with HTTP %s", carrier, status)
    return found
