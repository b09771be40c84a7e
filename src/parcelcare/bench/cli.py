"""`parcelcare bench …`: each benchmark on a throwaway database unless one is given; JSON out."""

import json
import os
from typing import Annotated, Any

import typer

bench_app = typer.Typer(help="Benchmarks; print JSON.", no_args_is_help=True)


def _bench_database(url: str | None) -> None:
    """Benchmarks run on a throwaway SQLite file unless a database URL is given."""
    import tempfile

    if url:
        os.environ["PARCELCARE_DATABASE_URL"] = url
    elif "PARCELCARE_DATABASE_URL" not in os.environ:
        folder = tempfile.mkdtemp(prefix="parcelcare-bench-")
        os.environ["PARCELCARE_DATABASE_URL"] = f"sqlite:///{folder}/bench.db"
        os.environ["PARCELCARE_HUEY_PATH"] = f"{folder}/tasks.db"
    from parcelcare.cli import migrate_db, setup

    setup()
    migrate_db()


@bench_app.command("ingest")
def bench_ingest(
    events: Annotated[int, typer.Option(help="How many events to ingest.")] = 100_000,
    backfill: Annotated[
        bool, typer.Option(help="Whole journeys per batch (an import) instead of a live stream.")
    ] = False,
    database_url: Annotated[str | None, typer.Option(help="Database to measure.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON only.")] = False,
) -> None:
    """End-to-end ingest events/s against a raw bulk insert in the same run."""
    _bench_database(database_url)
    from .ingest import run

    _print_bench(run(events=events, live=not backfill), as_json)


@bench_app.command("review")
def bench_review(
    shipments: Annotated[int, typer.Option(help="How many shipments exist.")] = 100_000,
    due_fraction: Annotated[float, typer.Option(help="Share that is due, 0..1.")] = 0.01,
    database_url: Annotated[str | None, typer.Option(help="Database to measure.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON only.")] = False,
) -> None:
    """One review pass over N shipments with a fraction due."""
    if not 0 <= due_fraction <= 1:
        from parcelcare.cli import fail

        fail("--due-fraction must be between 0 and 1")
    _bench_database(database_url)
    from .review import run

    _print_bench(run(shipments=shipments, due_fraction=due_fraction), as_json)


@bench_app.command("webhook")
def bench_webhook(
    requests: Annotated[int, typer.Option(help="How many signed deliveries to post.")] = 2000,
    database_url: Annotated[str | None, typer.Option(help="Database to measure.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON only.")] = False,
) -> None:
    """Webhook endpoint requests/s (verify, store, enqueue) against a constant answer."""
    _bench_database(database_url)
    from .webhook import run

    _print_bench(run(requests=requests), as_json)


@bench_app.command("notify")
def bench_notify(
    parcels: Annotated[int, typer.Option(help="Late parcels whose event queues a message.")] = 2000,
    batch: Annotated[int, typer.Option(help="Events per ingest call.")] = 500,
    database_url: Annotated[str | None, typer.Option(help="Database to measure.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON only.")] = False,
) -> None:
    """Event-to-outbox latency (p50, p99) while ingesting, and e-mails/s into a local sink."""
    _bench_database(database_url)
    from .notify import run

    _print_bench(run(parcels=parcels, batch=batch), as_json)


@bench_app.command("cases")
def bench_cases(
    orders: Annotated[int, typer.Option(help="Orders to open a case on.")] = 1000,
    dossiers: Annotated[int, typer.Option(help="Dossiers to build as JSON and PDF.")] = 50,
    database_url: Annotated[str | None, typer.Option(help="Database to measure.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON only.")] = False,
) -> None:
    """Cases opened/s, acknowledgement latency (p50, p99), steps/s and dossier times."""
    _bench_database(database_url)
    from .cases import run

    _print_bench(run(orders=orders, dossiers=dossiers), as_json)


@bench_app.command("returns")
def bench_returns(
    orders: Annotated[
        int, typer.Option(help="Delivered orders: one return and refund each.")
    ] = 500,
    database_url: Annotated[str | None, typer.Option(help="Database to measure.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON only.")] = False,
) -> None:
    """Portal submission latency (p50, p99) and refunds paid/s against a mocked provider."""
    _bench_database(database_url)
    from .returns import run

    _print_bench(run(orders=orders), as_json)


@bench_app.command("parse")
def bench_parse(
    repeat: Annotated[int, typer.Option(help="How often each fixture is parsed.")] = 200,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON only.")] = False,
) -> None:
    """Events/s per carrier parser on its fixtures, against bare JSON/XML decoding."""
    from .parse import run

    _print_bench(run(repeat=repeat), as_json)


@bench_app.command("assistant")
def bench_assistant(
    messages: Annotated[int, typer.Option(help="Customer messages to store and answer.")] = 400,
    repeat: Annotated[int, typer.Option(help="Passes over the held-out set for timing.")] = 5,
    database_url: Annotated[str | None, typer.Option(help="Database to measure.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON only.")] = False,
) -> None:
    """Classify p50/p99, held-out quality, inbound message to queued reply p50/p99."""
    _bench_database(database_url)
    from .assistant import run

    _print_bench(run(messages=messages, repeat=repeat), as_json)


def _print_bench(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(result))
        return
    from rich.console import Console

    Console().print_json(json.dumps(result))
