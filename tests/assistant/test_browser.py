"""In a real browser: a customer asks on the tracking page (phone size, German) and is answered;
an agent finds a stranger's question among the drafts, edits the answer and sends it."""

from playwright.sync_api import Browser
from tests.cases.browser import DESK, PHONE, agent_logs_in, chromium, desk_shop_fixture, fits, shot
from tests.cases.parcels import MOVING, make_parcel

from parcelcare.assistant.models import InboundMessage
from parcelcare.messaging.models import OutboxMessage

__all__ = ["chromium", "desk_shop_fixture"]


def test_customer_asks_on_the_tracking_page(desk_shop, browser: Browser, live_server) -> None:
    parcel = make_parcel(desk_shop, "2002", MOVING)
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/t/{parcel.shipment.public_token}?lang=de")
    page.click(f"a[href^='/t/{parcel.shipment.public_token}/ask']")
    page.fill("textarea[name=message]", "Wann kommt mein Paket an?")
    page.click("button[type=submit]")
    page.wait_for_selector("[role=status]")
    assert page.get_attribute("html", "lang") == "de"
    assert fits(page, PHONE["width"])
    shot(page, "assistant-ask-de")
    message = InboundMessage.objects.get(channel="form")
    assert message.outcome == "auto_sent" and message.language == "de"
    assert OutboxMessage.objects.get(pk=message.outbox_id).language == "de"


def test_agent_sends_an_edited_draft(desk_shop, browser: Browser, live_server) -> None:
    make_parcel(desk_shop, "2002", MOVING)
    from parcelcare import clock
    from parcelcare.assistant.inbox import process_due, receive
    from parcelcare.assistant.respond import handle

    receive(
        shop_id=desk_shop.shop.pk,
        channel="email",
        external_id="<s1@mail.example>",
        sender="neighbour@example.org",
        body="Where is order 2002? I ordered it for my mum.",
        now=clock.now(),
        wake=False,
    )
    process_due(handle, clock.now())
    page = browser.new_page(viewport=DESK)
    agent_logs_in(page, live_server.url, "/assistant/")
    assert "sender not matched to the order" in page.content()
    shot(page, "assistant-drafts")
    page.fill("textarea[name=reply]", "We have sent the delivery details to the order's address.")
    page.click("button[value=send]")
    page.wait_for_selector(".notice")
    message = InboundMessage.objects.get(external_id="<s1@mail.example>")
    assert message.outcome == "sent_by_agent"
    row = OutboxMessage.objects.get(pk=message.outbox_id)
    assert row.payload["body"].startswith("We have sent the delivery details")
