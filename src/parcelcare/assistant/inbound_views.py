"""Inbound webhooks: Mailgun routes and WhatsApp Cloud messages, verified, stored, answered."""

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from parcelcare import clock
from parcelcare.accounts.models import Connection, Shop
from parcelcare.integrations.channels.reports import verify_whatsapp, whatsapp_challenge
from parcelcare.integrations.inbound import mailgun, whatsapp
from parcelcare.tracking.inbox import secrets_for
from parcelcare.tracking.webhook_views import problem, too_big

from .inbox import receive, receive_email

MAILGUN = "mailgun"
"""The connection source holding the Mailgun HTTP webhook signing key."""
WHATSAPP = "whatsapp"
"""The same connection as WhatsApp delivery reports: app secret and verify token."""


def _shop(shop_id: int) -> Shop | None:
    return Shop.objects.filter(id=shop_id).only("id").first()


@csrf_exempt
@require_POST
def mailgun_inbound(request: HttpRequest, shop_id: int) -> HttpResponse:
    """A Mailgun route forwarded one e-mail: check the signature, keep it, answer 200."""
    if too_big(request):
        return problem(413, "Payload too large", "inbound messages are limited to 1 MiB")
    now = clock.now()
    shop = _shop(shop_id)
    fields = {key: request.POST.get(key, "") for key in request.POST}
    keys = secrets_for(shop.id, MAILGUN, now) if shop else []
    if shop is None or not mailgun.verify(fields, keys, now):
        # Mailgun retries on 5xx only; 406 tells it to stop for a request that is not ours.
        return problem(406, "Invalid signature", "the signature does not match this shop's key")
    try:
        email = mailgun.parse(fields)
    except ValueError as error:
        return problem(406, "Invalid message", str(error))
    if email.auto_submitted:
        return JsonResponse({"ignored": "auto-submitted"})
    received = receive_email(shop_id=shop.id, email=email, now=now)
    return JsonResponse({"received": received.message_id, "duplicate": received.duplicate})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp_inbound(request: HttpRequest, shop_id: int) -> HttpResponse:
    """Meta's callback: the GET verify handshake, or signed notifications with messages."""
    if request.method == "GET":
        link = Connection.objects.filter(shop_id=shop_id, source=WHATSAPP).first()
        token = str((link.settings or {}).get("verify_token", "")) if link else ""
        challenge = whatsapp_challenge(request.GET.dict(), token)
        if challenge is None:
            return problem(403, "Verification refused", "the verify token does not match")
        return HttpResponse(challenge, content_type="text/plain")
    if too_big(request):
        return problem(413, "Payload too large", "notifications are limited to 1 MiB")
    now = clock.now()
    shop = _shop(shop_id)
    secrets = secrets_for(shop.id, WHATSAPP, now) if shop else []
    signature = request.headers.get("X-Hub-Signature-256", "")
    if shop is None or not verify_whatsapp(secrets, request.body, signature):
        return problem(401, "Invalid signature", "the signature does not match this shop's secret")
    try:
        payload = json.loads(request.body)
        chats = whatsapp.messages(payload)
    except ValueError as error:
        return problem(400, "Invalid notification", str(error))
    stored = [
        receive(
            shop_id=shop.id,
            channel="whatsapp",
            external_id=chat.message_id,
            sender=chat.sender,
            body=chat.text,
            now=now,
        )
        for chat in chats
    ]
    answer: dict[str, object] = {
        "received": [r.message_id for r in stored if not r.duplicate],
        "duplicates": sum(r.duplicate for r in stored),
    }
    if whatsapp.has_statuses(payload):
        # One callback carries both: the delivery reports go where they always go.
        from parcelcare.messaging.report_views import receive_report

        report = receive_report(request, "whatsapp", shop.id)
        answer["reports"] = json.loads(report.content or b"{}")
    return JsonResponse(answer)
