"""The customer's case page in their words: what we know, what happens next, what we ask.

Only what the customer gave or needs is shown: no address, e-mail or phone number.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.functional import Promise
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parcelcare.domain.playbooks import Actor, StepKey, StepState
from parcelcare.ledger.models import RemedyEntry
from parcelcare.messaging.models import OutboxMessage
from parcelcare.tracking import labels as tracking_labels
from parcelcare.tracking import public_format, public_page
from parcelcare.tracking.page_wording import Estimate

from .customer import CHECKS
from .models import Case
from .services import CLOSED_STATES

T = StepKey

CHECK_SENTENCES: dict[str, Promise] = {
    "household": gettext_lazy("I asked everyone in my household whether they took it in."),
    "neighbours": gettext_lazy("I asked my neighbours whether they accepted it for me."),
    "safe_place": gettext_lazy(
        "I looked in any safe place the driver may have used: porch, shed, behind the bins."
    ),
    "mailbox": gettext_lazy("I checked my mailbox and any parcel box."),
    "pickup_point": gettext_lazy(
        "I looked for a card or message saying it went to a pickup point."
    ),
}

NEXT: dict[str, Promise] = {
    T.INVESTIGATE_TRACKING: gettext_lazy("We are checking the tracking history with the carrier."),
    T.VERIFY_ADDRESS: gettext_lazy("We are checking the delivery address of your order."),
    T.REQUEST_POD: gettext_lazy(
        "We have asked the carrier for proof of delivery. This usually takes a few working days."
    ),
    T.FILE_CLAIM: gettext_lazy("We are filing a claim with the carrier."),
    T.FOLLOW_UNTIL_DELIVERED: gettext_lazy(
        "We are following your parcel and will tell you as soon as anything changes."
    ),
}

OUTCOMES: dict[str, Promise] = {
    "reship": gettext_lazy("We are sending you a new parcel."),
    "refund": gettext_lazy("We are refunding your order in full."),
    "partial_refund": gettext_lazy("We are refunding part of your order."),
    "voucher": gettext_lazy("We have sent you a voucher."),
    "store_credit": gettext_lazy("We have added store credit to your account."),
    "deny": gettext_lazy(
        "We have looked into your report carefully and cannot offer a replacement or refund."
    ),
    "delivered": gettext_lazy("Your parcel has been delivered."),
}

THANKS: dict[str, Promise] = {
    "report": gettext_lazy("Thank you, we have your report."),
    "checks": gettext_lazy("Thank you for checking."),
    "declaration": gettext_lazy("Thank you, your declaration is signed."),
    "photos": gettext_lazy("Thank you, we have your photos."),
    "choice": gettext_lazy("Thank you, we have your choice."),
    "address": gettext_lazy("Thank you, we have your answer."),
    "message": gettext_lazy("Thank you, your message is on its way."),
}

CUSTOMER_STEPS = (T.CUSTOMER_CHECKS, T.DECLARATION, T.PHOTOS, T.CUSTOMER_CHOICE, T.CONFIRM_ADDRESS)


@dataclass(frozen=True)
class Line:
    """One message in the conversation with the shop."""

    mine: bool
    when: str
    text: str


@dataclass(frozen=True)
class CustomerCase:
    """Everything the customer's case page shows, already in their language."""

    shop_name: str
    reference: str
    order_number: str
    headline: str
    tone: str
    known: str
    estimate: Estimate | None
    next_steps: list[str]
    step: str
    steps_left: int
    statement: str
    is_open: bool
    new_parcel: str
    conversation: list[Line]
    photos: int


def _open_steps(case: Case) -> list[str]:
    """The customer's open steps, in playbook order."""
    rows = case.steps.filter(actor=Actor.CUSTOMER, state=StepState.OPEN).order_by("position")
    return [key for key in rows.values_list("key", flat=True) if key in CUSTOMER_STEPS]


