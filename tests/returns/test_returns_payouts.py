"""Refunds paid out through providers (respx at the HTTP level, provider-shaped payloads):
idempotency keys on every try, retries on insufficient balance, declines that fail visibly,
provider webhooks, record-only mode, and case desk remedies through the same path."""

import copy
import json
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest
import respx
from django.test import Client
from returning import NOW, Bought, booked, bought_order, inspected  # noqa: F401

from parcelcare import clock
from parcelcare.domain.errors import LedgerError
from parcelcare.domain.money import RemedyKind
from parcelcare.integrations.sources import INBOX_SOURCES
from parcelcare.ledger import payouts
from parcelcare.ledger.models import OrderPayment, Payout, PayoutAccount, RemedyEntry
from parcelcare.ledger.webhooks import sign_stripe
from parcelcare.tracking.inbox import process_due
from parcelcare.tracking.models import InboxItem

FIXTURES = Path(__file__).parent.parent / "fixtures" / "payments"
STRIPE_REFUND = json.loads((FIXTURES / "stripe" / "refund.fixture.json").read_text())
MOLLIE_REFUND = json.loads((FIXTURES / "mollie" / "refund_single.json").read_text())
WOO_REFUND = json.loads((FIXTURES / "woocommerce" / "order_refund_example.json").read_text())
FORM = "application/x-www-form-urlencoded"  # how Mollie posts its webhook
LATER = NOW + timedelta(hours=7)


@pytest.fixture(autouse=True)
def by_hand(monkeypatch: pytest.MonkeyPatch) -> None:
    """Payouts run when the test says, not on commit; the clock stands still."""
    monkeypatch.setattr(payouts, "_pay_soon", lambda: None)
    monkeypatch.setattr(clock, "now", lambda: NOW)


def connect(bought: Bought, provider: str, reference: str, **settings: str) -> None:
    shop_id = bought.order.shop_id
    OrderPayment.objects.create(
        shop_id=shop_id, order=bought.order, provider=provider, reference=reference
    )
    PayoutAccount.objects.create(
        shop_id=shop_id, provider=provider, secret="sk_test_x", settings=settings
    )


def refund(bought: Bought, amount: int = 1000, key: str = "r1") -> RemedyEntry:
    kind = RemedyKind.REFUND if amount == bought.order.total else RemedyKind.PARTIAL_REFUND
    return booked(bought, kind, amount, key, reason="return:damaged")


def stripe_answer(status: str = "succeeded", amount: int = 1000) -> httpx.Response:
    body = copy.deepcopy(STRIPE_REFUND) | {"status": status, "amount": amount, "currency": "eur"}
    return httpx.Response(200, json=body)


@respx.mock
def test_stripe_refund_is_paid_with_its_idempotency_key(api_shop, bought: Bought):
    connect(bought, "stripe", "pi_3PgaX")
    route = respx.post("https://api.stripe.com/v1/refunds").mock(return_value=stripe_answer())
    entry = refund(bought)
    assert entry.status == "pending"
    assert payouts.pay_due(NOW) == {"succeeded": 1}
    sent = route.calls.last.request
    form = parse_qs(sent.content.decode())
    assert form["payment_intent"] == ["pi_3PgaX"] and form["amount"] == ["1000"]
    payout = Payout.objects.get(entry=entry)
    assert sent.headers["Idempotency-Key"] == payout.idempotency_key
    assert sent.headers["Authorization"] == "Bearer sk_test_x"
    entry.refresh_from_db()
    assert (entry.status, entry.reference) == ("paid", STRIPE_REFUND["id"])
    assert payouts.pay_due(LATER) == {}  # never twice


@respx.mock
def test_insufficient_balance_is_retried_with_the_same_key(api_shop, bought: Bought):
    connect(bought, "stripe", "pi_3PgaX")
    short = httpx.Response(
        402,
        json={
            "error": {
                "code": "balance_insufficient",
                "type": "invalid_request_error",
                "message": "Insufficient funds.",
            }
        },
    )
    route = respx.post("https://api.stripe.com/v1/refunds").mock(
        side_effect=[short, stripe_answer()]
    )
    entry = refund(bought)
    assert payouts.pay_due(NOW) == {"retry": 1}
    payout = Payout.objects.get(entry=entry)
    assert payout.status == "retry" and "balance_insufficient" in payout.last_error
    assert payouts.pay_due(NOW) == {}  # not due before its backoff
    assert payouts.pay_due(LATER) == {"succeeded": 1}
    keys = {call.request.headers["Idempotency-Key"] for call in route.calls}
    assert keys == {payout.idempotency_key} and route.call_count == 2


