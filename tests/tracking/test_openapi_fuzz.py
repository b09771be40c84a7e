"""The API against its own OpenAPI document: generated requests never get a 5xx, and every
answer (status, media type, body) is one the document describes. Bounded and deterministic:
schemathesis's edge cases of every bound, then a few seeded examples, per operation and mode."""

import itertools
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
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
EXAMPLES = 8
"""Seeded random examples per operation and mode, after the edge cases."""
ON_THE_CASE = ("GET /api/v1/cases/{case_id}", "POST /api/v1/cases/{case_id}/actions")
"""Operations also run against the stored case, so the action bodies reach the services."""
Seen = dict[int, int]


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
    api_shop: ApiShop, case_id: int, mode: GenerationMode
) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
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
