"""The one-click survey after a refund or a resolved case: asked once, answered 1-5 with an
optional comment, in the customer's language; results per reason and carrier."""

from datetime import datetime

from django.db.models import Avg, Count

from parcelcare.domain.returns_policy import ReturnError

from .models import Feedback, ReturnRequest

SCORES = (1, 2, 3, 4, 5)


def _carrier(order_id: int) -> str:
    from parcelcare.tracking.models import Shipment

    found = (
        Shipment.objects.filter(order_id=order_id).order_by("id").values_list("carrier", flat=True)
    )
    return found.first() or ""


def ask_for_return(*, request: ReturnRequest, now: datetime) -> Feedback:
    """The survey of a settled return, created once."""
    found, _ = Feedback.objects.get_or_create(
        request=request,
        defaults={
            "shop_id": request.shop_id,
            "reason": request.reason,
            "carrier": _carrier(request.order_id),
            "language": request.language,
            "created_at": now,
        },
    )
    return found


def ask_for_case(*, case: object, now: datetime) -> Feedback:
    """The survey of a resolved case, created once."""
    found, _ = Feedback.objects.get_or_create(
        case_id=case.pk,  # type: ignore[attr-defined]
        defaults={
            "shop_id": case.shop_id,  # type: ignore[attr-defined]
            "reason": case.kind,  # type: ignore[attr-defined]
            "carrier": _carrier(case.order_id),  # type: ignore[attr-defined]
            "language": case.language,  # type: ignore[attr-defined]
            "created_at": now,
        },
    )
    return found


def answer(*, token: str, score: int, now: datetime, comment: str | None = None) -> Feedback:
    """Record the score (a later click changes it) and, when given, the comment."""
    if score not in SCORES:
        raise ReturnError("score", "a score is 1 to 5")
    survey = Feedback.objects.filter(token=token).first()
    if survey is None:
        raise ReturnError("survey", "unknown survey")
    survey.score, survey.answered_at = score, now
    if comment is not None:
        survey.comment = comment.strip()[:1000]
    survey.save(update_fields=["score", "answered_at", "comment"])
    return survey


def results(*, shop_id: int) -> dict[str, list[dict[str, object]]]:
    """Answers, average score per reason and per carrier, for one shop."""
    answered = Feedback.objects.filter(shop_id=shop_id, score__isnull=False)

    def by(field: str) -> list[dict[str, object]]:
        rows = answered.values(field).annotate(answers=Count("id"), average=Avg("score"))
        return [
            {
                "key": row[field] or "-",
                "answers": row["answers"],
                "average": round(float(row["average"]), 2),
            }
            for row in rows.order_by(field)
        ]

    return {"reason": by("reason"), "carrier": by("carrier")}
