"""Cases for the demo shop: proactive ones from findings, customer reports on delivered
parcels, and a few walked part or all of the way so every stage of the desk has an example."""

import io
import random
from collections import Counter
from datetime import datetime, timedelta

from django.utils import timezone, translation
from PIL import Image, ImageDraw

from parcelcare.accounts.models import Shop
from parcelcare.cases.actors import Who
from parcelcare.cases.carrier import record_pod, request_pod
from parcelcare.cases.customer import Upload, confirm_checks, report, sign_declaration
from parcelcare.cases.customer_page import statement
from parcelcare.cases.follow import desk_pass
from parcelcare.cases.models import Case
from parcelcare.cases.outcomes import deny, record_remedy
from parcelcare.cases.services import complete_step
from parcelcare.domain.cases import CaseKind
from parcelcare.domain.money import RemedyKind
from parcelcare.domain.risk import PodStrength
from parcelcare.tracking.models import Shipment
from parcelcare.tracking.public_format import shop_zone

AGENT = Who("agent", "demo")
NOT_RECEIVED = {
    "nl": "Volgens de tracking is mijn pakket bezorgd, maar ik heb niets ontvangen.",
    "de": "Laut Sendungsverfolgung wurde mein Paket zugestellt, aber ich habe nichts erhalten.",
    "fr": "Le suivi indique que mon colis a été livré, mais je n'ai rien reçu.",
    "en": "Tracking says my parcel was delivered, but I never got it.",
}
DAMAGED = {
    "nl": "De pot is gebroken aangekomen, de doos was ingedeukt.",
    "de": "Der Topf kam zerbrochen an, der Karton war eingedrückt.",
    "fr": "Le pot est arrivé cassé, le carton était écrasé.",
    "en": "The pot arrived broken and the box was crushed.",
}
DENIED = {
    "nl": "Getekend bezorgbewijs aan de deur.",
    "de": "Unterschriebener Zustellnachweis an der Haustür.",
    "fr": "Preuve de livraison signée à la porte.",
    "en": "Signed proof of delivery at the door.",
}
"""The agent's reason for a deny, written in the shop's language like every note of its staff."""
CHECKS = ["household", "neighbours", "safe_place", "mailbox", "pickup_point"]


def _photo() -> Upload:
    """A small generated picture standing in for a customer's photo of a broken parcel."""
    image = Image.new("RGB", (480, 360), (196, 164, 132))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 80, 420, 300), outline=(90, 60, 40), width=6)
    draw.line((60, 80, 240, 190, 420, 300), fill=(120, 30, 30), width=8)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return Upload("doos-beschadigd.jpg", buffer.getvalue())


def _report(
    shipment: Shipment, kind: CaseKind, now: datetime, texts: dict[str, str], photos: int = 0
) -> Case:
    language = shipment.order.customer.language or "en"
    summary = texts.get(language, texts["en"])
    uploads = [_photo() for _ in range(photos)]
    # The acknowledgement is queued with the case; the embedded worker sends it once serving.
    return report(shipment=shipment, kind=kind, summary=summary, uploads=uploads, now=now)


def _walk_b(case: Case, stage: int, now: datetime) -> None:
    """Take a playbook B case `stage` steps along: checks, declaration, proof, remedy."""
    for key in ("investigate_tracking", "verify_address"):
        complete_step(case=case, key=key, who=AGENT, now=now)
    if stage >= 1:
        confirm_checks(case=case, checked=CHECKS, now=now)
    if stage >= 2:
        # The customer signs the page's own declaration, in the language they read it in.
        zone = shop_zone(case.shop)
        with translation.override(case.language), timezone.override(zone):
            text = statement(case, case.language)
        sign_declaration(
            case=case,
            name=case.order.customer.name or "—",
            statement=text,
            agreed=True,
            now=now,
            ip="198.51.100.23",
            user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)",
        )
        request_pod(case=case, who=AGENT, now=now)
    if stage >= 3:
        record_pod(case=case, strength=PodStrength.SCAN_ONLY, detail="", who=AGENT, now=now)
        complete_step(case=case, key="file_claim", who=AGENT, now=now, skip=True)


def _finish(case: Case, outcome: str, now: datetime) -> None:
    if outcome == "deny":
        language = case.shop.default_language
        deny(case=case, who=AGENT, now=now, reason=DENIED.get(language, DENIED["en"]))
        return
    kind = RemedyKind(outcome)
    amount = case.order.total if kind == RemedyKind.REFUND else 0
    record_remedy(
        case=case, kind=kind, amount=amount, who=AGENT, now=now, idempotency_key=f"demo-{case.pk}"
    )


def seed_cases(*, shop: Shop, now: datetime, seed: int) -> dict[str, int]:
    """Open and walk the demo's cases; returns open and resolved cases per playbook."""
    rng = random.Random(seed)
    desk_pass(now)
    delivered = list(
        Shipment.objects.filter(shop=shop, status="delivered", cases__isnull=True)
        .select_related("order__customer", "shop")
        .order_by("id")
    )
    picked = rng.sample(delivered, min(len(delivered), 16))
    for index, shipment in enumerate(picked[:12]):
        reported = now - timedelta(minutes=16 - index)
        case = _report(shipment, CaseKind.NOT_RECEIVED, reported, NOT_RECEIVED)
        stage = index % 4
        if stage:
            _walk_b(case, stage, now)
        if index in (3, 7, 11):
            _finish(case, ("reship", "refund", "deny")[index // 4], now)
    for shipment in picked[12:]:
        _report(
            shipment, CaseKind.DAMAGED_OR_WRONG_ITEM, now - timedelta(minutes=9), DAMAGED, photos=1
        )
    counts: Counter[str] = Counter(
        f"{playbook} {'open' if is_open else 'resolved'}"
        for playbook, is_open in Case.objects.filter(shop=shop).values_list("playbook", "is_open")
    )
    return dict(sorted(counts.items()))
