"""The JSON API root: authentication by shop API key and errors as problem details."""

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer

from parcelcare import jsontext
from parcelcare.accounts.services import shop_for_key
from parcelcare.api_docs import with_problem_component
from parcelcare.domain.errors import DomainError, OrderConflict


class ShopKey(HttpBearer):
    """`Authorization: Bearer <key>`; the request gets the key's shop."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        """Attach the shop to the request when the key is live."""
        shop = shop_for_key(token)
        if shop is not None:
            request.shop = shop  # type: ignore[attr-defined]
        return shop


class BoundedJson(Parser):
    """Request bodies parsed with the JSON nesting limit; errors say what is wrong."""

    def parse_body(self, request: HttpRequest) -> Any:
        """The body as JSON, or BadJson (ninja turns it into a 400, `_http` keeps its words)."""
        return jsontext.loads(request.body)


class ParcelcareApi(NinjaAPI):
    """The API, whose OpenAPI document also describes its problem-details answers."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """The generated document with the Problem schema and every secured route's 401."""
        return with_problem_component(super().get_openapi_schema(**kwargs))


api = ParcelcareApi(
    title="parcelcare API",
    version="1",
    description="Orders and carrier events in, shipment findings out. Every call is scoped to "
    "the shop that owns the API key.",
    auth=ShopKey(),
    urls_namespace="api-v1",
    parser=BoundedJson(),
)


def problem(
    request: HttpRequest, status: int, title: str, detail: str, **extra: Any
) -> HttpResponse:
    """An RFC 9457 problem details response."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = "application/problem+json"
    return response


def _location(loc: Any) -> str:
    return ".".join(str(part) for part in loc if part not in ("body", "payload", "data"))


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [{"field": _location(e.get("loc", ())), "error": e.get("msg", "")} for e in exc.errors]
    detail = "; ".join(f"{e['field']}: {e['error']}" for e in errors) or "invalid request"
    return problem(request, 422, "Invalid request", detail, errors=errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem(
        request,
        401,
        "Unauthorized",
        "a valid shop API key is required (Authorization: Bearer <key>)",
    )


@api.exception_handler(HttpError)
def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
    cause = exc.__cause__
    if isinstance(cause, jsontext.BadJson):
        return problem(request, 400, "Invalid JSON body", f"body is {cause}")
    return problem(request, exc.status_code, "Request refused", str(exc))


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return problem(request, 413, "Payload too large", "request body over the server's limit")


@api.exception_handler(DomainError)
def _domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return problem(request, 422, "Invalid request", str(exc))


@api.exception_handler(OrderConflict)
def _order_conflict(request: HttpRequest, exc: OrderConflict) -> HttpResponse:
    return problem(request, 409, "Order conflict", str(exc))


from parcelcare.tracking.api import router as tracking_router  # noqa: E402

api.add_router("/", tracking_router)
api.add_router("/", "parcelcare.cases.api.router")
api.add_router("/", "parcelcare.ledger.api.router")
api.add_router("/", "parcelcare.returns.api.router")