@respx.mock
def test_a_decline_fails_visibly_and_gives_the_amount_back(api_shop, bought: Bought):
    connect(bought, "stripe", "ch_1Pgafu")
    declined = httpx.Response(
        400,
        json={
            "error": {
                "code": "charge_already_refunded",
                "message": "Charge has already been refunded.",
            }
        },
    )
    respx.post("https://api.stripe.com/v1/refunds").mock(return_value=declined)
    entry = refund(bought, amount=bought.order.total)
    assert payouts.pay_due(NOW) == {"failed": 1}
    entry.refresh_from_db()
    assert entry.status == "failed"
    assert "charge_already_refunded" in Payout.objects.get(entry=entry).last_error
    again = refund(bought, amount=bought.order.total, key="r2")  # the failed one took nothing
    assert again.status == "pending"
    with pytest.raises(LedgerError):
        refund(bought, amount=1, key="r3")


@respx.mock
def test_network_failures_retry_then_give_up_after_max_attempts(api_shop, bought: Bought):
    connect(bought, "stripe", "pi_1")
    respx.post("https://api.stripe.com/v1/refunds").mock(side_effect=httpx.ConnectError("down"))
    entry = refund(bought)
    moment = NOW
    for _ in range(payouts.MAX_ATTEMPTS):
        payouts.pay_due(moment)
        moment += timedelta(hours=7)
    entry.refresh_from_db()
    payout = Payout.objects.get(entry=entry)
    assert (payout.status, payout.attempts, entry.status) == (
        "failed",
        payouts.MAX_ATTEMPTS,
        "failed",
    )
    assert payout.last_error == "network: ConnectError"


@respx.mock
def test_mollie_pending_then_webhook_fetches_the_refund(api_shop, bought: Bought):
    connect(bought, "mollie", "tr_7UhSN1zuXS")
    created = respx.post("https://api.mollie.com/v2/payments/tr_7UhSN1zuXS/refunds").mock(
        return_value=httpx.Response(201, json=MOLLIE_REFUND)
    )
    entry = refund(bought, amount=595)
    assert payouts.pay_due(NOW) == {"pending": 1}
    sent = json.loads(created.calls.last.request.content)
    assert sent["amount"] == {"currency": "EUR", "value": "5.95"}
    assert created.calls.last.request.headers["Idempotency-Key"].startswith("pc-")
    done = copy.deepcopy(MOLLIE_REFUND) | {"status": "refunded"}
    respx.get("https://api.mollie.com/v2/payments/tr_7UhSN1zuXS/refunds/re_4qqhO89gsT").mock(
        return_value=httpx.Response(200, json=done)
    )
    hook = f"/webhooks/payouts/mollie/{bought.order.shop_id}"
    answer = Client().post(hook, "id=tr_7UhSN1zuXS", content_type=FORM)
    assert answer.status_code == 202
    item = InboxItem.objects.get(id=answer.json()["received"])
    assert (item.source, item.status, bytes(item.body)) == ("mollie", "done", b"id=tr_7UhSN1zuXS")
    entry.refresh_from_db()
    assert entry.status == "paid"


@respx.mock
def test_paypal_refund_with_request_id(api_shop, bought: Bought):
    connect(bought, "paypal", "2GG279541U471931P", client_id="AaBb")
    respx.post("https://api-m.paypal.com/v1/oauth2/token").mock(
        return_value=httpx.Response(
            200, json={"access_token": "A21AA", "token_type": "Bearer", "expires_in": 32400}
        )
    )
    route = respx.post(
        "https://api-m.paypal.com/v2/payments/captures/2GG279541U471931P/refund"
    ).mock(
        return_value=httpx.Response(
            201, json={"id": "1JU08902781691411", "status": "COMPLETED", "links": []}
        )
    )
    entry = refund(bought, amount=1099)
    assert payouts.pay_due(NOW) == {"succeeded": 1}
    sent = route.calls.last.request
    assert sent.headers["PayPal-Request-Id"] == Payout.objects.get(entry=entry).idempotency_key
    assert json.loads(sent.content)["amount"] == {"value": "10.99", "currency_code": "EUR"}


