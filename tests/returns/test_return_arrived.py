"""The return parcel is back at the shop: the customer hears it once, in their language and the
shop's brand, with the day it arrived and only what the policy still offers; never after a
rejection."""

from datetime import timedelta

import pytest
from django.db import transaction
from returning import NOW, Bought, Inbox, bought_order, branded_mail, smtp_server  # noqa: F401

from conftest import ApiShop, event
from parcelcare import clock
from parcelcare.domain.errors import IllegalTransition
from parcelcare.domain.notify_pace import NO_GAP, UNCAPPED
from parcelcare.domain.notify_policy import Channel, MessageKind
from parcelcare.domain.notify_truth import ReturnFacts, SendFacts, why_untrue
from parcelcare.domain.returns_policy import Pick, Resolution, ReturnError, ReturnPolicy
from parcelcare.domain.vocabulary import ShipmentStatus
from parcelcare.integrations.channels.memory import MemoryChannel
from parcelcare.messaging.labels import kind_label
from parcelcare.messaging.models import OutboxMessage
from parcelcare.messaging.overrides import Slot, default_source, render_draft, slots
from parcelcare.messaging.sender import send_due
from parcelcare.returns import messages, services
from parcelcare.returns.follow import follow_return_parcels
from parcelcare.returns.models import ReturnRequest, ReturnSettings
from truth_oracle import Seen, contradiction, seen_row

K = MessageKind
AGENT = services.Who("agent", "eva")
ARRIVED = "return_arrived"
LATE = NOW.replace(hour=23, minute=30)
"""Half past eleven at night UTC: already the next day (19 November) in the shop's Amsterdam."""


