"""The assistant's vocabulary in words for agents: what a message asks, how sure, its language."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from parcelcare.cases.labels import KIND_LABELS
from parcelcare.domain.cases import CaseKind
from parcelcare.domain.intents import Intent

INTENT_LABELS: dict[str, Promise] = {
    Intent.ORDER_STATUS: KIND_LABELS[CaseKind.ORDER_STATUS],
    Intent.NOT_RECEIVED: KIND_LABELS[CaseKind.NOT_RECEIVED],
    Intent.RETURN_REQUEST: KIND_LABELS[CaseKind.RETURN],
    Intent.REFUND_STATUS: KIND_LABELS[CaseKind.REFUND_STATUS],
    Intent.DAMAGED_OR_WRONG_ITEM: KIND_LABELS[CaseKind.DAMAGED_OR_WRONG_ITEM],
    Intent.CHANGE_ADDRESS: KIND_LABELS[CaseKind.ADDRESS_CHANGE],
    Intent.CANCEL_ORDER: KIND_LABELS[CaseKind.CANCELLATION],
    Intent.OTHER: gettext_lazy("Something else"),
}
"""What a message asks, in the words the case desk uses for the same questions."""


def intent_label(intent: str) -> str:
    """An intent in words; the code itself for one without a label."""
    return str(INTENT_LABELS.get(intent, intent))
