"""One return walked in a real headless Chromium, by the customer (German portal) and an agent
(the returns desk), with the customer's e-mails read from a real SMTP server after each step;
the survey link in the last e-mail records a score."""

import email
import email.policy
from datetime import timedelta
from urllib.parse import urlsplit

from django.contrib.auth.models import User
from playwright.sync_api import Browser
from returning import NOW, Bought, Inbox, smtp_server  # noqa: F401  (the smtp fixture)
from test_returns_browser import PHONE, chromium, shop_order_fixture, shot  # noqa: F401

from parcelcare.accounts.models import Membership
from parcelcare.integrations.channels.email import SmtpEmail
from parcelcare.messaging.channels import smtp_settings
from parcelcare.messaging.sender import send_due
from parcelcare.returns import messages
from parcelcare.returns.models import Feedback, ReturnRequest


def text(message: email.message.EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def test_a_return_walked_in_the_browser_mails_the_customer_each_step(
    shop_order: Bought, live_server, browser: Browser, smtp, settings, monkeypatch
):
    monkeypatch.setattr(messages, "_send_soon", lambda: None)  # the test sends, step by step
    inbox, port = smtp
    settings.MAIL_FROM = "winkel@example.com"
    mailer = {"email": SmtpEmail(smtp_settings(f"smtp+plain://127.0.0.1:{port}", "w@example.com"))}
    clock_at = iter(NOW + timedelta(minutes=20 * n) for n in range(1, 40))

    def deliver() -> list[email.message.EmailMessage]:
        before = len(inbox.messages)
        send_due(mailer, next(clock_at))
        return inbox.messages[before:]

    customer = browser.new_page(viewport=PHONE, locale="de-DE")
    token = shop_order.order.shipments.get().public_token
    customer.goto(f"{live_server.url}/t/{token}?lang=de")
    customer.click("#return-link")
    customer.fill(f"#qty_{shop_order.pot.pk}", "1")
    customer.select_option("#id_reason", "damaged")
    customer.click("button[type=submit]")
    customer.wait_for_selector("#rma")
    item = ReturnRequest.objects.get()
    (received,) = deliver()
    assert received["To"] == "c5001@example.com"
    assert item.rma in received["Subject"] and "Retourenanfrage" in received["Subject"]
    assert f"/rs/{item.public_token}" in text(received) and "Bestellung 5001" in text(received)

    user = User.objects.create_user("desk-agent", password="a long password")
    Membership.objects.create(user=user, shop=shop_order.order.shop, role="agent")
    desk = browser.new_page(viewport={"width": 1366, "height": 900}, locale="de-DE")
    desk.goto(f"{live_server.url}/returns/{item.pk}/")
    desk.fill("input[name=username]", "desk-agent")
    desk.fill("input[name=password]", "a long password")
    desk.press("input[name=password]", "Enter")
    desk.wait_for_url(lambda address: urlsplit(address).path == f"/returns/{item.pk}/")
    desk.click("#approve")
    desk.wait_for_selector("#received")
    (approved,) = deliver()
    assert "genehmigt" in approved["Subject"]
    assert "Postbus 12" in text(approved) and item.rma in text(approved)

    desk.click("#received")
    desk.wait_for_selector("#inspected")
    (arrived,) = deliver()
    assert "angekommen" in arrived["Subject"] and item.rma in arrived["Subject"]
    assert "am 18. November 2026" in text(arrived) and "erstatten wir" in text(arrived)
    desk.click("#inspected")
    desk.wait_for_selector("#resolve")
    desk.click("#resolve")
    desk.wait_for_selector("#entries")
    history = desk.inner_text("main")
    assert "Kunde: Rücksendung beantragt" in history and "customer:" not in history
    assert "Rücksendung geprüft" in history and "inspect" not in history
    assert "status →" not in history and "partial_refund" not in history
    shot(desk, "returns-desk-de")
    (refunded,) = deliver()
    assert "Erstattung" in refunded["Subject"]
    html = refunded.get_body(("html",)).get_content()
    assert f"/rs/{item.public_token}" in html
    survey = Feedback.objects.get(request=item)
    link = next(w for w in text(refunded).split() if "/f/" in w)
    assert link.endswith(f"/f/{survey.token}") and "14,95" in text(refunded)

    customer.goto(link.replace("http://127.0.0.1:8000", live_server.url) + "?score=5")
    customer.wait_for_selector("text=5")
    survey.refresh_from_db()
    assert survey.score == 5
    assert deliver() == []
