"""The API against its own OpenAPI document: generated requests never get a 5xx, and every
answer (status, media type, body) is one the document describes. Bounded and deterministic:
schemathesis's edge cases of every bound, then a few seeded examples, per operation and mode."""

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.generation import GenerationMode

from conftest import ApiShop, event, order_payload

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EDGES = 300
"""Coverage cases per operation and mode, at most (the document yields about 250 at most)."""
EXAMPLES = 6
"""Seeded random examples per operation and mode, after the edge cases."""
ON_THE_CASE = ("GET /api/v1/cases/{case_id}", "POST /api/v1/cases/{case_id}/actions")
"""Operations also run against the stored case, so the action bodies reach the services."""
Seen = dict[int, int]


@pytest.fixture
def wsgi_app() -> Iterator[Any]:
    """The real WSGI application, kept from closing the test's database connection after each
    request (Django's own test client does the same)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield get_wsgi_application()
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def case_id(api_shop: ApiShop) -> int:
    """A delivered parcel with an open case, so reads and actions find something."""
    assert api_shop.post("orders", order_payload()).status_code == 201
    delivered = event(at="2026-11-14T14:10:00+01:00", code="I01", status="delivered")
    assert api_shop.post("tracking-events", {"events": [event(), delivered]}).status_code == 200
    opened = api_shop.post("cases", {"order_number": "1001", "kind": "not_received"})
    assert opened.status_code == 201, opened.content
    return int(opened.json()["id"])


def _call(case: Any, headers: dict[str, str], seen: Seen) -> None:
    response = case.call_and_validate(headers=headers, checks=CHECKS)
    seen[response.status_code] = seen.get(response.status_code, 0) + 1


def _edges(schema: Any, operation: Any, mode: GenerationMode, call: Any) -> None:
    """Schemathesis's coverage cases: each bound, just past it, wrong types, missing fields."""
    config = schema.config.generation_for(operation=operation)
    cases = schema.iter_coverage_cases(operation, generation_modes=[mode], generation_config=config)
    for case in itertools.islice(cases, EDGES):
        call(case)


def _examples(strategy: Any, call: Any) -> None:
    """A few generated requests, the same ones on every run."""

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def check(case: Any) -> None:
        call(case)

    check()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_generated_requests_get_documented_answers(
    api_shop: ApiShop, case_id: int, wsgi_app: Any, mode: GenerationMode
) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    headers = {"Authorization": f"Bearer {api_shop.key}"}
    seen: Seen = {}
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 11

    def call(case: Any) -> None:
        _call(case, headers, seen)

    for operation in operations:
        try:
            _edges(schema, operation, mode, call)
            _examples(operation.as_strategy(generation_mode=mode), call)
            if operation.label in ON_THE_CASE:
                fixed = {"case_id": case_id}
                _examples(operation.as_strategy(generation_mode=mode, path_parameters=fixed), call)
        except Exception as error:
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)
    # The run reached the routes: answers that passed validation, not only refusals.
    assert seen.get(200, 0) >= 20, seen
    assert not any(status >= 500 for status in seen), seen


def _walk(node: Any) -> Any:
    """Every mapping inside a JSON document."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def test_the_document_states_problems_and_limits(api_shop: ApiShop) -> None:
    document = api_shop.client.get("/api/v1/openapi.json").json()
    assert document["components"]["schemas"]["Problem"]["required"] == [
        "type",
        "title",
        "status",
        "detail",
    ]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            problems = {c: r for c, r in operation["responses"].items() if c.startswith("4")}
            assert {"401", "404" if "{" in path else "401"} <= set(problems), (method, path)
            for answer in problems.values():
                (media,) = answer["content"]
                assert media == "application/problem+json"
    posts = {path: ops["post"] for path, ops in document["paths"].items() if "post" in ops}
    assert all("413" in op["responses"] for op in posts.values())
    assert "409" in posts["/api/v1/orders"]["responses"]
    bounds = {
        (node.get("title"), node.get("maximum"))
        for node in _walk(document)
        if "maximum" in node and "title" in node
    }
    assert {("Unit Price", 10**11), ("Quantity", 100_000), ("Amount Minor", 10**11)} <= bounds
    events = posts["/api/v1/tracking-events"]["requestBody"]["content"]["application/json"]
    assert events["schema"]["properties"]["events"]["maxItems"] == 10_000
