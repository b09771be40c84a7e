"""The `parcelcare` command: demo, serve, worker, migrate, import, review, shop, outbox; bench
lives in bench/cli.py."""

import json
import os
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from parcelcare import clock
from parcelcare.assistant.cli import assistant_app
from parcelcare.bench.cli import bench_app
from parcelcare.ledger.cli import shop_payout
from parcelcare.tracking.import_columns import help_text

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parcelcare.settings")

app = typer.Typer(help="parcelcare: post-purchase care for webshops.", no_args_is_help=True)
shop_app = typer.Typer(help="Manage shops.", no_args_is_help=True)
app.add_typer(shop_app, name="shop")
app.add_typer(bench_app, name="bench")
shop_app.command("payout")(shop_payout)
app.add_typer(assistant_app, name="assistant")

DEMO_DB = "parcelcare-demo.db"


def setup() -> None:
    """Configure Django once the environment is final."""
    import django

    django.setup()


def migrate_db(verbosity: int = 0) -> None:
    """Apply every migration to the configured database."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def parse_now(value: str | None) -> datetime:
    """--now as an aware UTC datetime; the real clock when absent."""
    if not value:
        return clock.now()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not an ISO 8601 timestamp") from None
    if moment.tzinfo is None:
        raise typer.BadParameter(f"{value!r} has no UTC offset (add Z or +01:00)")
    return moment.astimezone(UTC)


def fail(message: str) -> None:
    """Print a specific error and exit non-zero."""
    typer.secho(f"error: {message}", err=True, fg="red")
    raise typer.Exit(2)


def served_url(host: str, port: int) -> str:
    """The address a browser on this machine reaches `serve --host --port` at."""
    shown = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def follow_served_address(host: str, port: int) -> str:
    """Links in messages, API answers and dossiers follow the served address unless
    PARCELCARE_PUBLIC_URL says where customers reach this server; returns the public URL."""
    if not os.environ.get("PARCELCARE_PUBLIC_URL", "").strip():
        os.environ["PARCELCARE_PUBLIC_URL"] = served_url(host, port)
    return os.environ["PARCELCARE_PUBLIC_URL"].strip().rstrip("/")


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema."""
    setup()
    migrate_db(verbosity=1)


@shop_app.command("create")
def shop_create(
    name: Annotated[str, typer.Option(help="The shop's name.")],
    timezone: Annotated[str, typer.Option(help="IANA time zone.")] = "Europe/Amsterdam",
    country: Annotated[str, typer.Option(help="ISO country code (holidays).")] = "NL",
    language: Annotated[str, typer.Option(help="Default language: nl, de, en, fr.")] = "en",
) -> None:
    """Create a shop and print JSON with its id and a new API key."""
    setup()
    migrate_db()
    from parcelcare.accounts.services import create_shop

    try:
        shop, key = create_shop(name=name, timezone=timezone, country=country, language=language)
    except ValueError as error:
        fail(str(error))
        return
    typer.echo(json.dumps({"shop_id": shop.id, "name": shop.name, "api_key": key}))


@shop_app.command("connect")
def shop_connect(
    shop: Annotated[int, typer.Option(help="Shop id.")],
    source: Annotated[str, typer.Option(help="Webhook source, see `parcelcare carriers`.")],
    secret: Annotated[str, typer.Option(prompt=True, hide_input=True, help="Signing secret.")],
    verify_token: Annotated[str, typer.Option(help="WhatsApp: the webhook verify token.")] = "",
) -> None:
    """Set (or rotate) the signing secret of a webhook source; prints the webhook URL path."""
    setup()
    migrate_db()
    from parcelcare.accounts.models import Shop
    from parcelcare.accounts.services import connect_source
    from parcelcare.integrations.sources import REPORT_SOURCES, SOURCES

    known = {**SOURCES, **REPORT_SOURCES}  # payout webhooks use the payout account instead
    if source not in known:
        fail(f"unknown source {source!r}; one of: {', '.join(sorted(known))}")
    found = Shop.objects.filter(id=shop).first()
    if found is None:
        fail(f"no shop with id {shop}")
        return
    try:
        extra = {"verify_token": verify_token} if verify_token else {}
        connect_source(shop=found, source=source, secret=secret, settings=extra)
    except ValueError as error:
        fail(str(error))
    path = f"/webhooks/{'reports/' if source in REPORT_SOURCES else ''}{source}/{shop}"
    typer.echo(json.dumps({"shop_id": shop, "source": source, "webhook_path": path}))


@app.command()
def carriers(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON only.")] = False,
) -> None:
    """Every carrier and aggregator adapter with what it can do."""
    from .integrations.catalogue import adapters

    rows = adapters()
    if as_json:
        typer.echo(json.dumps(rows))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="carrier and aggregator adapters")
    for column in ("slug", "name", "codes", "parser", "webhook", "detection"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            row["slug"],
            row["name"],
            str(row["codes"]),
            *("yes" if row[k] else "-" for k in ("parser", "webhook", "detection")),
        )
    Console().print(table)


