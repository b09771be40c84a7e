"""`parcelcare bench webhook`: signed 1-event deliveries through the real endpoint, against the
same request stack answering a constant."""

import base64
import hashlib
import hmac
import json
import time
from datetime import timedelta
from typing import Any

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.test import Client, override_settings
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from parcelcare import clock
from parcelcare.accounts.services import connect_source
from parcelcare.jobs import huey
from parcelcare.tracking.webhook_views import receive_webhook

from .fixtures import bench_shop, delete_shop

SECRET = "bench-webhook-secret"


@csrf_exempt
def constant(request: HttpRequest, source: str, shop_id: int) -> JsonResponse:
    """The floor: the same request stack, no work."""
    return JsonResponse({"received": 0}, status=202)


urlpatterns = [
    path("webhooks/<slug:source>/<int:shop_id>", receive_webhook),
    path("constant/<slug:source>/<int:shop_id>", constant),
]


def _body(n: int) -> bytes:
    moment = (clock.now() - timedelta(hours=1)).isoformat()
    tracking = {
        "id": f"bench{n}",
        "tracking_number": f"LPBENCH{n:08d}",
        "slug": "cainiao",
        "tag": "InTransit",
        "subtag": "InTransit_001",
        "checkpoints": [
            {
                "checkpoint_time": moment,
                "tag": "InTransit",
                "subtag": "InTransit_001",
                "message": "In transit",
                "country_iso3": "NLD",
            }
        ],
    }
    return json.dumps(
        {"event_id": f"bench-{n}", "event": "tracking_update", "msg": tracking}
    ).encode()


def _signed(body: bytes) -> dict[str, str]:
    digest = hmac.new(SECRET.encode(), body, hashlib.sha256).digest()
    return {"aftership-hmac-sha256": base64.b64encode(digest).decode()}


def _rate(client: Client, prefix: str, shop_id: int, bodies: list[bytes]) -> float:
    began = time.perf_counter()
    for body in bodies:
        answer = client.post(
            f"/{prefix}/aftership/{shop_id}",
            data=body,
            content_type="application/json",
            headers=_signed(body),
        )
        if answer.status_code != 202:
            raise RuntimeError(f"{prefix} answered {answer.status_code}")
    return len(bodies) / (time.perf_counter() - began)


def run(*, requests: int = 2000) -> dict[str, Any]:
    """Requests/s of the real endpoint (verify, store, enqueue) and of a constant answer."""
    shop = bench_shop("webhook")
    connect_source(shop=shop, source="aftership", secret=SECRET)
    bodies = [_body(n) for n in range(requests)]
    client = Client()
    immediate, huey.immediate = huey.immediate, False
    try:
        with override_settings(ROOT_URLCONF=__name__):
            floor = _rate(client, "constant", shop.id, bodies)
            real = _rate(client, "webhooks", shop.id, bodies)
    finally:
        huey.immediate = immediate
        huey.flush()
        delete_shop(shop)
    return {
        "benchmark": "webhook",
        "database": connection.vendor,
        "requests": requests,
        "requests_per_second": round(real),
        "baseline_constant_requests_per_second": round(floor),
        "ratio_to_baseline": round(real / floor, 3),
        "mean_ms": round(1000 / real, 3),
    }
