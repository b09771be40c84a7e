"""The command line: shop creation, imports with bad lines, review with a moved clock."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parcelcare import clock
from parcelcare.accounts.models import ApiKey, Membership, Shop
from parcelcare.cli import app
from parcelcare.tracking.models import Finding, Order, Shipment, TrackingEvent

runner = CliRunner()

ORDERS_CSV = (Path(__file__).parent.parent / "fixtures" / "orders_sample.csv").read_text()

EVENTS_JSONL = (
    "\n".join(
        [
            json.dumps(
                {
                    "carrier": "postnl",
                    "tracking_number": "3SCSV0001",
                    "occurred_at": "2026-11-10T18:00:00+01:00",
                    "code": "X1",
                    "status": "in_transit",
                }
            ),
            "{broken json",
            json.dumps(
                {
                    "carrier": "postnl",
                    "tracking_number": "3SCSV0001",
                    "occurred_at": "2026-11-11T08:00:00",
                    "code": "X2",
                    "status": "in_transit",
                }
            ),
            "",
            json.dumps(
                {
                    "carrier": "postnl",
                    "tracking_number": "3SCSV0001",
                    "occurred_at": "2026-11-11T09:00:00+01:00",
                    "code": "X3",
                    "status": "out_for_delivery",
                }
            ),
        ]
    )
    + "\n"
)


@pytest.fixture
def shop(db: None) -> Shop:
    result = runner.invoke(app, ["shop", "create", "--name", "CLI Shop", "--language", "nl"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["api_key"].startswith("pck_")
    assert ApiKey.objects.filter(shop_id=body["shop_id"]).count() == 1
    return Shop.objects.get(id=body["shop_id"])


def test_shop_create_refuses_bad_settings(db: None) -> None:
    result = runner.invoke(app, ["shop", "create", "--name", "X", "--timezone", "Mars/Olympus"])
    assert result.exit_code == 2
    assert "unknown time zone 'Mars/Olympus'" in result.output


@pytest.mark.parametrize(
    ("option", "value", "error"),
    [
        ("--country", "ZZ", "unknown country 'ZZ'"),
        ("--country", "UK", "unknown country 'UK' (the United Kingdom is GB)"),
        ("--country", "NLD", "unknown country 'NLD'"),
        ("--timezone", "europe/amsterdam", "did you mean Europe/Amsterdam?"),
        ("--timezone", "CET+1", "unknown time zone 'CET+1'"),
        ("--language", "es", "unknown language 'es': one of nl, de, en, fr"),
    ],
)
def test_shop_create_names_the_bad_country_zone_or_language(
    db: None, option: str, value: str, error: str
) -> None:
    result = runner.invoke(app, ["shop", "create", "--name", "X", option, value])
    assert result.exit_code == 2, result.output
    assert error in result.output
    assert not Shop.objects.exists()


def test_shop_create_takes_a_lower_case_country(db: None) -> None:
    result = runner.invoke(app, ["shop", "create", "--name", "X", "--country", "be"])
    assert result.exit_code == 0, result.output
    assert Shop.objects.get().country == "BE"


def test_import_orders_csv_reports_bad_lines_and_imports_the_rest(
    shop: Shop, tmp_path: Path
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS_CSV)
    result = runner.invoke(app, ["import", "orders", str(path), "--shop", str(shop.id)])
    assert result.exit_code == 1
    assert "orders.csv:4: placed_at" in result.output
    assert "orders.csv:5: shipments[0].carrier 'pigeonpost' is unknown" in result.output
    assert list(Order.objects.values_list("order_number", flat=True)) == ["A-1"]
    assert Order.objects.get().lines.count() == 2
    assert Order.objects.get().total == 995 + 2 * 1495


def test_import_events_jsonl_reports_bad_lines_and_imports_the_rest(
    shop: Shop, tmp_path: Path
) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS_CSV)
    runner.invoke(app, ["import", "orders", str(orders), "--shop", str(shop.id)])
    path = tmp_path / "events.jsonl"
    path.write_text(EVENTS_JSONL)
    result = runner.invoke(app, ["import", "events", str(path), "--shop", str(shop.id)])
    assert result.exit_code == 1
    assert "events.jsonl:2: not valid JSON" in result.output
    assert "events.jsonl:3: occurred_at '2026-11-11T08:00:00' has no UTC offset" in result.output
    assert TrackingEvent.objects.count() == 2
    assert Shipment.objects.get().status == "out_for_delivery"


def test_import_into_a_missing_shop_is_refused(db: None, tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text(EVENTS_JSONL)
    result = runner.invoke(app, ["import", "events", str(path), "--shop", "999"])
    assert result.exit_code == 2
    assert "no shop with id 999" in result.output


def test_review_with_a_moved_clock_escalates_the_delay(
    shop: Shop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 11, 12, 0, tzinfo=UTC))
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS_CSV)
    runner.invoke(app, ["import", "orders", str(orders), "--shop", str(shop.id)])
    shipment = Shipment.objects.get()
    # Promised Thursday 12th; at Friday 13th 08:00 Amsterdam it is one business day late.
    result = runner.invoke(app, ["review", "--now", "2026-11-13T08:00:00+01:00"])
    assert result.exit_code == 0, result.output
    levels = set(
        Finding.objects.filter(shipment=shipment, kind="delayed", closed_at=None).values_list(
            "level", flat=True
        )
    )
    assert levels == {1}
    runner.invoke(app, ["review", "--now", "2026-11-17T08:00:00+01:00"])
    levels = set(
        Finding.objects.filter(shipment=shipment, kind="delayed", closed_at=None).values_list(
            "level", flat=True
        )
    )
    assert levels == {3}
    closed = Finding.objects.filter(shipment=shipment, kind="delayed", closed_at__isnull=False)
    assert list(closed.values_list("level", flat=True)) == [1]


def test_review_refuses_a_naive_now(db: None) -> None:
    result = runner.invoke(app, ["review", "--now", "2026-11-13T08:00:00"])
    assert result.exit_code == 2
    assert "no UTC offset" in result.output


def test_add_agent_gives_a_login_with_a_role(shop: Shop) -> None:
    result = runner.invoke(
        app,
        ["shop", "add-agent", "--shop", str(shop.id), "--username", "sanne", "--role", "owner"],
        input="a proper long passphrase\na proper long passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert Membership.objects.get(user__username="sanne").role == "owner"
    weak = runner.invoke(
        app,
        ["shop", "add-agent", "--shop", str(shop.id), "--username", "bob"],
        input="short\nshort\n",
    )
    assert weak.exit_code == 2 and "too short" in weak.output
