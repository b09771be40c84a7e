"""Case routes: open or join a case, list and read cases, one action endpoint, the dossier.

Every action is a row of ACTIONS: its parameters and the service it calls. No business rules.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ValidationError

from parcelcare import clock
from parcelcare.accounts.models import ApiKey
from parcelcare.accounts.services import KEY_PREFIX
from parcelcare.api_docs import inline, problems
from parcelcare.domain.errors import LedgerError
from parcelcare.tracking.limits import MAX_ID
from parcelcare.tracking.models import Order, Shipment
from parcelcare.tracking.queries import MAX_PAGE, BadFilter, decode_cursor, encode_cursor

from . import carrier, notes, outcomes, services
from .actors import Who
from .assess import assess
from .dossier import build_dossier
from .dossier_pdf import pdf_response
from .models import Case
from .queries import refundable_now
from .schemas import (
    ActionIn,
    ActionOut,
    CaseIn,
    CaseOut,
    CasePage,
    CaseQuery,
    ClaimOutcomeParams,
    ClaimParams,
    DenyParams,
    NoParams,
    Params,
    PodParams,
    RemedyParams,
    ReopenParams,
    SkipParams,
    StepParams,
    TextParams,
)

router = Router(tags=["cases"])
Result = dict[str, Any]


def _shop(request: HttpRequest) -> Any:
    return request.shop  # type: ignore[attr-defined]


def _who(request: HttpRequest) -> Who:
    """The integration acting: named after the API key it presented."""
    token = request.headers.get("Authorization", "").partition(" ")[2]
    prefix = token.removeprefix(KEY_PREFIX).partition("_")[0]
    keys = ApiKey.objects.filter(shop=_shop(request), prefix=prefix, revoked_at=None)
    return Who("integration", keys.values_list("name", flat=True).first() or "api")


def _cases(request: HttpRequest) -> QuerySet[Case]:
    return (
        Case.objects.filter(shop=_shop(request))
        .select_related("order", "shipment")
        .prefetch_related("steps")
    )


def _case(request: HttpRequest, case_id: int) -> Case:
    case = _cases(request).filter(pk=case_id).first()
    if case is None:
        raise HttpError(404, f"no case {case_id} in this shop")
    return case


def _shipment(order: Order, tracking_number: str | None) -> Shipment | None:
    """The parcel a report is about: the one named (or one of its legs), else the latest."""
    if not tracking_number:
        return None
    number = tracking_number.strip().upper()
    found = order.shipments.filter(Q(tracking_number=number) | Q(legs__tracking_number=number))
    shipment = found.first()
    if shipment is None:
        raise HttpError(422, f"order {order.order_number!r} has no parcel {number!r}")
    return shipment


CaseId = Path(..., ge=1, le=MAX_ID)


@router.post(
    "/cases", response={200: CaseOut, 201: CaseOut}, openapi_extra=problems(400, 404, 413, 422)
)
def post_case(request: HttpRequest, payload: CaseIn) -> Status[Case]:
    """Open a case (201), or add the report to the case already open on the parcel (200)."""
    shop = _shop(request)
    order = Order.objects.filter(shop=shop, order_number=payload.order_number).first()
    if order is None:
        raise HttpError(404, f"no order {payload.order_number!r} in this shop")
    case, created = services.open_case(
        shop=shop,
        order=order,
        kind=payload.kind,
        source=Case.Source.API,
        who=_who(request),
        now=clock.now(),
        shipment=_shipment(order, payload.tracking_number),
        summary=payload.summary,
    )
    return Status(201 if created else 200, _case(request, case.pk))


@router.get("/cases", response=CasePage, openapi_extra=problems(400, 422))
def list_cases(request: HttpRequest, q: Query[CaseQuery]) -> dict[str, Any]:
    """The shop's cases, newest first, filtered; follow next_cursor for more."""
    if not 1 <= q.limit <= MAX_PAGE:
        raise HttpError(400, f"limit must be between 1 and {MAX_PAGE}")
    qs = _cases(request).order_by("-id")
    filters = {"status": q.status, "kind": q.kind, "playbook": q.playbook, "is_open": q.open}
    qs = qs.filter(**{name: value for name, value in filters.items() if value is not None})
    if q.cursor:
        try:
            qs = qs.filter(id__lt=decode_cursor(q.cursor))
        except BadFilter as error:
            raise HttpError(400, str(error)) from None
    items = list(qs[: q.limit + 1])
    more = len(items) > q.limit
    items = items[: q.limit]
    return {"items": items, "next_cursor": encode_cursor(items[-1].pk) if more else None}