@pytest.fixture(autouse=True)
def by_hand(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages go when the test says; the clock stands still."""
    monkeypatch.setattr(messages, "_send_soon", lambda: None)
    monkeypatch.setattr(clock, "now", lambda: NOW)


def on_its_way(bought: Bought, language: str = "nl", resolution: str = "refund") -> ReturnRequest:
    """A return of one damaged pot, requested, approved and posted back, its messages sent."""
    item = services.request_return(
        order=bought.order,
        picks=[Pick(bought.pot.pk, 1)],
        reason="damaged",
        resolution=resolution,
        language=language,
        now=NOW,
    )
    services.approve(request=item, who=AGENT, now=NOW)
    services.add_return_parcel(
        request=item, carrier="postnl", tracking_number="3srtn5001", who=AGENT, now=NOW
    )
    OutboxMessage.objects.update(status="sent", sent_at=NOW - timedelta(hours=2))
    return item


def memory() -> dict[str, MemoryChannel]:
    return {name: MemoryChannel(name) for name in ("email", "sms", "whatsapp")}


def row() -> OutboxMessage:
    return OutboxMessage.objects.get(kind=ARRIVED)


def facts(status: str | None) -> SendFacts:
    ret = None if status is None else ReturnFacts(status)
    return SendFacts(ShipmentStatus.DELIVERED, True, frozenset(), NOW.date(), ret=ret)


@pytest.mark.parametrize(
    ("status", "true"),
    [
        ("received", True),
        ("inspected", True),
        ("resolved", True),
        ("requested", False),
        ("approved", False),
        ("in_transit", False),
        ("rejected", False),
        (None, False),
    ],
)
def test_the_arrival_is_true_once_received_and_until_a_rejection(status, true):
    why = why_untrue(K.RETURN_ARRIVED, "-", facts(status))
    assert (why == "") is true
    if not true:
        assert why == f"no longer true: return {status or 'gone'}"


def test_it_is_paced_as_an_answer_labelled_and_in_the_editor():
    assert K.RETURN_ARRIVED in UNCAPPED and K.RETURN_ARRIVED not in NO_GAP
    assert {(K.RETURN_ARRIVED, channel) for channel in (Channel.EMAIL, Channel.SMS)} <= {
        (slot.kind, slot.channel) for slot in slots()
    }
    assert kind_label(K.RETURN_ARRIVED) == "Return parcel arrived"


def test_the_oracle_denies_an_arrival_that_did_not_happen_or_was_rejected():
    def seen(back: tuple[bool, str] | None) -> Seen:
        return Seen(ARRIVED, "-", "delivered", True, frozenset(), back)

    assert contradiction(seen((True, "inspected"))) == ""
    assert contradiction(seen((True, "rejected"))) != ""
    assert contradiction(seen((False, "in_transit"))) != ""
    assert contradiction(seen(None)) != ""


@pytest.mark.django_db
def test_receiving_queues_it_once_with_the_day_and_the_page(bought: Bought):
    item = on_its_way(bought)
    services.mark_received(request=item, who=AGENT, now=LATE)
    item.refresh_from_db()
    found = row()
    assert found.idempotency_key == f"return:{item.pk}:return_arrived:-"
    assert (found.channel, found.language, found.status) == ("email", "nl", "queued")
    assert found.send_at == LATE
    assert item.received_at == LATE
    assert found.payload["arrived_at"] == LATE.isoformat()
    assert found.payload["remedy"] == "refund"
    assert found.payload["case_url"].endswith(f"/rs/{item.public_token}")
    # A retried step queues nothing new; a second receipt is refused by the status table.
    assert messages.arrived(item, LATE + timedelta(minutes=5)) is False
    with pytest.raises(IllegalTransition):
        services.mark_received(request=item, who=AGENT, now=LATE + timedelta(minutes=5))
    assert OutboxMessage.objects.filter(kind=ARRIVED).count() == 1
    out = memory()
    assert send_due(out, LATE + timedelta(hours=9)) == {"sent": 1}
    text = out["email"].sent[0].text
    assert "op 19 november 2026 bij ons aangekomen" in text, text
    assert "betalen we je het bedrag terug" in text and f"/rs/{item.public_token}" in text
    assert contradiction(seen_row(row())) == ""


@pytest.mark.django_db
def test_a_receipt_rolled_back_queues_nothing_and_its_retry_queues_once(bought: Bought):
    item = on_its_way(bought)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.mark_received(request=item, who=AGENT, now=NOW)
        assert OutboxMessage.objects.filter(kind=ARRIVED).count() == 1
        raise RuntimeError("the surrounding transaction fails")
    assert not OutboxMessage.objects.filter(kind=ARRIVED).exists()
    assert ReturnRequest.objects.get(pk=item.pk).status == "in_transit"
    services.mark_received(request=item, who=AGENT, now=NOW)
    assert OutboxMessage.objects.filter(kind=ARRIVED).count() == 1


@pytest.mark.django_db
def test_a_kept_item_never_arrives(bought: Bought):
    ReturnSettings.objects.create(
        shop_id=bought.order.shop_id, policy=ReturnPolicy(keep_below_minor=2000).as_dict()
    )
    item = services.request_return(
        order=bought.order,
        picks=[Pick(bought.pot.pk, 1)],
        reason="damaged",
        resolution="refund",
        language="en",
        now=NOW,
    )
    assert item.keep_item
    with pytest.raises(ReturnError):
        services.mark_received(request=item, who=AGENT, now=NOW)
    item.received_at = NOW
    assert messages.arrived(item, NOW) is False
    assert not OutboxMessage.objects.filter(kind=ARRIVED).exists()


@pytest.mark.django_db
def test_a_rejection_after_the_check_withholds_it(bought: Bought):
    item = on_its_way(bought, language="en")
    services.mark_received(request=item, who=AGENT, now=NOW)
    services.inspect(request=item, who=AGENT, now=NOW)
    services.reject(request=item, who=AGENT, now=NOW, reason="The pot was used in the garden.")
    out = memory()
    send_due(out, NOW + timedelta(hours=1))
    arrived, rejected = row(), OutboxMessage.objects.get(kind="return_rejected")
    assert (arrived.status, arrived.withdrawn_reason) == (
        "withdrawn",
        "no longer true: return rejected",
    )
    assert rejected.status == "sent"
    assert [m.text for m in out["email"].sent if "arrived back" in m.text] == []


@pytest.mark.parametrize(
    ("language", "channel", "words"),
    [
        ("nl", "email", ("Je retourpakket", "op 18 november 2026", "krijg je tegoed")),
        ("de", "email", ("Ihr Rücksendepaket", "am 18. November 2026", "Guthaben")),
        ("en", "email", ("arrived back with us on", "18", "store credit")),
        ("fr", "email", ("Votre colis retour", "le 18 novembre 2026", "un avoir")),
        ("nl", "sms", ("op 18 november 2026", "krijg je tegoed")),
        ("de", "sms", ("am 18. November 2026", "erhalten Sie ein Guthaben")),
        ("en", "sms", ("arrived back with us on", "you\u2019ll get store credit")),
        ("fr", "sms", ("le 18 novembre 2026", "vous recevrez un avoir")),
    ],
)
@pytest.mark.django_db
def test_it_reads_in_the_customers_language(bought: Bought, language, channel, words):
    if channel == "sms":
        customer = bought.order.customer
        customer.email = ""
        customer.phone = "+31612345678"
        customer.save()
    item = on_its_way(bought, language=language, resolution="store_credit")
    services.mark_received(request=item, who=AGENT, now=NOW)
    out = memory()
    assert send_due(out, NOW + timedelta(minutes=20)) == {"sent": 1}
    (sent,) = out[channel].sent
    text = (sent.subject + "\n" + sent.text).replace("\xa0", " ")
    assert all(word in text for word in words), text
    assert item.rma in text and f"/rs/{item.public_token}" in text


@pytest.mark.django_db
def test_it_promises_no_resolution_the_policy_no_longer_offers(bought: Bought):
    item = on_its_way(bought, language="en", resolution="exchange")
    ReturnSettings.objects.update_or_create(
        shop_id=bought.order.shop_id,
        defaults={"policy": ReturnPolicy(resolutions=frozenset({Resolution.REFUND})).as_dict()},
    )
    services.mark_received(request=item, who=AGENT, now=NOW)
    assert row().payload["remedy"] == ""
    out = memory()
    send_due(out, NOW + timedelta(minutes=20))
    text = out["email"].sent[0].text
    assert "we\u2019ll settle your return" in text
    assert "exchange" not in text and "refund" not in text, text


@pytest.mark.django_db
def test_nothing_left_to_refund_is_not_promised(bought: Bought):
    item = on_its_way(bought, language="en")
    ReturnRequest.objects.filter(pk=item.pk).update(refund_minor=0)
    item.refresh_from_db()
    services.mark_received(request=item, who=AGENT, now=NOW)
    assert row().payload["remedy"] == ""


@pytest.mark.django_db
def test_the_editors_preview_shows_a_day_and_a_refund(bought: Bought):
    slot = Slot(K.RETURN_ARRIVED, Channel.EMAIL, "de")
    rendered = render_draft(bought.order.shop, slot, default_source(slot), NOW)
    assert "am 18. November 2026" in rendered.text and "RMA-7KQ2-M4XP" in rendered.subject
    assert "erstatten wir Ihnen den Betrag" in rendered.text


@pytest.mark.django_db
def test_it_reaches_a_real_mail_server_in_the_shops_brand(bought: Bought, smtp, settings):
    inbox, port = smtp
    sender = branded_mail(bought, port, settings)
    item = on_its_way(bought, language="fr")
    services.mark_received(request=item, who=AGENT, now=NOW)
    assert send_due(sender, NOW + timedelta(minutes=20)) == {"sent": 1}
    (mail,) = inbox.messages
    assert mail["To"] == "c5001@example.com" and "Groenhuis" in mail["From"]
    assert mail["Subject"] == f"Votre colis retour {item.rma} est bien arrivé"
    text = mail.get_body(("plain",)).get_content().replace("\xa0", " ")
    assert "le 18 novembre 2026" in text and "nous vous rembourserons" in text
    html = mail.get_body(("html",)).get_content()
    assert "#0b6e4f" in html.lower() and f"/rs/{item.public_token}" in html
    assert "Voir votre retour" in html
    assert row().status == "sent" and row().provider_message_id


@pytest.mark.django_db
def test_a_return_parcel_the_carrier_delivered_is_told_once(api_shop: ApiShop, bought: Bought):
    item = on_its_way(bought, language="de")
    back = event("3SRTN5001", at="2026-11-18T09:00:00+01:00", code="I01", status="delivered")
    assert api_shop.post("tracking-events", {"events": [back]}).status_code == 200
    assert follow_return_parcels(NOW) == {"received": 1}
    assert follow_return_parcels(NOW + timedelta(minutes=1)) == {}
    found = row()
    assert found.idempotency_key == f"return:{item.pk}:return_arrived:-"
    assert OutboxMessage.objects.filter(kind=ARRIVED).count() == 1