@respx.mock
def test_woocommerce_refund_and_its_replay_after_a_lost_answer(api_shop, bought: Bought):
    connect(bought, "woocommerce", "723", store_url="https://shop.example", consumer_key="ck_1")
    url = "https://shop.example/wp-json/wc/v3/orders/723/refunds"
    listing = respx.get(url).mock(return_value=httpx.Response(200, json=[]))
    created = respx.post(url).mock(side_effect=httpx.ReadTimeout("lost"))
    entry = refund(bought)
    assert payouts.pay_due(NOW) == {"retry": 1}
    key = Payout.objects.get(entry=entry).idempotency_key
    assert json.loads(created.calls.last.request.content)["api_refund"] is True
    # the store did make the refund: the next try finds it by our key and does not post again
    made = copy.deepcopy(WOO_REFUND) | {
        "meta_data": [{"id": 1, "key": "_parcelcare_key", "value": key}]
    }
    listing.mock(return_value=httpx.Response(200, json=[made]))
    assert payouts.pay_due(LATER) == {"succeeded": 1}
    assert created.call_count == 1
    entry.refresh_from_db()
    assert (entry.status, entry.reference) == ("paid", "726")


@respx.mock
def test_shopify_refund_create_is_idempotent(api_shop, bought: Bought):
    connect(bought, "shopify", "450789469", store_domain="groenhuis.myshopify.com")
    url = "https://groenhuis.myshopify.com/admin/api/2026-04/graphql.json"
    transactions = {
        "data": {
            "order": {
                "transactions": [
                    {
                        "id": "gid://shopify/OrderTransaction/389404469",
                        "kind": "AUTHORIZATION",
                        "status": "SUCCESS",
                        "gateway": "bogus",
                    },
                    {
                        "id": "gid://shopify/OrderTransaction/801038806",
                        "kind": "CAPTURE",
                        "status": "SUCCESS",
                        "gateway": "bogus",
                    },
                ]
            }
        }
    }
    created = {
        "data": {
            "refundCreate": {
                "refund": {
                    "id": "gid://shopify/Refund/929361464",
                    "createdAt": "2026-11-18T12:00:00Z",
                    "totalRefundedSet": {
                        "presentmentMoney": {"amount": "10.0", "currencyCode": "EUR"}
                    },
                },
                "userErrors": [],
            }
        }
    }
    route = respx.post(url).mock(
        side_effect=[httpx.Response(200, json=transactions), httpx.Response(200, json=created)]
    )
    entry = refund(bought)
    assert payouts.pay_due(NOW) == {"succeeded": 1}
    mutation = json.loads(route.calls.last.request.content)
    assert "@idempotent(key: $key)" in mutation["query"]
    assert mutation["variables"]["key"] == Payout.objects.get(entry=entry).idempotency_key
    parent = mutation["variables"]["input"]["transactions"][0]
    assert parent["parentId"].endswith("/801038806") and parent["amount"] == "10.00"
    assert route.calls.last.request.headers["X-Shopify-Access-Token"] == "sk_test_x"


@respx.mock
def test_shopify_user_errors_decline(api_shop, bought: Bought):
    connect(bought, "shopify", "gid://shopify/Order/1", store_domain="g.myshopify.com")
    url = "https://g.myshopify.com/admin/api/2026-04/graphql.json"
    transactions = {
        "data": {
            "order": {
                "transactions": [
                    {
                        "id": "gid://shopify/OrderTransaction/1",
                        "kind": "SALE",
                        "status": "SUCCESS",
                        "gateway": "shopify_payments",
                    }
                ]
            }
        }
    }
    refused = {
        "data": {
            "refundCreate": {
                "refund": None,
                "userErrors": [
                    {"field": ["transactions"], "message": "Amount exceeds the refundable amount"}
                ],
            }
        }
    }
    respx.post(url).mock(
        side_effect=[httpx.Response(200, json=transactions), httpx.Response(200, json=refused)]
    )
    entry = refund(bought)
    assert payouts.pay_due(NOW) == {"failed": 1}
    assert "refundable amount" in Payout.objects.get(entry=entry).last_error


def test_record_only_without_a_provider(api_shop, bought: Bought):
    entry = refund(bought)
    assert entry.status == "recorded" and not Payout.objects.exists()


