"""The case desk's vocabulary in words, in four languages: kinds, statuses, steps, SLA, risk.

Machine keys from `domain/` (risk factors, remedy reasons) become sentences with their numbers.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from babel.numbers import format_currency, get_currency_precision
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parcelcare.domain.cases import CaseKind, CaseStatus, Playbook
from parcelcare.domain.playbooks import Actor, StepKey, StepState
from parcelcare.domain.risk import PodStrength, RiskBand
from parcelcare.domain.sla import SlaState

K, S, P, T = CaseKind, CaseStatus, Playbook, StepKey

KIND_LABELS: dict[str, Promise] = {
    K.ORDER_STATUS: gettext_lazy("Where is my order"),
    K.NOT_RECEIVED: gettext_lazy("Not received"),
    K.LOST: gettext_lazy("Lost parcel"),
    K.DAMAGED_OR_WRONG_ITEM: gettext_lazy("Damaged or wrong item"),
    K.UNDELIVERABLE: gettext_lazy("Undeliverable"),
    K.RETURN: gettext_lazy("Return"),
    K.REFUND_STATUS: gettext_lazy("Refund status"),
    K.ADDRESS_CHANGE: gettext_lazy("Address change"),
    K.CANCELLATION: gettext_lazy("Cancellation"),
}

STATUS_LABELS: dict[str, Promise] = {
    S.NEW: gettext_lazy("New"),
    S.ACKNOWLEDGED: gettext_lazy("Acknowledged"),
    S.INVESTIGATING: gettext_lazy("Investigating"),
    S.WAITING_ON_CUSTOMER: gettext_lazy("Waiting on customer"),
    S.WAITING_ON_CARRIER: gettext_lazy("Waiting on carrier"),
    S.RESOLUTION_PROPOSED: gettext_lazy("Remedy to decide"),
    S.RESOLVED: gettext_lazy("Resolved"),
    S.CLOSED: gettext_lazy("Closed"),
}

STATUS_TONES: dict[str, str] = {
    S.NEW: "info",
    S.ACKNOWLEDGED: "info",
    S.INVESTIGATING: "info",
    S.WAITING_ON_CUSTOMER: "muted",
    S.WAITING_ON_CARRIER: "muted",
    S.RESOLUTION_PROPOSED: "warn",
    S.RESOLVED: "ok",
    S.CLOSED: "muted",
}

PLAYBOOK_NAMES: dict[str, Promise] = {
    P.MOVING_OR_DELAYED: gettext_lazy("Moving or delayed"),
    P.DELIVERED_NOT_RECEIVED: gettext_lazy("Delivered, not received"),
    P.LIKELY_LOST: gettext_lazy("Likely lost"),
    P.UNDELIVERABLE: gettext_lazy("Undeliverable or returned"),
    P.DAMAGED_OR_WRONG: gettext_lazy("Damaged or wrong item"),
}

STEP_LABELS: dict[str, Promise] = {
    T.ACKNOWLEDGE: gettext_lazy("Acknowledge the report"),
    T.REPLY_STATUS: gettext_lazy("Reply with the status and an estimate"),
    T.FOLLOW_UNTIL_DELIVERED: gettext_lazy("Follow the parcel until it is delivered"),
    T.INVESTIGATE_TRACKING: gettext_lazy("Check the tracking history"),
    T.VERIFY_ADDRESS: gettext_lazy("Verify the delivery address"),
    T.CUSTOMER_CHECKS: gettext_lazy("Customer checks household, neighbours and mailbox"),
    T.DECLARATION: gettext_lazy("Customer signs the declaration of non-receipt"),
    T.REQUEST_POD: gettext_lazy("Proof of delivery from the carrier"),
    T.FILE_CLAIM: gettext_lazy("File the carrier claim"),
    T.CUSTOMER_CHOICE: gettext_lazy("Customer chooses reship or refund"),
    T.CONFIRM_ADDRESS: gettext_lazy("Customer confirms the address"),
    T.PHOTOS: gettext_lazy("Customer sends photos"),
    T.DECIDE_REMEDY: gettext_lazy("Decide the remedy"),
}

ACTOR_LABELS: dict[str, Promise] = {
    Actor.CUSTOMER: gettext_lazy("Customer"),
    Actor.AGENT: gettext_lazy("Agent"),
    Actor.CARRIER: gettext_lazy("Carrier"),
    Actor.SYSTEM: gettext_lazy("System"),
}

STEP_STATE_LABELS: dict[str, Promise] = {
    StepState.OPEN: gettext_lazy("Open"),
    StepState.DONE: gettext_lazy("Done"),
    StepState.SKIPPED: gettext_lazy("Skipped"),
}

SLA_LABELS: dict[str, Promise] = {
    SlaState.ON_TRACK: gettext_lazy("On track"),
    SlaState.AT_RISK: gettext_lazy("At risk"),
    SlaState.BREACHED: gettext_lazy("Breached"),
    SlaState.MET: gettext_lazy("Met"),
    SlaState.MISSED: gettext_lazy("Missed"),
}

SLA_TONES: dict[str, str] = {
    SlaState.ON_TRACK: "ok",
    SlaState.AT_RISK: "warn",
    SlaState.BREACHED: "danger",
    SlaState.MET: "ok",
    SlaState.MISSED: "danger",
}

BAND_LABELS: dict[str, Promise] = {
    RiskBand.LOW: gettext_lazy("Low risk"),
    RiskBand.MEDIUM: gettext_lazy("Medium risk"),
    RiskBand.HIGH: gettext_lazy("High risk"),
}
BAND_TONES: dict[str, str] = {RiskBand.LOW: "ok", RiskBand.MEDIUM: "warn", RiskBand.HIGH: "danger"}

POD_LABELS: dict[str, Promise] = {
    PodStrength.NONE: gettext_lazy("No proof"),
    PodStrength.SCAN_ONLY: gettext_lazy("Delivery scan only"),
    PodStrength.PHOTO: gettext_lazy("Photo at the door"),
    PodStrength.SIGNATURE: gettext_lazy("Signature"),
    PodStrength.SIGNATURE_AND_GPS: gettext_lazy("Signature with GPS position"),
}

REMEDY_LABELS: dict[str, Promise] = {
    "reship": gettext_lazy("Reship"),
    "refund": gettext_lazy("Full refund"),
    "partial_refund": gettext_lazy("Partial refund"),
    "voucher": gettext_lazy("Voucher"),
    "store_credit": gettext_lazy("Store credit"),
    "carrier_claim_recovery": gettext_lazy("Carrier claim payout"),
    "deny": gettext_lazy("Deny"),
    "wait": gettext_lazy("Wait for delivery"),
    "delivered": gettext_lazy("Delivered after all"),
}

CLAIM_STATUS_LABELS: dict[str, Promise] = {
    "draft": gettext_lazy("Not filed yet"),
    "filed": gettext_lazy("Filed, waiting for the carrier"),
    "accepted": gettext_lazy("Accepted"),
    "rejected": gettext_lazy("Rejected"),
    "paid": gettext_lazy("Paid out"),
    "overdue": gettext_lazy("Deadline passed"),
    "due_soon": gettext_lazy("Deadline soon"),
}

FACTOR_SENTENCES: dict[str, Promise] = {
    "earlier_claims_by_customer": gettext_lazy("Earlier claims by this customer: %(claims)s"),
    "earlier_claims_same_contact": gettext_lazy(
        "Earlier claims under another account with the same e-mail, phone or address: %(claims)s"
    ),
    "pod_none": gettext_lazy("The carrier has no proof of delivery"),
    "pod_photo": gettext_lazy("The carrier has a photo of the delivery"),
    "pod_signature": gettext_lazy("Someone signed for the parcel"),
    "pod_signature_and_gps": gettext_lazy("Someone signed for the parcel at the address (GPS)"),
    "address_mismatch": gettext_lazy("The carrier delivered to another postcode than the order's"),
    "returning_customer": gettext_lazy(
        "Returning customer: %(orders)s earlier orders delivered without a claim"
    ),
    "loyal_customer": gettext_lazy(
        "Loyal customer: %(orders)s earlier orders delivered without a claim"
    ),
    "first_order": gettext_lazy("First order from this customer"),
    "high_order_value": gettext_lazy(
        "This order is worth %(ratio)s times a typical order (%(value)s against %(typical)s)"
    ),
    "late_claim": gettext_lazy("Reported %(days)s days after delivery"),
}

REASON_SENTENCES: dict[str, Promise] = {
    "still_in_transit": gettext_lazy("The parcel is still moving: follow it until delivery."),
    "repeated_claims": gettext_lazy(
        "%(claims)s claims in the last 365 days; the policy denies from %(limit)s."
    ),
    "high_risk": gettext_lazy(
        "Risk score %(score)s is at or above the policy's limit of %(limit)s."
    ),
    "benefit_of_doubt_first_order": gettext_lazy(
        "A first order: the policy gives the benefit of the doubt."
    ),
    "loyal_customer": gettext_lazy(
        "A loyal customer with %(orders)s orders (trusted from %(threshold)s): "
        "the benefit of the doubt."
    ),
    "customer_chose": gettext_lazy("The customer chose: %(choice)s."),
    "address_error_split_cost": gettext_lazy(
        "The address was the customer's error: reship and split the cost, "
        "the customer pays %(share_percent)s%%."
    ),
    "shop_prefers_refund": gettext_lazy("The shop's policy prefers refunds."),
    "already_reshipped": gettext_lazy(
        "This order was reshipped before and a goodwill reship is once only."
    ),
    "goodwill_reship_once": gettext_lazy("A goodwill reship, once per order."),
    "shop_prefers_reship": gettext_lazy("The shop's policy prefers a reship."),
    "insured_value": gettext_lazy(
        "Insured, or worth more than the insurance threshold (%(value)s): file the carrier claim."
    ),
}


def _word(table: Mapping[str, Promise], key: str | None) -> str:
    """The label of `key`, or the key itself when the table has none."""
    return str(table.get(key or "", key or "—"))


def kind_label(kind: str) -> str:
    """A case kind in words."""
    return _word(KIND_LABELS, kind)


def status_label(status: str) -> str:
    """A case status in words."""
    return _word(STATUS_LABELS, status)


def playbook_label(letter: str) -> str:
    """'B · Delivered, not received'."""
    return f"{letter} · {_word(PLAYBOOK_NAMES, letter)}"


def step_label(key: str) -> str:
    """A checklist step in words."""
    return _word(STEP_LABELS, key)


def remedy_label(kind: str) -> str:
    """A remedy or outcome in words."""
    return _word(REMEDY_LABELS, kind)


def money(minor_units: int, currency: str) -> str:
    """An amount in minor units as the active language writes it, e.g. '€ 29,90'."""
    amount = Decimal(int(minor_units)).scaleb(-get_currency_precision(currency))
    return format_currency(amount, currency, locale=translation.to_locale(_language()))


def _language() -> str:
    return translation.get_language() or "en"


def first_name(full_name: str) -> str:
    """The first word of a name: all the inbox shows of a customer."""
    parts = (full_name or "").split()
    return parts[0] if parts else "—"


def signed(weight: int) -> str:
    """A weight with its sign: '+15', '-10'."""
    return f"{weight:+d}" if weight else "0"


def _numbers(detail: Mapping[str, Any], currency: str) -> dict[str, Any]:
    """A factor's or reason's numbers ready for its sentence (money written out)."""
    values: dict[str, Any] = {k: v for k, v in detail.items() if v is not None}
    for key, name in (
        ("order_value_minor", "value"),
        ("typical_order_value_minor", "typical"),
    ):
        if key in values:
            values[name] = money(int(values[key]), currency)
    if "choice" in values:
        values["choice"] = remedy_label(str(values["choice"])).lower()
    return values


def factor_sentence(key: str, detail: Mapping[str, Any], currency: str) -> str:
    """A risk factor as a sentence with its numbers; unknown keys are shown as received."""
    text = FACTOR_SENTENCES.get(key)
    if text is None:
        return key
    try:
        return str(text) % _numbers(detail, currency)
    except (KeyError, ValueError, TypeError):
        return key


def reason_sentence(key: str, detail: Mapping[str, Any], currency: str) -> str:
    """A remedy reason as a sentence with its numbers; unknown keys are shown as received."""
    text = REASON_SENTENCES.get(key)
    if text is None:
        return key
    values = _numbers(detail, currency)
    if key == "insured_value":
        values["value"] = values.get("value") or money(0, currency)
    try:
        return str(text) % values
    except (KeyError, ValueError, TypeError):
        return key


def sla_chip(state: str) -> tuple[str, str]:
    """An SLA state's words and tone."""
    return _word(SLA_LABELS, state), SLA_TONES.get(state, "muted")


