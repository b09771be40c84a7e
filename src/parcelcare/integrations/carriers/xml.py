"""Carrier XML answers read safely (no DTD, no entities), with namespace-free tag names."""

import xml.etree.ElementTree as ET

from parcelcare.domain.errors import InvalidEvent

from .events import text_of


def load_xml(payload: bytes | str, carrier: str) -> ET.Element:
    """The root element of a carrier's XML answer; InvalidEvent if unsafe or not well-formed."""
    document = text_of(payload, carrier)
    # A DTD can declare entities that expand without bound or read local files: no carrier
    # sends one, so any document that has one is refused before the parser sees it.
    head = document.upper()
    if "<!DOCTYPE" in head or "<!ENTITY" in head:
        raise InvalidEvent(f"{carrier}: XML with a DTD or entity declaration is refused")
    try:
        return ET.fromstring(document)
    except ET.ParseError as error:
        raise InvalidEvent(f"{carrier}: payload is not well-formed XML ({error})") from None


def tag_name(tag: str) -> str:
    """A tag without its `{namespace}`."""
    return tag.rpartition("}")[2]


def inner_text(element: ET.Element | None) -> str:
    """The stripped text of an element; "" when the element is missing or empty."""
    return (element.text or "").strip() if element is not None else ""