@respx.mock
def test_stripe_webhook_settles_and_refuses_bad_signatures(api_shop, bought: Bought):
    connect(bought, "stripe", "pi_1", webhook_secret="whsec_test")
    respx.post("https://api.stripe.com/v1/refunds").mock(return_value=stripe_answer("pending"))
    entry = refund(bought)
    assert payouts.pay_due(NOW) == {"pending": 1}
    failed = copy.deepcopy(STRIPE_REFUND) | {
        "status": "failed",
        "failure_reason": "expired_or_canceled_card",
    }
    event = {"id": "evt_1", "object": "event", "type": "refund.failed", "data": {"object": failed}}
    body = json.dumps(event).encode()
    hook = f"/webhooks/payouts/stripe/{bought.order.shop_id}"
    forged = sign_stripe(body, "wrong", int(NOW.timestamp()))
    client = Client()
    assert (
        client.post(
            hook, body, content_type="application/json", headers={"Stripe-Signature": forged}
        ).status_code
        == 401
    )
    assert not InboxItem.objects.exists()
    stale = sign_stripe(body, "whsec_test", int(NOW.timestamp()) - 3600)
    assert (
        client.post(
            hook, body, content_type="application/json", headers={"Stripe-Signature": stale}
        ).status_code
        == 401
    )
    good = sign_stripe(body, "whsec_test", int(NOW.timestamp()))
    answer = client.post(
        hook, body, content_type="application/json", headers={"Stripe-Signature": good}
    )
    assert answer.status_code == 202
    item = InboxItem.objects.get()
    assert (item.source, item.event_id, item.topic, item.status) == (
        "stripe",
        "evt_1",
        "refund.failed",
        "done",
    )
    entry.refresh_from_db()
    payout = Payout.objects.get(entry=entry)
    assert (entry.status, payout.status, payout.last_error) == (
        "failed",
        "failed",
        "expired_or_canceled_card",
    )
    assert client.post(
        hook, body, content_type="application/json", headers={"Stripe-Signature": good}
    ).json() == {"duplicate": True}  # replay: acknowledged, stored once
    assert InboxItem.objects.count() == 1
    assert Payout.objects.get(entry=entry).status == "failed"


@respx.mock
def test_case_desk_refund_pays_out_through_the_same_path(
    api_shop, bought: Bought, monkeypatch, django_capture_on_commit_callbacks
):
    from parcelcare.cases.actors import CUSTOMER, Who
    from parcelcare.cases.models import Case
    from parcelcare.cases.outcomes import record_remedy
    from parcelcare.cases.services import open_case
    from parcelcare.domain.cases import CaseKind
    from parcelcare.returns.models import Feedback

    monkeypatch.undo()  # pay on commit, as in production
    monkeypatch.setattr(clock, "now", lambda: NOW)
    connect(bought, "stripe", "pi_case")
    route = respx.post("https://api.stripe.com/v1/refunds").mock(
        return_value=stripe_answer(amount=bought.order.total)
    )
    case, _ = open_case(
        shop=api_shop.shop,
        order=bought.order,
        kind=CaseKind.NOT_RECEIVED,
        source=Case.Source.CUSTOMER,
        who=CUSTOMER,
        now=NOW,
    )
    with django_capture_on_commit_callbacks(execute=True):
        entry, _ = record_remedy(
            case=case,
            kind=RemedyKind.REFUND,
            amount=bought.order.total,
            who=Who("agent", "eva"),
            now=NOW,
            idempotency_key="case-refund",
        )
    entry.refresh_from_db()
    assert entry.status == "paid" and route.call_count == 1
    assert Feedback.objects.get(case_id=case.pk).reason == "not_received"


@respx.mock
def test_a_killed_workers_payout_is_taken_over_with_the_same_key(api_shop, bought: Bought):
    connect(bought, "stripe", "pi_lease")
    route = respx.post("https://api.stripe.com/v1/refunds").mock(return_value=stripe_answer())
    entry = refund(bought)
    assert payouts.claim(NOW) == [Payout.objects.get(entry=entry).pk]  # then the worker dies
    assert payouts.pay_due(NOW) == {}  # its lease still runs
    assert payouts.pay_due(NOW + payouts.LEASE + timedelta(seconds=1)) == {"succeeded": 1}
    assert route.call_count == 1
    entry.refresh_from_db()
    assert entry.status == "paid"


