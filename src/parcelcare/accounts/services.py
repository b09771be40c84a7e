"""Shop and API key use cases: create a shop, issue a key, find the shop behind a key."""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction

from parcelcare import clock

from .audit import record, save_fields
from .models import ApiKey, Connection, Membership, Shop
from .shop_settings import check_country, check_language, check_time_zone

KEY_PREFIX = "pck_"


def _hash(secret: str) -> str:
    # Keys are 256-bit random strings, so a fast hash is enough: there is nothing to brute-force.
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_api_key(*, shop: Shop, name: str = "default", actor: str = "cli") -> str:
    """Create a key for the shop and return it; only its hash is kept."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        key = ApiKey.objects.create(shop=shop, name=name, prefix=prefix, secret_hash=_hash(secret))
        record(
            shop_id=shop.id,
            at=clock.now(),
            actor_type="agent",
            actor=actor,
            subject_type="api_key",
            subject_id=key.id,
            action="api_key_issued",
            after={"name": name, "prefix": prefix},
        )
    return f"{KEY_PREFIX}{prefix}_{secret}"


def shop_for_key(token: str) -> Shop | None:
    """The shop a presented key belongs to, or None for anything that is not a live key."""
    if not token.startswith(KEY_PREFIX) or token.count("_") < 2:
        return None
    prefix, _, secret = token[len(KEY_PREFIX) :].partition("_")
    key = ApiKey.objects.select_related("shop").filter(prefix=prefix, revoked_at=None).first()
    if key is None or not hmac.compare_digest(key.secret_hash, _hash(secret)):
        return None
    return key.shop


def create_shop(
    *, name: str, timezone: str = "Europe/Amsterdam", country: str = "NL", language: str = "en"
) -> tuple[Shop, str]:
    """Create a shop with its first API key; raises ValueError on a bad setting."""
    timezone = check_time_zone(timezone)
    country = check_country(country)
    language = check_language(language)
    if not name.strip():
        raise ValueError("a shop needs a name")
    with transaction.atomic():
        shop = Shop.objects.create(
            name=name.strip(), timezone=timezone, country=country.upper(), default_language=language
        )
        return shop, issue_api_key(shop=shop)


ROTATION_OVERLAP = timedelta(hours=24)
"""How long the previous secret keeps working after a new one is set (senders roll slowly)."""


def connect_source(
    *,
    shop: Shop,
    source: str,
    secret: str,
    actor: str = "cli",
    settings: dict[str, str] | None = None,
) -> Connection:
    """Set the signing secret (and settings) of a webhook source; an old secret lives a day."""
    if len(secret.strip()) < 8:
        raise ValueError("a webhook secret must be at least 8 characters")
    now = clock.now()
    with transaction.atomic():
        link = Connection.objects.filter(shop=shop, source=source).first()
        if link is None:
            link = Connection.objects.create(
                shop=shop, source=source, secret=secret.strip(), settings=settings or {}
            )
            action = "source_connected"
        else:
            link.previous_secret, link.secret = link.secret, secret.strip()
            link.previous_valid_until = now + ROTATION_OVERLAP
            link.settings = {**(link.settings or {}), **(settings or {})}
            link.save(
                update_fields=["secret", "previous_secret", "previous_valid_until", "settings"]
            )
            action = "secret_rotated"
        record(
            shop_id=shop.id,
            at=now,
            actor_type="agent",
            actor=actor,
            subject_type="connection",
            subject_id=link.id,
            action=action,
            after={"source": source, "settings": sorted(settings or {})},
        )
    return link


def add_agent(*, shop_id: int, username: str, role: str, password: str) -> Membership:
    """Create (or reuse) a login and give it a role in the shop."""
    if role not in Membership.Role.values:
        raise ValueError(f"role must be one of {', '.join(Membership.Role.values)}")
    shop = Shop.objects.filter(id=shop_id).first()
    if shop is None:
        raise ValueError(f"no shop with id {shop_id}")
    user_model = get_user_model()
    with transaction.atomic():
        user, created = user_model.objects.get_or_create(username=username)
        if created or password:
            try:
                validate_password(password, user)
            except DjangoValidationError as error:
                raise ValueError(" ".join(error.messages)) from None
            user.set_password(password)
            user.save()
        membership, _ = Membership.objects.update_or_create(
            user=user, shop=shop, defaults={"role": role}
        )
        record(
            shop_id=shop.id,
            at=clock.now(),
            actor_type="agent",
            actor="cli",
            subject_type="membership",
            subject_id=membership.id,
            action="agent_added",
            after={"role": role},
        )
    return membership


def update_branding(*, shop: Shop, changes: dict[str, Any], actor: str, now: datetime) -> list[str]:
    """Change brand fields with an audit entry; the names changed (ValidationError when bad)."""
    before = {name: getattr(shop, name) for name in changes}
    changed = [name for name, value in changes.items() if before[name] != value]
    if not changed:
        return []
    for name in changed:
        setattr(shop, name, changes[name])
    shop.clean_fields(exclude=[f.name for f in Shop._meta.fields if f.name not in changed])
    with transaction.atomic():
        save_fields(
            shop,
            {name: changes[name] for name in changed},
            shop_id=shop.id,
            at=now,
            actor=actor,
            subject_type="shop",
            action="branding_changed",
            before=before,
            after=changes,
        )
    return changed
