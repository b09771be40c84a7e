"""What the customer does from their case page: confirm the checks, sign the declaration of
non-receipt, send photos, choose reship or refund, confirm the address."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from django.db import transaction
from PIL import Image, UnidentifiedImageError

from parcelcare.domain.cases import CaseKind
from parcelcare.domain.playbooks import StepKey, StepState
from parcelcare.domain.vocabulary import ShipmentStatus
from parcelcare.tracking.models import Shipment

from .actors import CUSTOMER, CaseError, audit, lock
from .models import Attachment, Case, Declaration
from .services import complete_step, open_case

CHECKS = ("household", "neighbours", "safe_place", "mailbox", "pickup_point")
"""Where a parcel marked delivered usually turns up, asked in this order."""
CHOICES = ("reship", "refund")
MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PHOTOS = 6
PHOTO_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "HEIF": "image/heif"}


@dataclass(frozen=True)
class Upload:
    """One uploaded file as the view received it."""

    filename: str
    data: bytes


def _open_step(case: Case, key: StepKey) -> None:
    if not case.steps.filter(key=key, state=StepState.OPEN).exists():
        raise CaseError(f"nothing is asked of you for {key} on case {case.reference}")


def confirm_checks(*, case: Case, checked: Iterable[str], now: datetime, note: str = "") -> None:
    """The customer looked in every place the checklist names and did not find the parcel."""
    done = [c for c in CHECKS if c in set(checked)]
    if len(done) != len(CHECKS):
        missing = ", ".join(c for c in CHECKS if c not in done)
        raise CaseError(f"please confirm every check first (missing: {missing})")
    _open_step(case, StepKey.CUSTOMER_CHECKS)
    complete_step(
        case=case,
        key=StepKey.CUSTOMER_CHECKS,
        who=CUSTOMER,
        now=now,
        data={"checked": done, "note": note.strip()[:1000]},
    )


def sign_declaration(
    *,
    case: Case,
    name: str,
    statement: str,
    agreed: bool,
    now: datetime,
    ip: str | None,
    user_agent: str,
) -> Declaration:
    """Record the signed declaration of non-receipt with its name, text, time and IP."""
    if not agreed or len(name.strip()) < 2:
        raise CaseError("type your full name and tick the box to sign")
    with transaction.atomic():
        case = lock(case)
        _open_step(case, StepKey.DECLARATION)
        declaration = Declaration.objects.create(
            case=case,
            name=name.strip()[:200],
            statement=statement.strip()[:5000],
            language=case.language,
            signed_at=now,
            ip=ip or None,
            user_agent=user_agent[:300],
        )
        complete_step(
            case=case,
            key=StepKey.DECLARATION,
            who=CUSTOMER,
            now=now,
            data={"declaration": declaration.pk},
        )
    return declaration


def _photo(upload: Upload) -> str:
    """The photo's content type, after checking it really is an image of a known kind."""
    if len(upload.data) > MAX_PHOTO_BYTES:
        raise CaseError(f"{upload.filename}: a photo may be at most 8 MB")
    try:
        with Image.open(BytesIO(upload.data)) as image:
            image.verify()
            kind = image.format or ""
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise CaseError(f"{upload.filename}: this is not a photo we can read") from error
    if kind not in PHOTO_TYPES:
        raise CaseError(f"{upload.filename}: send a JPEG, PNG, WebP or HEIF photo")
    return PHOTO_TYPES[kind]


def add_photos(
    *, case: Case, uploads: list[Upload], now: datetime, settle: bool = True
) -> list[Attachment]:
    """Store the customer's photos (damage, label, packaging), all checked before any is kept."""
    if not uploads:
        raise CaseError("choose at least one photo")
    if len(uploads) + case.attachments.count() > MAX_PHOTOS:
        raise CaseError(f"a case can hold at most {MAX_PHOTOS} photos")
    types = [_photo(upload) for upload in uploads]
    with transaction.atomic():
        case = lock(case)
        saved = [
            Attachment.objects.create(
                case=case,
                uploaded_at=now,
                filename=upload.filename[-200:] or "photo",
                content_type=content_type,
                size=len(upload.data),
                sha256=hashlib.sha256(upload.data).hexdigest(),
                data=upload.data,
            )
            for upload, content_type in zip(uploads, types, strict=True)
        ]
        audit(case, CUSTOMER, "photos", now, None, {"attachments": [a.pk for a in saved]})
        open_photos = case.steps.filter(key=StepKey.PHOTOS, state=StepState.OPEN).exists()
        if settle and open_photos:
            complete_step(
                case=case, key=StepKey.PHOTOS, who=CUSTOMER, now=now, data={"count": len(saved)}
            )
    return saved


def choose_remedy(*, case: Case, choice: str, now: datetime) -> None:
    """The customer's pick between a new parcel and their money back (playbook C)."""
    if choice not in CHOICES:
        raise CaseError("choose a new parcel or a refund")
    with transaction.atomic():
        case = lock(case)
        _open_step(case, StepKey.CUSTOMER_CHOICE)
        case.customer_choice = choice
        case.save(update_fields=["customer_choice"])
        complete_step(
            case=case, key=StepKey.CUSTOMER_CHOICE, who=CUSTOMER, now=now, data={"choice": choice}
        )
        from .assess import assess

        assess(case=case, now=now)


def confirm_address(
    *, case: Case, correct: bool, now: datetime, new_address: str = "", pickup_point: str = ""
) -> None:
    """The customer confirms the address, gives a corrected one, or picks a pickup point.

    A corrected address is the customer's error, which changes the recommendation (playbook D
    splits the reship cost), so the case is assessed again."""
    if not correct and not (new_address.strip() or pickup_point.strip()):
        raise CaseError("give the right address or choose a pickup point")
    with transaction.atomic():
        case = lock(case)
        _open_step(case, StepKey.CONFIRM_ADDRESS)
        complete_step(
            case=case,
            key=StepKey.CONFIRM_ADDRESS,
            who=CUSTOMER,
            now=now,
            data={
                "correct": correct,
                "new_address": new_address.strip()[:500],
                "pickup_point": pickup_point.strip()[:200],
                "customer_error": not correct,
            },
        )
        from .assess import assess

        assess(case=case, now=now)


def report(
    *, shipment: Shipment, kind: CaseKind, summary: str, uploads: list[Upload], now: datetime
) -> Case:
    """A problem reported from the tracking page: a case (or the open one) with the photos.

    All or nothing: a photo that is refused leaves no case behind. Damage or a wrong item
    can only be reported once the carrier delivered the parcel."""
    if kind == CaseKind.DAMAGED_OR_WRONG_ITEM and shipment.status != ShipmentStatus.DELIVERED:
        raise CaseError("damage or a wrong item can be reported once the parcel is delivered")
    with transaction.atomic():
        case, _created = open_case(
            shop=shipment.shop,
            order=shipment.order,
            shipment=shipment,
            kind=kind,
            source=Case.Source.CUSTOMER,
            who=CUSTOMER,
            now=now,
            summary=summary,
        )
        if uploads:
            add_photos(case=case, uploads=uploads, now=now)
    return case
