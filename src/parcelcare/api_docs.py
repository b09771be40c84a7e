"""OpenAPI pieces shared by the routers: problem-details responses and inlined JSON schemas."""

from http import HTTPStatus
from typing import Any

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "An RFC 9457 problem details document; `detail` says precisely what is wrong.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "Each invalid field and why (422 only).",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "error": {"type": "string"}},
            },
        },
    },
    "additionalProperties": True,
}
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}

WHY: dict[int, str] = {
    400: "The body is not JSON of the documented shape, or a filter or cursor is invalid.",
    401: "No valid shop API key.",
    404: "Nothing with that id or number in this shop.",
    409: "The request conflicts with what is stored (see `detail`).",
    413: "The body or the batch is over its limit.",
    422: "A field is invalid or a rule refuses the request (see `detail` and `errors`).",
}


def problems(*statuses: int, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """`openapi_extra` documenting these problem responses, merged into `extra` if given."""
    documented = dict(extra or {})
    documented["responses"] = {
        **documented.get("responses", {}),
        **{status: problem_response(status) for status in statuses},
    }
    return documented


def problem_response(status: int) -> dict[str, Any]:
    """One documented problem response."""
    return {
        "description": WHY.get(status, HTTPStatus(status).phrase),
        "content": {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_REF}},
    }


def inline(schema: dict[str, Any]) -> dict[str, Any]:
    """A JSON schema with its local $defs references replaced by the definitions."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return walk(defs[ref.removeprefix("#/$defs/")])
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    return walk(schema)  # type: ignore[no-any-return]


def with_problem_component(schema: Any) -> Any:
    """The generated OpenAPI document with the Problem schema and 401 on every secured route."""
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            if isinstance(operation, dict) and operation.get("security"):
                operation.setdefault("responses", {}).setdefault(401, problem_response(401))
    return schema
