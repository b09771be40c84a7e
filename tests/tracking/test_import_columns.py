"""The import columns: README tables, `--help` and the parser agree on every column."""

import re
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from parcelcare.cli import app
from parcelcare.tracking import imports, normalise
from parcelcare.tracking.import_columns import EVENT_COLUMNS, ORDER_COLUMNS, Column

README = Path(__file__).resolve().parents[2] / "README.md"
ROW = re.compile(r"^\| `(\w+)` \| ([^|]+) \| (.+) \|$")


def readme_tables() -> list[list[tuple[str, str, str]]]:
    """Every table under 'Import files' in the README, as (column, required, meaning) rows."""
    text = README.read_text()
    section = text.split("### Import files", 1)[1].split("\n## ", 1)[0]
    tables: list[list[tuple[str, str, str]]] = []
    for block in section.split("| column | required | what it holds |")[1:]:
        rows = [ROW.match(line) for line in block.strip().splitlines()[1:]]
        tables.append([m.groups() for m in rows if m])  # type: ignore[misc]
    return tables


def documented(columns: tuple[Column, ...]) -> list[tuple[str, str, str]]:
    return [(c.name, c.required or "\u2013", c.meaning) for c in columns]


def test_the_readme_tables_are_the_parsers_columns() -> None:
    orders, events = readme_tables()
    assert orders == documented(ORDER_COLUMNS)
    assert events == documented(EVENT_COLUMNS)


class Recording(dict):  # type: ignore[type-arg]
    """A row that remembers every column a parser asked for."""

    def __init__(self, *args: Any, asked: set[str]) -> None:
        super().__init__(*args)
        self.asked = asked

    def get(self, key: Any, default: Any = None) -> Any:
        self.asked.add(key)
        return super().get(key, default)

    def __getitem__(self, key: Any) -> Any:
        self.asked.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self.asked.add(str(key))
        return super().__contains__(key)


def test_the_orders_parser_reads_exactly_the_documented_columns() -> None:
    asked: set[str] = set()
    row = {c.name: f"value of {c.name}" for c in ORDER_COLUMNS} | {"consent": "sms"}
    payload = imports._order_from_csv([Recording(row, asked=asked)])
    assert asked == {c.name for c in ORDER_COLUMNS}
    text = repr(payload)
    missing = [c.name for c in ORDER_COLUMNS if c.name != "consent" and row[c.name] not in text]
    assert not missing, f"documented but dropped: {missing}"


def test_the_events_parser_reads_exactly_the_documented_columns() -> None:
    asked: set[str] = set()
    row = {
        "carrier": "postnl",
        "tracking_number": "3SABC",
        "occurred_at": "2026-11-11T08:00:00+01:00",
        "code": "J01",
        "status": "in_transit",
        "reason": "carrier_delay",
        "description": "Sorted",
        "location": "Utrecht",
    }
    normalise.normalise(Recording(row, asked=asked))
    assert asked == {c.name for c in EVENT_COLUMNS} == set(row)


def test_import_help_lists_every_column() -> None:
    result = CliRunner().invoke(app, ["import", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for column in (*ORDER_COLUMNS, *EVENT_COLUMNS):
        assert f"{column.name}{'*' if column.required == 'yes' else ''}:" in result.output
