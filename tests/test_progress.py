"""Progress bars end full when the work ends, whatever total was guessed up front."""

import io
import re
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from conftest import ApiShop, order_payload
from parcelcare.cli import app
from parcelcare.progress import progress_bar


def finished(steps: list[tuple[int, int | None]], fail: bool = False) -> str:
    """The last line a bar prints after the given advance(done, total) calls."""
    out = io.StringIO()
    try:
        with progress_bar("work", console=Console(file=out, width=80)) as advance:
            for done, total in steps:
                advance(done, total)
            if fail:
                raise RuntimeError("stopped half-way")
    except RuntimeError:
        pass
    return out.getvalue().strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("steps", "shown"),
    [
        ([(0, 6), (5, None)], "5/5"),  # a CSV: the header line was counted in the total
        ([(0, 7), (3, None), (2, None)], "5/5"),  # blank and unreadable lines counted too
        ([(3, None), (3, None)], "6/6"),  # orders: no total known up front
        ([(0, 2), (2, None), (2, None)], "4/4"),  # more done than guessed
        ([(0, 4), (4, None)], "4/4"),  # a guess that was right
    ],
)
def test_a_finished_bar_ends_at_its_total(steps: list[tuple[int, int | None]], shown: str) -> None:
    line = finished(steps)
    assert re.search(rf"━+ {shown} ", line), line
    assert "╸" not in line and "╺" not in line, f"the bar is not full: {line}"


def test_a_bar_stopped_by_an_error_shows_where_it_stopped() -> None:
    assert " 2/6 " in finished([(0, 6), (2, None)], fail=True)


def test_the_import_command_ends_its_bar_full(api_shop: ApiShop, tmp_path: Path) -> None:
    assert api_shop.post("orders", order_payload("8101", "3S8101NL")).status_code in (200, 201)
    path = tmp_path / "events.csv"
    rows = [
        f"postnl,3S8101NL,2026-11-1{day}T09:00:00+01:00,X{day},in_transit" for day in range(3, 8)
    ]
    path.write_text("carrier,tracking_number,occurred_at,code,status\n" + "\n".join(rows) + "\n")
    result = CliRunner().invoke(
        app, ["import", "events", str(path), "--shop", str(api_shop.shop.id)]
    )
    assert result.exit_code == 0, result.output
    assert re.search(r"importing events ━+ 5/5 ", result.output), result.output