@shop_app.command("add-agent")
def shop_add_agent(
    shop: Annotated[int, typer.Option(help="Shop id.")],
    username: Annotated[str, typer.Option(help="Login name.")],
    role: Annotated[str, typer.Option(help="owner, agent or viewer.")] = "agent",
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)
    ] = "",
) -> None:
    """Give a person a login for the shop's agent pages."""
    setup()
    migrate_db()
    from parcelcare.accounts.services import add_agent

    try:
        add_agent(shop_id=shop, username=username, role=role, password=password)
    except ValueError as error:
        fail(str(error))
    typer.echo(json.dumps({"shop_id": shop, "username": username, "role": role}))


outbox_app = typer.Typer(help="The message outbox.", no_args_is_help=True)
app.add_typer(outbox_app, name="outbox")


@outbox_app.command("send")
def outbox_send(
    now: Annotated[str | None, typer.Option(help="Pretend it is this moment (ISO 8601).")] = None,
) -> None:
    """Send every outbox message that is due, then exit (workers do this every minute)."""
    setup()
    from parcelcare.messaging.channels import configured
    from parcelcare.messaging.sender import send_due

    counts = send_due(configured(), parse_now(now))
    typer.echo(json.dumps({str(k): v for k, v in counts.items()}))


class ImportKind(StrEnum):
    """What a file holds."""

    orders = "orders"
    events = "events"


@app.command("import", epilog=help_text())
def import_file(
    kind: Annotated[ImportKind, typer.Argument(help="orders or events")],
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    shop: Annotated[int, typer.Option(help="Shop id (see `shop create`).")],
) -> None:
    """Import a CSV or JSON Lines (.jsonl) file; bad lines are reported by number, the rest kept."""
    setup()
    from parcelcare.tracking.imports import import_events, import_orders

    from .progress import progress_bar

    runner = import_orders if kind is ImportKind.orders else import_events
    with progress_bar(f"importing {kind.value}") as advance:
        try:
            report = runner(shop_id=shop, path=file, now=clock.now(), advance=advance)
        except ValueError as error:
            fail(str(error))
            return
    for line, problem in report.errors:
        typer.secho(f"{file.name}:{line}: {problem}", err=True, fg="yellow")
    typer.echo(json.dumps(report.summary()))
    if report.errors:
        raise typer.Exit(1)


@app.command()
def review(
    now: Annotated[str | None, typer.Option(help="Pretend it is this moment (ISO 8601).")] = None,
) -> None:
    """Run one review pass over the shipments that are due."""
    setup()
    from parcelcare.tracking.review import review_due

    report = review_due(parse_now(now))
    typer.echo(json.dumps(report.__dict__))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    embedded_worker: Annotated[bool, typer.Option(help="Run background tasks in-process.")] = True,
) -> None:
    """Serve the API and agent pages (granian), with the background worker in-process."""
    follow_served_address(host, port)
    setup()
    migrate_db()
    from .server import run_server

    run_server(host=host, port=port, embedded_worker=embedded_worker)


@app.command()
def worker(
    workers: Annotated[int, typer.Option(help="Worker threads.")] = 2,
) -> None:
    """Run background tasks and schedules (scaled-out deployments)."""
    setup()
    from .server import run_worker

    run_worker(workers=workers)


@app.command()
def demo(
    orders: Annotated[int, typer.Option(help="How many orders to simulate.")] = 2000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 7,
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve afterwards.")
    ] = True,
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
) -> None:
    """Seed a realistic demo shop on a fresh SQLite file, review it, then serve it."""
    if "PARCELCARE_DATABASE_URL" not in os.environ:
        for suffix in ("", "-wal", "-shm"):
            Path(DEMO_DB + suffix).unlink(missing_ok=True)
        os.environ["PARCELCARE_DATABASE_URL"] = f"sqlite:///{DEMO_DB}"
    url = follow_served_address(host, port) if serve_after else served_url(host, port)
    setup()
    migrate_db()
    from .demo.seed import seed_demo

    summary = seed_demo(orders=orders, seed=seed, now=clock.now())
    summary["url"] = url
    print_demo_summary(summary)
    if serve_after:
        from .server import run_server

        run_server(host=host, port=port, embedded_worker=True)


def _counts(summary: dict[str, Any], key: str) -> str:
    """One line of a summary's counts: "name count, name count"."""
    return ", ".join(f"{name} {count}" for name, count in summary.get(key, {}).items())


def print_demo_summary(summary: dict[str, Any]) -> None:
    """Show what the demo shop looks like now."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=f"{summary['shop']}: open problems")
    table.add_column("finding")
    table.add_column("shipments", justify="right")
    for kind, count in summary["findings"].items():
        table.add_row(kind, str(count))
    console.print(table)
    console.print(
        f"orders: {summary['orders']}  events: {summary['events']}  "
        f"delivered: {summary.get('delivered', 0)}  "
        f"shipments without a problem: {summary['on_time']}"
    )
    console.print(f"carrier events received through: {_counts(summary, 'feeds')}")
    console.print(f"cases by playbook: {_counts(summary, 'cases')}")
    if returns := _counts(summary, "returns"):
        console.print(f"returns by status: {returns}")
    if messages := _counts(summary, "customer_messages"):
        console.print(f"customer messages by outcome: {messages}")
    console.print(f"API key: [bold]{summary['api_key']}[/bold]")
    console.print(f"agent login: [bold]{summary['login']}[/bold]")
    console.print(f"open [bold]{summary['url']}[/bold]")


@app.callback()
def main() -> None:
    """parcelcare: post-purchase care for webshops."""
