"""Return messages: queued by each step of a return, sent only while still true, at the pace of
a reply, in the customer's language and the shop's brand; the refund one carries the survey."""

from datetime import timedelta

import pytest
from returning import NOW, Bought, Inbox, bought_order, branded_mail, smtp_server  # noqa: F401

from parcelcare import clock
from parcelcare.domain.notify_pace import NO_GAP, UNCAPPED
from parcelcare.domain.notify_policy import MessageKind
from parcelcare.domain.notify_truth import ReturnFacts, SendFacts, why_untrue
from parcelcare.domain.returns_policy import Pick
from parcelcare.domain.vocabulary import ShipmentStatus
from parcelcare.integrations.channels.memory import MemoryChannel
from parcelcare.ledger import payouts
from parcelcare.ledger.models import OrderPayment, Payout, PayoutAccount
from parcelcare.messaging.labels import kind_label, withdrawn_label
from parcelcare.messaging.models import OutboxMessage
from parcelcare.messaging.overrides import slots
from parcelcare.messaging.sender import send_due
from parcelcare.returns import messages, refunds, services
from parcelcare.returns.models import Feedback, ReturnRequest, ReturnSettings

K = MessageKind
AGENT = services.Who("agent", "eva")
RETURN_KINDS = (
    K.RETURN_RECEIVED,
    K.RETURN_APPROVED,
    K.RETURN_ARRIVED,
    K.RETURN_REJECTED,
    K.RETURN_REFUNDED,
)