@respx.mock
def test_a_failed_return_refund_can_be_paid_again(api_shop, bought: Bought):
    from parcelcare.domain.returns_policy import ReturnError
    from parcelcare.returns import refunds, services

    connect(bought, "stripe", "pi_again")
    declined = httpx.Response(400, json={"error": {"code": "expired_card", "message": "x"}})
    route = respx.post("https://api.stripe.com/v1/refunds").mock(
        side_effect=[declined, stripe_answer(amount=1495)]
    )
    item = inspected(bought, 1)
    with pytest.raises(ReturnError):
        refunds.refund_again(request=item, who=services.SYSTEM, now=NOW)
    first = services.resolve(request=item, kind="refund", who=services.SYSTEM, now=NOW)
    assert payouts.pay_due(NOW) == {"failed": 1}
    again = refunds.refund_again(request=item, who=services.SYSTEM, now=NOW)
    assert (again.amount, again.status) == (1495, "pending") and again.pk != first.pk
    assert payouts.pay_due(NOW) == {"succeeded": 1}
    assert route.call_count == 2
    keys = {call.request.headers["Idempotency-Key"] for call in route.calls}
    assert len(keys) == 2
    from parcelcare.returns.models import Feedback

    assert Feedback.objects.filter(request=item).exists()


PAYPAL_EVENT = json.loads((FIXTURES / "paypal" / "webhook_capture_refunded.json").read_text())
PAYPAL_HEADERS = {
    "PAYPAL-TRANSMISSION-ID": "69cd13f0-d67a-11e5-baa3-778b53f4ae55",
    "PAYPAL-TRANSMISSION-TIME": "2026-11-18T11:58:05Z",
    "PAYPAL-TRANSMISSION-SIG": "lmI95Jx3Y9nhR5SJWlHVIWpg4AgFk7n9bCHSRxbrd8A9zrhdu2rMyFrmz+Zjh3s3",
    "PAYPAL-CERT-URL": "https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594",
    "PAYPAL-AUTH-ALGO": "SHA256withRSA",
}


def paypal_pending(bought: Bought) -> RemedyEntry:
    """A PayPal refund PayPal accepted as PENDING, and a token for the verification API."""
    connect(bought, "paypal", "2GG279541U471931P", client_id="AaBb", webhook_id="1JE4291016")
    respx.post("https://api-m.paypal.com/v1/oauth2/token").mock(
        return_value=httpx.Response(200, json={"access_token": "A21AA", "token_type": "Bearer"})
    )
    respx.post("https://api-m.paypal.com/v2/payments/captures/2GG279541U471931P/refund").mock(
        return_value=httpx.Response(201, json={"id": "1JU08902781691411", "status": "PENDING"})
    )
    entry = refund(bought, amount=1099)
    assert payouts.pay_due(NOW) == {"pending": 1}
    return entry


@respx.mock
def test_paypal_refund_webhook_is_verified_by_paypal_then_settles(api_shop, bought: Bought):
    entry = paypal_pending(bought)
    verify = respx.post("https://api-m.paypal.com/v1/notifications/verify-webhook-signature")
    verify.mock(return_value=httpx.Response(200, json={"verification_status": "FAILURE"}))
    hook = f"/webhooks/payouts/paypal/{bought.order.shop_id}"
    body = json.dumps(PAYPAL_EVENT).encode()
    client = Client()
    forged = client.post(hook, body, content_type="application/json", headers=PAYPAL_HEADERS)
    assert forged.status_code == 401 and not InboxItem.objects.exists()
    asked = json.loads(verify.calls.last.request.content)
    assert asked["webhook_id"] == "1JE4291016"
    assert asked["transmission_id"] == PAYPAL_HEADERS["PAYPAL-TRANSMISSION-ID"]
    assert asked["auth_algo"] == "SHA256withRSA" and asked["webhook_event"] == PAYPAL_EVENT
    unsigned = client.post(hook, body, content_type="application/json")
    assert unsigned.status_code == 401 and verify.call_count == 1  # no headers, no question
    verify.mock(return_value=httpx.Response(200, json={"verification_status": "SUCCESS"}))
    answer = client.post(hook, body, content_type="application/json", headers=PAYPAL_HEADERS)
    assert answer.status_code == 202
    item = InboxItem.objects.get()
    assert (item.source, item.event_id, item.status) == ("paypal", PAYPAL_EVENT["id"], "done")
    entry.refresh_from_db()
    assert (entry.status, Payout.objects.get(entry=entry).status) == ("paid", "succeeded")
    again = client.post(hook, body, content_type="application/json", headers=PAYPAL_HEADERS)
    assert again.json() == {"duplicate": True} and InboxItem.objects.count() == 1


