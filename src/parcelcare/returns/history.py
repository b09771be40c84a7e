"""A return's audit trail in the agent's words: who (customer, system or the agent's name) and
what happened, with statuses, carriers and reasons named rather than coded."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from parcelcare.cases.labels import money
from parcelcare.integrations.carriers.names import carrier_name
from parcelcare.ledger.labels import reason_label

from .words import STATUSES


def who(actor_type: str, actor: str) -> str:
    """The one who acted: an agent by name, else the customer or the system."""
    if actor_type == "customer":
        return _("Customer")
    if actor_type == "agent" and actor:
        return actor
    return _("System")


def what(action: str, after: dict[str, Any] | None, currency: str = "EUR") -> str:
    """One audit entry of a return as a short sentence; empty when a status line says it."""
    after = after or {}
    if action == "request":
        return str(STATUSES["requested"])
    if action == "status":
        status = str(after.get("status", ""))
        return str(STATUSES.get(status, status))
    if action == "return_parcel":
        return _("Return parcel: %(parcel)s") % {"parcel": carrier_name(after.get("carrier", ""))}
    if action == "inspect":
        deduction = int(after.get("deduction") or 0)
        if not deduction:
            return ""
        return _("Deduction after inspection: %(amount)s") % {"amount": money(deduction, currency)}
    if action == "resolve":
        return ""  # the status line "Return completed" and the ledger say it
    if action == "refund":
        return _("Refund paid out") if after.get("status") == "paid" else _("Refund failed")
    if action == "refund_again":
        return _("Refund booked again")
    return action


def lines(rows: Iterable[Mapping[str, Any]], currency: str = "EUR") -> list[dict[str, Any]]:
    """Audit rows with `who` and `what` in words, and the note the agent gave, if any."""
    found = [
        {
            "at": row["at"],
            "who": who(row["actor_type"], row["actor"]),
            "what": what(row["action"], row["after"], currency),
            "note": (row["after"] or {}).get("note", "") if row["action"] == "status" else "",
        }
        for row in rows
    ]
    return [line for line in found if line["what"]]


def feedback_rows(results: dict[str, list[dict[str, object]]]) -> dict[str, list[dict]]:
    """Survey results with reasons and carriers named."""
    name = {"reason": reason_label, "carrier": carrier_name}
    return {
        title: [{**row, "key": name[title](str(row["key"]))} for row in rows]
        for title, rows in results.items()
    }
