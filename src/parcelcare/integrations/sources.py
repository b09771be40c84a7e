"""The explicit lists of webhook sources parcelcare accepts, by the slug in their URL."""

from .carriers.aftership.webhook import SOURCE as aftership
from .carriers.sendcloud.webhook import SOURCE as sendcloud
from .carriers.seventeentrack.webhook import SOURCE as seventeentrack
from .channels.report_sources import REPORT_SOURCES
from .payments.webhooks import PAYOUT_SOURCES
from .shops.shopify import SOURCE as shopify
from .shops.woocommerce import SOURCE as woocommerce
from .webhooks import StoredSource, WebhookSource

SOURCES: dict[str, WebhookSource] = {
    source.slug: source for source in (shopify, woocommerce, aftership, seventeentrack, sendcloud)
}

INBOX_SOURCES: dict[str, StoredSource] = {**SOURCES, **REPORT_SOURCES, **PAYOUT_SOURCES}
"""Every sender whose deliveries the inbox stores and processes: webhooks and delivery reports."""