def _next_steps(case: Case, asked: list[str], lang: str) -> list[str]:
    """What happens next, in one or two sentences."""
    if case.status in CLOSED_STATES:
        return []
    if asked:
        return [_("Please answer the question below, so we can carry on.")]
    step = case.steps.filter(state=StepState.OPEN).order_by("position").first()
    lines = [str(NEXT[step.key])] if step is not None and step.key in NEXT else []
    due = public_format.long_day(localtime(case.resolution_due).date(), lang)
    lines.append(_("We will come back to you with a solution by %(date)s.") % {"date": due})
    return lines


def _headline(case: Case, asked: list[str]) -> tuple[str, str]:
    """The case in one sentence, and its colour."""
    if case.status in CLOSED_STATES:
        text = OUTCOMES.get(case.outcome)
        return (str(text) if text else _("Your case is closed.")), "ok"
    if asked:
        return _("We need a little help from you"), "warn"
    return _("We are looking into your report"), "info"


def statement(case: Case, lang: str) -> str:
    """The declaration of non-receipt with the order number and delivery date filled in."""
    shipment = case.shipment
    delivered = shipment.delivered_at if shipment else None
    day = public_format.long_day(localtime(delivered).date(), lang) if delivered else "—"
    return _(
        "I declare that I did not receive the parcel of order %(order)s from %(shop)s, which "
        "the carrier reports as delivered on %(date)s. I have asked the people in my "
        "household and my neighbours, and checked my mailbox, any safe place and the pickup "
        "point. I understand that a false declaration can have legal consequences."
    ) % {"order": case.order.order_number, "shop": case.shop.name, "date": day}


def _conversation(case: Case) -> list[Line]:
    """The customer's own messages and the shop's replies, oldest first."""
    lines: list[tuple[datetime, Line]] = []
    if case.summary and case.source == Case.Source.CUSTOMER:
        lines.append(
            (case.opened_at, Line(True, tracking_labels.when(case.opened_at), case.summary))
        )
    for note in case.notes.filter(direction="in"):
        lines.append((note.at, Line(True, tracking_labels.when(note.at), note.body)))
    replies = OutboxMessage.objects.filter(
        shop_id=case.shop_id, idempotency_key__startswith=f"case:{case.pk}:case_reply:"
    )
    for reply in replies:
        body = str((reply.payload or {}).get("body", ""))
        lines.append((reply.send_at, Line(False, tracking_labels.when(reply.send_at), body)))
    return [line for _at, line in sorted(lines, key=lambda pair: pair[0])]


def _new_parcel(case: Case) -> str:
    """The tracking token of the replacement parcel, when there is one."""
    entry = RemedyEntry.objects.filter(case=case, shipment__isnull=False).order_by("-id").first()
    return entry.shipment.public_token if entry and entry.shipment else ""


def _known(case: Case, headline: str) -> str:
    """What tracking says, without "on its way" for a parcel the carrier has gone quiet on."""
    if case.playbook == "C" and case.shipment is not None and case.shipment.status != "delivered":
        return _("The carrier has not reported your parcel for some time")
    return headline or _("Your order is being prepared")


def customer_case(case: Case, *, lang: str, now: datetime) -> CustomerCase:
    """The customer's page; call with `lang` and the shop's time zone active."""
    asked = _open_steps(case) if case.status not in CLOSED_STATES else []
    page = public_page.build_page(case.shipment, lang=lang, now=now) if case.shipment else None
    headline, tone = _headline(case, asked)
    return CustomerCase(
        shop_name=case.shop.name,
        reference=case.reference,
        order_number=case.order.order_number,
        headline=headline,
        tone=tone,
        known=_known(case, page.headline if page else ""),
        estimate=page.estimate if page else None,
        next_steps=_next_steps(case, asked, lang),
        step=asked[0] if asked else "",
        steps_left=len(asked),
        statement=statement(case, lang) if T.DECLARATION in asked else "",
        is_open=case.status not in CLOSED_STATES,
        new_parcel=_new_parcel(case),
        conversation=_conversation(case),
        photos=case.attachments.count(),
    )


def checks() -> list[tuple[str, str]]:
    """Every check with its helpful sentence, in the active language."""
    return [(key, str(CHECK_SENTENCES[key])) for key in CHECKS]