@pytest.fixture(autouse=True)
def by_hand(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages and payouts go when the test says; the clock stands still."""
    monkeypatch.setattr(messages, "_send_soon", lambda: None)
    monkeypatch.setattr(payouts, "_pay_soon", lambda: None)
    monkeypatch.setattr(clock, "now", lambda: NOW)


def facts(status: str | None, refunds: tuple[tuple[str, str], ...] = ()) -> SendFacts:
    ret = None if status is None else ReturnFacts(status, refunds)
    return SendFacts(ShipmentStatus.DELIVERED, True, frozenset(), NOW.date(), ret=ret)


@pytest.mark.parametrize(
    ("kind", "detail", "status", "refunds", "true"),
    [
        (K.RETURN_RECEIVED, "-", "requested", (), True),
        (K.RETURN_RECEIVED, "-", "approved", (), True),
        (K.RETURN_RECEIVED, "-", "rejected", (), False),
        (K.RETURN_RECEIVED, "-", None, (), False),
        (K.RETURN_APPROVED, "-", "approved", (), True),
        (K.RETURN_APPROVED, "-", "in_transit", (), True),
        (K.RETURN_APPROVED, "-", "requested", (), False),
        (K.RETURN_APPROVED, "-", "rejected", (), False),
        (K.RETURN_REJECTED, "-", "rejected", (), True),
        (K.RETURN_REJECTED, "-", "approved", (), False),
        (K.RETURN_REFUNDED, "7", "resolved", (("7", "paid"),), True),
        (K.RETURN_REFUNDED, "7", "resolved", (("7", "recorded"),), True),
        (K.RETURN_REFUNDED, "7", "resolved", (("7", "pending"),), False),
        (K.RETURN_REFUNDED, "7", "resolved", (("7", "failed"), ("8", "paid")), False),
        (K.RETURN_REFUNDED, "8", "resolved", (("7", "failed"), ("8", "paid")), True),
    ],
)
def test_each_return_message_is_true_only_while_its_reason_holds(
    kind, detail, status, refunds, true
):
    why = why_untrue(kind, detail, facts(status, refunds))
    assert (why == "") is true
    if not true:
        assert why.startswith("no longer true: return ")


def test_a_cancelled_parcel_does_not_silence_a_return_answer():
    approved = ReturnFacts("approved")
    cancelled = SendFacts(ShipmentStatus.CANCELLED, False, frozenset(), NOW.date(), ret=approved)
    assert why_untrue(K.RETURN_APPROVED, "-", cancelled) == ""
    assert why_untrue(K.DELIVERED, "-", cancelled) == "shipment cancelled"


def test_answers_to_the_customers_request_are_paced_as_replies():
    assert set(RETURN_KINDS) <= UNCAPPED
    assert K.RETURN_RECEIVED in NO_GAP and K.RETURN_REFUNDED not in NO_GAP


def test_the_kinds_are_in_the_editor_and_have_labels():
    edited = {slot.kind for slot in slots()}
    assert set(RETURN_KINDS) <= edited
    assert all(kind_label(kind) != kind for kind in RETURN_KINDS)
    assert "return changed" in withdrawn_label("no longer true: return rejected")


def ask(bought: Bought, **extra) -> ReturnRequest:
    return services.request_return(
        order=bought.order,
        picks=[Pick(bought.pot.pk, 1)],
        reason=extra.pop("reason", "damaged"),
        resolution="refund",
        language=extra.pop("language", "nl"),
        now=NOW,
        **extra,
    )


def outbox(kind: str) -> OutboxMessage:
    return OutboxMessage.objects.get(kind=kind)


def memory() -> dict[str, MemoryChannel]:
    return {name: MemoryChannel(name) for name in ("email", "sms", "whatsapp")}


def drain(out: dict, start=NOW, rounds: int = 5) -> None:
    """Send what is due, 20 minutes apart: answers keep the customer's minimum gap."""
    for n in range(rounds):
        send_due(out, start + timedelta(minutes=20 * n))


@pytest.mark.django_db
def test_the_request_is_acknowledged_at_once_with_its_rma_and_page(bought: Bought):
    item = ask(bought)
    row = outbox("return_received")
    assert (row.channel, row.language, row.audience) == ("email", "nl", "customer")
    assert row.idempotency_key == f"return:{item.pk}:return_received:-"
    assert row.payload["case_reference"] == item.rma
    assert row.payload["case_url"].endswith(f"/rs/{item.public_token}")
    out = memory()
    assert send_due(out, NOW) == {"sent": 1}
    text = out["email"].sent[0].text
    assert item.rma in text and f"/rs/{item.public_token}" in text
    assert "retourverzoek" in text and "bestelling 5001" in text


@pytest.mark.django_db
def test_approval_rejected_before_sending_is_withdrawn_and_the_reason_goes_out(
    bought: Bought,
):
    ReturnSettings.objects.create(
        shop_id=bought.order.shop_id, return_address="Postbus 12\nUtrecht"
    )
    item = ask(bought, language="en")
    send_due(memory(), NOW)
    services.approve(request=item, who=AGENT, now=NOW)
    assert outbox("return_approved").payload["return_address"] == "Postbus 12 Utrecht"
    services.reject(request=item, who=AGENT, now=NOW, reason="The photos show wear from use.")
    out = memory()
    counts = send_due(out, NOW + timedelta(hours=1))
    assert counts.get("sent") == 1
    approved, rejected = outbox("return_approved"), outbox("return_rejected")
    assert approved.status == "withdrawn"
    assert approved.withdrawn_reason == "no longer true: return rejected"
    assert rejected.status == "sent"
    sent = out["email"].sent[0]
    assert "The photos show wear from use." in sent.text and item.rma in sent.subject


def resolve(item: ReturnRequest) -> None:
    services.approve(request=item, who=AGENT, now=NOW)
    services.mark_received(request=item, who=AGENT, now=NOW)
    services.inspect(request=item, who=AGENT, now=NOW)
    services.resolve(request=item, kind="refund", who=AGENT, now=NOW)


@pytest.mark.django_db
def test_a_recorded_refund_is_told_with_amount_and_survey_link(bought: Bought):
    item = ask(bought, language="de")
    resolve(item)
    row = outbox("return_refunded")
    survey = Feedback.objects.get(request=item)
    assert row.payload["survey_url"].endswith(f"/f/{survey.token}")
    assert row.payload["amount_minor_units"] == 1495
    out = memory()
    drain(out)
    refunded = [m for m in out["email"].sent if f"/f/{survey.token}" in m.text]
    assert len(refunded) == 1
    assert "14,95" in refunded[0].text and "erstattet" in refunded[0].text


@pytest.mark.django_db
def test_a_paid_out_refund_is_told_only_once_the_payout_succeeded(bought: Bought):
    OrderPayment.objects.create(
        shop_id=bought.order.shop_id, order=bought.order, provider="stripe", reference="pi_1"
    )
    PayoutAccount.objects.create(
        shop_id=bought.order.shop_id, provider="stripe", secret="sk_test_x", settings={}
    )
    item = ask(bought)
    resolve(item)
    assert not OutboxMessage.objects.filter(kind="return_refunded").exists()
    payout = Payout.objects.get(entry__return_request=item)
    payouts.settle(payout_id=payout.pk, state="failed", refund_id="", error="declined", now=NOW)
    assert not OutboxMessage.objects.filter(kind="return_refunded").exists()
    again = refunds.refund_again(request=item, who=AGENT, now=NOW)
    second = Payout.objects.get(entry=again)
    payouts.settle(payout_id=second.pk, state="succeeded", refund_id="re_9", error="", now=NOW)
    row = outbox("return_refunded")
    assert row.detail == str(again.pk)
    drain(memory())
    row.refresh_from_db()
    assert row.status == "sent"


@pytest.mark.django_db
def test_without_e_mail_the_answer_goes_by_sms(bought: Bought):
    customer = bought.order.customer
    customer.email = ""
    customer.save()
    item = ask(bought, language="fr")
    out = memory()
    send_due(out, NOW)
    assert outbox("return_received").channel == "sms"
    text = out["sms"].sent[0].text
    assert item.rma in text and "commande 5001" in text and f"/rs/{item.public_token}" in text


@pytest.mark.django_db
def test_a_walked_return_reaches_a_real_mail_server_branded(bought: Bought, smtp, settings):
    inbox, port = smtp
    sender = branded_mail(bought, port, settings)
    item = ask(bought)
    send_due(sender, NOW)
    services.approve(request=item, who=AGENT, now=NOW)
    send_due(sender, NOW + timedelta(minutes=20))
    services.mark_received(request=item, who=AGENT, now=NOW)
    send_due(sender, NOW + timedelta(minutes=40))
    services.inspect(request=item, who=AGENT, now=NOW)
    services.resolve(request=item, kind="refund", who=AGENT, now=NOW)
    send_due(sender, NOW + timedelta(minutes=60))
    subjects = [m["Subject"] for m in inbox.messages]
    assert len(subjects) == 4, subjects
    assert all(m["To"] == "c5001@example.com" for m in inbox.messages)
    assert "Groenhuis" in inbox.messages[0]["From"]
    assert item.rma in subjects[0] and "goedgekeurd" in subjects[1]
    assert "aangekomen" in subjects[2] and "5001" in subjects[3]
    html = inbox.messages[3].get_body(("html",)).get_content()
    assert "#0b6e4f" in html.lower() and f"/rs/{item.public_token}" in html
    assert "Bekijk je retour" in html
    text = inbox.messages[3].get_body(("plain",)).get_content()
    token = Feedback.objects.get(request=item).token
    assert f"/f/{token}" in text and "14,95" in text


@pytest.mark.django_db
def test_a_resolved_case_brings_its_survey_link_to_the_customer(bought: Bought, monkeypatch):
    from parcelcare.cases import messages as case_messages
    from parcelcare.cases.actors import CUSTOMER, Who
    from parcelcare.cases.models import Case
    from parcelcare.cases.outcomes import record_remedy
    from parcelcare.cases.services import open_case
    from parcelcare.domain.cases import CaseKind
    from parcelcare.domain.money import RemedyKind

    monkeypatch.setattr(case_messages, "_send_soon", lambda: None)
    case, _ = open_case(
        shop=bought.order.shop,
        order=bought.order,
        kind=CaseKind.NOT_RECEIVED,
        source=Case.Source.CUSTOMER,
        who=CUSTOMER,
        now=NOW,
    )
    record_remedy(
        case=case,
        kind=RemedyKind.REFUND,
        amount=bought.order.total,
        who=Who("agent", "eva"),
        now=NOW,
        idempotency_key="case-refund",
    )
    token = Feedback.objects.get(case_id=case.pk).token
    assert outbox("case_resolved").payload["survey_url"].endswith(f"/f/{token}")
    out = memory()
    drain(out)
    resolved = [m for m in out["email"].sent if f"/f/{token}" in m.text]
    assert len(resolved) == 1 and "Met één klik" in resolved[0].text


@pytest.mark.django_db
def test_the_editors_preview_of_a_return_message_reads_like_a_real_one(bought: Bought):
    from parcelcare.domain.notify_policy import Channel
    from parcelcare.messaging.overrides import Slot, default_source, render_draft

    slot = Slot(K.RETURN_REFUNDED, Channel.EMAIL, "fr")
    rendered = render_draft(bought.order.shop, slot, default_source(slot), NOW)
    assert "RMA-7KQ2-M4XP" in rendered.text and "/f/sample" in rendered.text
    assert "24,95" in rendered.text


@pytest.mark.parametrize(
    ("kind", "language", "words"),
    [
        ("store_credit", "nl", ("tegoed van € 14,95", "Tegoed voor je retour")),
        ("voucher", "fr", ("bon d\u2019achat de 14,95", "BON-42")),
        ("store_credit", "de", ("14,95 € Guthaben", "Guthaben für Ihre Rücksendung")),
        ("voucher", "en", ("€14.95 voucher", "BON-42")),
    ],
)
@pytest.mark.django_db
def test_store_credit_or_a_voucher_is_told_as_such(bought: Bought, kind, language, words):
    item = ask(bought, language=language)
    services.approve(request=item, who=AGENT, now=NOW)
    services.mark_received(request=item, who=AGENT, now=NOW)
    services.inspect(request=item, who=AGENT, now=NOW)
    entry = services.resolve(request=item, kind=kind, who=AGENT, now=NOW, code="BON-42")
    row = outbox("return_refunded")
    assert (row.detail, row.payload["remedy"]) == (str(entry.pk), kind)
    out = memory()
    drain(out)
    told = next(m for m in out["email"].sent if "/f/" in m.text)
    text = (told.subject + " " + told.text).replace("\xa0", " ")
    assert all(word in text for word in words), text
    assert item.rma in text
