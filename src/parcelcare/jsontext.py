"""JSON text from the outside, parsed with a nesting limit and a precise error."""

import json
from typing import Any

MAX_DEPTH = 32
"""Deeper than any payload this project reads; a deeper body is refused, never recursed into."""


class BadJson(ValueError):
    """A body that is not JSON text this project accepts, with what is wrong."""


def loads(body: bytes | str, *, max_depth: int = MAX_DEPTH, **options: Any) -> Any:
    """Parse JSON text; BadJson for bad UTF-8, bad syntax, huge numbers or deep nesting."""
    try:
        # JSON exchanged between systems is UTF-8 (RFC 8259); no guessing of UTF-16 or -32.
        value = json.loads(body.decode() if isinstance(body, bytes) else body, **options)
    except json.JSONDecodeError as error:
        raise BadJson(
            f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from None
    except UnicodeDecodeError as error:
        raise BadJson(f"not UTF-8 text: byte {error.start} cannot be decoded") from None
    except RecursionError:
        raise BadJson(f"JSON nested deeper than {max_depth} levels") from None
    except ValueError as error:
        # Python refuses integers of thousands of digits with a ValueError of its own.
        raise BadJson(f"not valid JSON text: {error}") from None
    if _depth(value, max_depth) > max_depth:
        raise BadJson(f"JSON nested deeper than {max_depth} levels")
    return value


def _depth(value: Any, limit: int) -> int:
    """Nesting depth of arrays and objects, stopping as soon as it passes `limit`."""
    deepest, level = 0, [value]
    while level and deepest <= limit:
        nested = [v for v in level if isinstance(v, dict | list)]
        if not nested:
            break
        deepest += 1
        level = [c for v in nested for c in (v.values() if isinstance(v, dict) else v)]
    return deepest
