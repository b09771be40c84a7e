"""Candidate carriers for a tracking number, judged from its format alone.

Confidence is a rough 0..1 score: about 0.9 and above for formats that only one carrier
issues, with a check digit where one is known to apply (UPU S10, UPS); about 0.5 for formats
that are specific but unchecked; 0.3 to 0.45 for bare digit runs that several carriers share.
Only carriers in the registry are named; aggregators are never guessed from a number.
"""

import re
from collections.abc import Callable, Iterator

Candidate = tuple[str, float]
Rule = Callable[[str], Iterator[Candidate]]

S10 = re.compile(r"[A-Z]{2}(\d{8})(\d)([A-Z]{2})")
S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
# The posts behind an S10 country suffix that the registry knows (Deutsche Post is DHL's;
# China Post items usually travel on Cainiao's network before the destination post).
S10_COUNTRIES: dict[str, Candidate] = {
    "NL": ("postnl", 0.95),
    "BE": ("bpost", 0.95),
    "DE": ("dhl", 0.9),
    "FR": ("colissimo", 0.9),
    "CN": ("cainiao", 0.6),
}
UPS = re.compile(r"1Z([A-Z0-9]{15})(\d)")


def detect_carrier(tracking_number: str) -> list[Candidate]:
    """(slug, confidence) for every carrier whose number format matches, best first."""
    number = normalise(tracking_number)
    if not number:
        return []
    best: dict[str, float] = {}
    for rule in RULES:
        for slug, confidence in rule(number):
            best[slug] = max(best.get(slug, 0.0), confidence)
    return sorted(best.items(), key=lambda item: (-item[1], item[0]))


def normalise(tracking_number: str) -> str:
    """Upper case without the spaces and dashes people copy from labels and e-mails."""
    return re.sub(r"[\s\-]", "", tracking_number).upper()


def s10_check_digit(serial: str) -> int:
    """The UPU S10 check digit of an 8-digit serial number (weights 8 6 4 2 3 5 9 7, mod 11)."""
    remainder = sum(int(d) * w for d, w in zip(serial, S10_WEIGHTS, strict=True)) % 11
    return {0: 5, 1: 0}.get(remainder, 11 - remainder)


def ups_check_digit(body: str) -> int:
    """The check digit of the 15 characters after `1Z`: letters count as (ord - 3) mod 10."""
    values = [int(c) if c.isdigit() else (ord(c) - 3) % 10 for c in body]
    total = sum(v if i % 2 == 0 else 2 * v for i, v in enumerate(values))
    return (10 - total % 10) % 10


def _s10(number: str) -> Iterator[Candidate]:
    match = S10.fullmatch(number)
    if match and s10_check_digit(match[1]) == int(match[2]) and match[3] in S10_COUNTRIES:
        yield S10_COUNTRIES[match[3]]


def _ups(number: str) -> Iterator[Candidate]:
    match = UPS.fullmatch(number)
    if match:
        # A failed check digit is more likely a typo than another carrier's number.
        yield "ups", 0.99 if ups_check_digit(match[1]) == int(match[2]) else 0.5


def _patterns(number: str) -> Iterator[Candidate]:
    for pattern, slug, confidence in PATTERNS:
        if pattern.fullmatch(number):
            yield slug, confidence


def _dhl_express(number: str) -> Iterator[Candidate]:
    # DHL Express waybills: ten digits whose last is the first nine modulo 7.
    if len(number) == 10 and number.isdigit() and int(number[:9]) % 7 == int(number[9]):
        yield "dhl", 0.45


PATTERNS: tuple[tuple[re.Pattern[str], str, float], ...] = tuple(
    (re.compile(pattern), slug, confidence)
    for pattern, slug, confidence in (
        # PostNL domestic barcode: 3S, a four-letter customer code, a serial number.
        (r"3S[A-Z]{4}\d{7,9}", "postnl", 0.95),
        # DHL: Express piece ids, Paket's 20-digit numbers from its 00340434 range, eCommerce GM.
        (r"JJD\d{10,20}", "dhl", 0.9),
        (r"JV[A-Z]{2}\d{9,12}", "dhl", 0.85),
        (r"00340434\d{12}", "dhl", 0.85),
        (r"GM\d{16,22}", "dhl", 0.7),
        (r"YT\d{16}", "yunexpress", 0.95),
        (r"LP\d{14}", "cainiao", 0.9),
        (r"CN[A-Z0-9]{10,20}", "cainiao", 0.5),
        (r"32\d{22}", "bpost", 0.9),
        # Colissimo: a digit and a letter (6A, 8R, 6C ...) then digits; 13 characters is usual.
        (r"\d[A-Z]\d{11}", "colissimo", 0.85),
        (r"(?!3S)\d[A-Z][A-Z0-9]{9,13}", "colissimo", 0.45),
        # Bare digit runs: shared formats, so low confidence.
        (r"\d{14}", "dpd", 0.5),
        (r"\d{11}", "gls", 0.5),
        (r"\d{12}", "dhl", 0.4),
        (r"\d{12}", "gls", 0.35),
        (r"\d{20}", "dhl", 0.35),
        # GLS TrackID: eight letters and digits with at least one letter.
        (r"(?=.*[A-Z])[A-Z0-9]{8}", "gls", 0.5),
    )
)

RULES: tuple[Rule, ...] = (_s10, _ups, _dhl_express, _patterns)