def band_chip(band: str | None) -> tuple[str, str]:
    """A risk band's words and tone; a dash when the case was not scored."""
    if not band:
        return "—", "muted"
    return _word(BAND_LABELS, band), BAND_TONES.get(band, "muted")


def actor_words(kind: str, name: str = "") -> str:
    """Who acted, in words: an agent by their username, an integration by its key's name, the
    customer and parcelcare itself by their role. "kind:name" in one string is read too."""
    if not name and ":" in kind:
        kind, _sep, name = kind.partition(":")
    if kind == "agent":
        return name or _("Agent")
    if kind == "integration":
        return _("Integration %(name)s") % {"name": name} if name else _("Integration")
    if kind == "customer":
        return _("Customer")
    if kind == "system":
        return _("System")
    if kind == "carrier":
        return _("Carrier")
    return f"{kind} {name}".strip() or "—"


DONE_BY_ROLES = {"customer": "customer", "desk": "system"}
"""How a step records who settled it when nobody by name did (see services.settle_step)."""


def done_by_words(done_by: str) -> str:
    """A checklist step's "done by": the customer and parcelcare in words, agents by name."""
    role = DONE_BY_ROLES.get(done_by)
    return actor_words(role) if role else done_by


def unassigned() -> str:
    """Shown when nobody owns a case."""
    return _("Unassigned")
