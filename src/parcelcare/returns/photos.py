"""Photos a customer sends with a return: checked to be real images before any is kept."""

import hashlib
from io import BytesIO

from PIL import Image, UnidentifiedImageError

from parcelcare.domain.returns_policy import ReturnError

MAX_BYTES = 8 * 1024 * 1024
MAX_PHOTOS = 6
TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def checked(data: bytes) -> tuple[str, str]:
    """The photo's content type and SHA-256, or ReturnError when it is not a photo we take."""
    if len(data) > MAX_BYTES:
        raise ReturnError("photo", "a photo may be at most 8 MB")
    try:
        with Image.open(BytesIO(data)) as image:
            image.verify()
            kind = image.format or ""
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ReturnError("photo", "this is not a photo we can read") from None
    if kind not in TYPES:
        raise ReturnError("photo", "send a JPEG, PNG or WebP photo")
    return TYPES[kind], hashlib.sha256(data).hexdigest()