@respx.mock
def test_paypal_unreachable_refuses_the_delivery_so_paypal_resends(api_shop, bought: Bought):
    paypal_pending(bought)
    respx.post("https://api-m.paypal.com/v1/notifications/verify-webhook-signature").mock(
        return_value=httpx.Response(503, json={"name": "SERVICE_UNAVAILABLE"})
    )
    hook = f"/webhooks/payouts/paypal/{bought.order.shop_id}"
    body = json.dumps(PAYPAL_EVENT).encode()
    answer = Client().post(hook, body, content_type="application/json", headers=PAYPAL_HEADERS)
    assert answer.status_code == 503 and not InboxItem.objects.exists()


@respx.mock
def test_a_failed_paypal_refund_in_the_event_fails_the_payout(api_shop, bought: Bought):
    entry = paypal_pending(bought)
    respx.post("https://api-m.paypal.com/v1/notifications/verify-webhook-signature").mock(
        return_value=httpx.Response(200, json={"verification_status": "SUCCESS"})
    )
    event = copy.deepcopy(PAYPAL_EVENT)  # the same event with a refund PayPal could not make
    event["resource"] |= {"status": "FAILED", "status_details": {"reason": "ECHECK"}}
    hook = f"/webhooks/payouts/paypal/{bought.order.shop_id}"
    body = json.dumps(event).encode()
    assert (
        Client()
        .post(hook, body, content_type="application/json", headers=PAYPAL_HEADERS)
        .status_code
        == 202
    )
    entry.refresh_from_db()
    payout = Payout.objects.get(entry=entry)
    assert (entry.status, payout.status, payout.last_error) == ("failed", "failed", "ECHECK")


@respx.mock
def test_mollie_down_leaves_the_delivery_stored_and_retried(
    api_shop, bought: Bought, monkeypatch: pytest.MonkeyPatch
):
    connect(bought, "mollie", "tr_7UhSN1zuXS")
    respx.post("https://api.mollie.com/v2/payments/tr_7UhSN1zuXS/refunds").mock(
        return_value=httpx.Response(201, json=MOLLIE_REFUND)
    )
    entry = refund(bought, amount=595)
    assert payouts.pay_due(NOW) == {"pending": 1}
    fetch = respx.get("https://api.mollie.com/v2/payments/tr_7UhSN1zuXS/refunds/re_4qqhO89gsT")
    fetch.mock(return_value=httpx.Response(503, json={"status": 503, "title": "Unavailable"}))
    hook = f"/webhooks/payouts/mollie/{bought.order.shop_id}"
    answer = Client().post(hook, "id=tr_7UhSN1zuXS", content_type=FORM)
    assert answer.status_code == 202  # stored: Mollie need not send it again
    item = InboxItem.objects.get()
    assert (item.status, item.attempts, item.last_error) == ("failed", 1, "PaymentRetry")
    entry.refresh_from_db()
    assert entry.status != "paid"
    done = copy.deepcopy(MOLLIE_REFUND) | {"status": "refunded"}
    fetch.mock(return_value=httpx.Response(200, json=done))
    assert process_due(INBOX_SOURCES, NOW + timedelta(minutes=1)) == {"done": 1}
    entry.refresh_from_db()
    assert entry.status == "paid"
    # Mollie calls again for the same payment later: a new delivery, not a duplicate.
    monkeypatch.setattr(clock, "now", lambda: NOW + timedelta(minutes=5))
    later = Client().post(hook, "id=tr_7UhSN1zuXS", content_type=FORM)
    assert later.status_code == 202 and InboxItem.objects.count() == 2


def test_mollie_webhook_without_an_id_is_refused_and_not_stored(api_shop, bought: Bought):
    connect(bought, "mollie", "tr_7UhSN1zuXS")
    hook = f"/webhooks/payouts/mollie/{bought.order.shop_id}"
    for body in ("testByMollie=1", "id=re_4qqhO89gsT", "id=tr_x%0Aforged"):
        answer = Client().post(hook, body, content_type=FORM)
        assert answer.status_code == 400, body
    assert not InboxItem.objects.exists()
