"""The JSON API root: authentication by shop API key and errors as problem details."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from parcelcare.accounts.services import shop_for_key
from parcelcare.domain.errors import DomainError


class ShopKey(HttpBearer):
    """`Authorization: Bearer <key>`; the request gets the key's shop."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        """Attach the shop to the request when the key is live."""
        shop = shop_for_key(token)
        if shop is not None:
            request.shop = shop  # type: ignore[attr-defined]
        return shop


api = NinjaAPI(
    title="parcelcare API",
    version="1",
    description="Orders and carrier events in, shipment findings out. Every call is scoped to "
    "the shop that owns the API key.",
    auth=ShopKey(),
    urls_namespace="api-v1",
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
    return problem(request, exc.status_code, "Request refused", str(exc))


@api.exception_handler(DomainError)
def _domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return problem(request, 422, "Invalid request", str(exc))


from parcelcare.tracking.api import router as tracking_router  # noqa: E402

api.add_router("/", tracking_router)
api.add_router("/", "parcelcare.cases.api.router")
api.add_router("/", "parcelcare.ledger.api.router")
api.add_router("/", "parcelcare.returns.api.router")