@router.get("/cases/{case_id}", response=CaseOut, openapi_extra=problems(404, 422))
def get_case(request: HttpRequest, case_id: int = CaseId) -> Case:
    """One case with its checklist, SLA times, risk and recommendation."""
    return _case(request, case_id)


# --- actions -----------------------------------------------------------------------------------

Handler = Callable[[Case, Any, Who, datetime], Result]


@dataclass(frozen=True)
class Action:
    """One row of the action table: its parameters and the service call it makes."""

    params: type[Params]
    call: Handler


def _complete(case: Case, p: StepParams, who: Who, now: datetime) -> Result:
    step = services.complete_step(case=case, key=p.step, who=who, now=now, data=p.data)
    return {"step": step.key, "state": step.state}


def _skip(case: Case, p: SkipParams, who: Who, now: datetime) -> Result:
    step = services.complete_step(case=case, key=p.step, who=who, now=now, skip=True)
    return {"step": step.key, "state": step.state}


def _note(case: Case, p: TextParams, who: Who, now: datetime) -> Result:
    return {"note": notes.add_note(case=case, body=p.body, who=who, now=now).pk}


def _reply(case: Case, p: TextParams, who: Who, now: datetime) -> Result:
    return {"queued": notes.reply(case=case, body=p.body, who=who, now=now)}


def _request_pod(case: Case, p: NoParams, who: Who, now: datetime) -> Result:
    carrier.request_pod(case=case, who=who, now=now)
    return {}


def _record_pod(case: Case, p: PodParams, who: Who, now: datetime) -> Result:
    carrier.record_pod(case=case, strength=p.strength, detail=p.detail, who=who, now=now)
    return {}


def _file_claim(case: Case, p: ClaimParams, who: Who, now: datetime) -> Result:
    claim = carrier.file_claim(case=case, reference=p.reference, who=who, now=now)
    return {"claim": claim.pk, "status": claim.status, "deadline_at": claim.deadline_at}


def _claim_outcome(case: Case, p: ClaimOutcomeParams, who: Who, now: datetime) -> Result:
    claim = carrier.claim_outcome(
        case=case, accepted=p.accepted, payout_minor=p.payout_minor, who=who, now=now
    )
    return {"claim": claim.pk, "status": claim.status}


def _remedy(case: Case, p: RemedyParams, who: Who, now: datetime) -> Result:
    entry, created = outcomes.record_remedy(
        case=case,
        kind=p.kind,
        amount=p.amount_minor,
        who=who,
        now=now,
        idempotency_key=p.idempotency_key,
        reason=p.reason,
        carrier=p.carrier,
        tracking_number=p.tracking_number,
        customer_share_percent=p.customer_share_percent,
        reference=p.reference,
    )
    return {"entry": entry.pk, "created": created, "kind": entry.kind, "amount": entry.amount}


def _deny(case: Case, p: DenyParams, who: Who, now: datetime) -> Result:
    outcomes.deny(case=case, who=who, now=now, reason=p.reason)
    return {}


def _close(case: Case, p: NoParams, who: Who, now: datetime) -> Result:
    outcomes.close(case=case, who=who, now=now)
    return {}


def _reopen(case: Case, p: ReopenParams, who: Who, now: datetime) -> Result:
    outcomes.reopen(case=case, who=who, now=now, why=p.why)
    return {}


def _assess(case: Case, p: NoParams, who: Who, now: datetime) -> Result:
    risk = assess(case=case, now=now)
    return {"score": risk.score, "band": risk.band}


