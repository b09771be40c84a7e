"""The explicit list of supported carriers and the lookup of their raw event codes."""

from dataclasses import dataclass
from types import MappingProxyType
from typing import Protocol

from parcelcare.domain.vocabulary import IncidentReason, ShipmentStatus

from .aftership import codes as aftership
from .bpost import codes as bpost
from .cainiao import codes as cainiao
from .colissimo import codes as colissimo
from .dhl import codes as dhl
from .dpd import codes as dpd
from .gls import codes as gls
from .postnl import codes as postnl
from .sendcloud import codes as sendcloud
from .seventeentrack import codes as seventeentrack
from .shopify_fulfillment import codes as shopify_fulfillment
from .ups import codes as ups
from .yunexpress import codes as yunexpress

CodeTable = MappingProxyType[str, tuple[ShipmentStatus, IncidentReason | None]]


class _CodesModule(Protocol):
    NAME: str
    CODES: dict[str, tuple[ShipmentStatus, IncidentReason | None]]
    DESCRIPTIONS: dict[str, str]


@dataclass(frozen=True)
class CarrierInfo:
    """One supported carrier: its slug, display name and raw code tables."""

    slug: str
    name: str
    codes: CodeTable
    descriptions: MappingProxyType[str, str]


def _info(slug: str, module: _CodesModule) -> CarrierInfo:
    # Read-only views: a caller must never change a shared code table by accident.
    return CarrierInfo(
        slug=slug,
        name=module.NAME,
        codes=MappingProxyType(module.CODES),
        descriptions=MappingProxyType(module.DESCRIPTIONS),
    )


CARRIERS: dict[str, CarrierInfo] = {
    "postnl": _info("postnl", postnl),
    "dhl": _info("dhl", dhl),
    "dpd": _info("dpd", dpd),
    "gls": _info("gls", gls),
    "ups": _info("ups", ups),
    "bpost": _info("bpost", bpost),
    "colissimo": _info("colissimo", colissimo),
    "yunexpress": _info("yunexpress", yunexpress),
    "cainiao": _info("cainiao", cainiao),
    # Aggregators and platforms that report other carriers' scans under their own codes.
    "aftership": _info("aftership", aftership),
    "17track": _info("17track", seventeentrack),
    "sendcloud": _info("sendcloud", sendcloud),
    "shopify": _info("shopify", shopify_fulfillment),
}


def is_known_carrier(slug: str) -> bool:
    """Whether `slug` names a supported carrier."""
    return slug in CARRIERS


def lookup(carrier: str, code: str) -> tuple[ShipmentStatus | None, IncidentReason | None]:
    """The status and reason of a raw code; (None, None) when carrier or code is unknown."""
    info = CARRIERS.get(carrier)
    if info is None:
        return None, None
    # Exact match only: codes such as DHL's "ZU" and "zu" could mean different things, and an
    # unknown code must be kept and counted, never guessed.
    return info.codes.get(code.strip(), (None, None))