ACTIONS: dict[str, Action] = {
    "complete_step": Action(StepParams, _complete),
    "skip_step": Action(SkipParams, _skip),
    "note": Action(TextParams, _note),
    "reply": Action(TextParams, _reply),
    "request_pod": Action(NoParams, _request_pod),
    "record_pod": Action(PodParams, _record_pod),
    "file_claim": Action(ClaimParams, _file_claim),
    "claim_outcome": Action(ClaimOutcomeParams, _claim_outcome),
    "remedy": Action(RemedyParams, _remedy),
    "deny": Action(DenyParams, _deny),
    "close": Action(NoParams, _close),
    "reopen": Action(ReopenParams, _reopen),
    "assess": Action(NoParams, _assess),
}
"""Action name -> its parameters and the service it calls."""


def _action_schema(name: str, params: type[Params]) -> dict[str, Any]:
    schema = inline(params.model_json_schema())
    schema["title"] = name
    schema["properties"] = {"action": {"const": name}, **schema.get("properties", {})}
    schema["required"] = ["action", *schema.get("required", [])]
    return schema


ACTIONS_BODY = problems(
    400,
    404,
    409,
    413,
    422,
    extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"oneOf": [_action_schema(n, a.params) for n, a in ACTIONS.items()]}
                }
            },
        }
    },
)


def _problem(request: HttpRequest, status: int, title: str, detail: str, **extra: Any) -> Any:
    """A problem details response with extra members (the API root's helper)."""
    from parcelcare.api import problem  # the API root imports this module

    return problem(request, status, title, detail, **extra)


def _conflict(request: HttpRequest, case: Case, error: LedgerError) -> HttpResponse:
    """409 with what is still refundable, so the caller can book the right amount."""
    left, currency = refundable_now(case), case.order.currency
    return _problem(
        request, 409, "Ledger conflict", str(error), refundable_minor=left, currency=currency
    )


def _parameters(request: HttpRequest) -> dict[str, Any]:
    """The body's fields besides `action` (already parsed once as JSON by the API)."""
    body = json.loads(request.body)
    return {key: value for key, value in body.items() if key != "action"}


def _params(action: Action, body: dict[str, Any]) -> Params:
    try:
        return action.params.model_validate(body)
    except ValidationError as error:
        found = [dict(detail) for detail in error.errors(include_url=False)]
        raise NinjaValidationError(found) from None


@router.post("/cases/{case_id}/actions", response=ActionOut, openapi_extra=ACTIONS_BODY)
def post_action(request: HttpRequest, payload: ActionIn, case_id: int = CaseId) -> Any:
    """Take one action on the case: see the request body's variants for each action's fields."""
    case = _case(request, case_id)
    action = ACTIONS.get(payload.action)
    if action is None:
        detail = f"unknown action {payload.action!r}; one of: {', '.join(ACTIONS)}"
        return _problem(request, 422, "Unknown action", detail, actions=list(ACTIONS))
    params = _params(action, _parameters(request))
    try:
        result = action.call(case, params, _who(request), clock.now())
    except LedgerError as error:
        return _conflict(request, case, error)
    except ValueError as error:
        raise HttpError(422, str(error)) from None
    return {"action": payload.action, "result": result, "case": _case(request, case_id)}


# --- dossier -----------------------------------------------------------------------------------


@router.get(
    "/cases/{case_id}/dossier.json", response=dict[str, Any], openapi_extra=problems(404, 422)
)
def get_dossier(request: HttpRequest, case_id: int = CaseId, lang: str = "") -> dict[str, Any]:
    """Everything a payment dispute (item not received) needs, as one JSON document."""
    return build_dossier(_case(request, case_id), now=clock.now(), language=lang)


PDF_RESPONSE = problems(
    404,
    422,
    extra={
        "responses": {
            200: {
                "description": "The dossier as a PDF (A4).",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)


@router.get("/cases/{case_id}/dossier.pdf", openapi_extra=PDF_RESPONSE)
def get_dossier_pdf(request: HttpRequest, case_id: int = CaseId, lang: str = "") -> HttpResponse:
    """The dossier as a PDF to upload to PayPal, Klarna, Shopify Payments or the card issuer;
    `lang` (nl, de, en, fr) picks its language, the shop's own by default."""
    return pdf_response(_case(request, case_id), clock.now(), lang)
