"""`parcelcare assistant classify|eval`: read customer messages, print JSON."""

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from .evaluate import Labelled

assistant_app = typer.Typer(help="Understand customer messages.", no_args_is_help=True)


@assistant_app.command("classify")
def classify(
    language: Annotated[str, typer.Option(help="Language when a message's is unclear.")] = "en",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON Lines.")] = True,
) -> None:
    """Read JSON Lines {"text": ...} on stdin; print language, intent, confidence, order number."""
    from .classifier import classifier

    model = classifier()
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            text = item["text"]
            if not isinstance(text, str):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            typer.secho(f'error: line {number}: expected {{"text": "..."}}', err=True, fg="red")
            raise typer.Exit(2) from None
        answer = model.understand(text, fallback_language=language).as_json()
        typer.echo(json.dumps(answer, ensure_ascii=False) if as_json else str(answer))


@assistant_app.command("eval")
def evaluate_file(
    file: Annotated[
        Path | None,
        typer.Argument(help='JSON Lines {"text", "language", "intent"}; the held-out set if none.'),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON only.")] = False,
) -> None:
    """Accuracy per language and intent, auto-send precision and coverage."""
    from .classifier import classifier
    from .dataset import held_out
    from .evaluate import Labelled, evaluate

    if file is None:
        messages = [Labelled(e.text, e.language, e.intent) for e in held_out()]
    else:
        messages = list(_read(file))
    result = evaluate(classifier(), messages)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    from rich.console import Console

    Console().print_json(json.dumps(result, ensure_ascii=False))


def _read(file: Path) -> list["Labelled"]:
    from .evaluate import Labelled

    if not file.is_file():
        typer.secho(f"error: {file} does not exist", err=True, fg="red")
        raise typer.Exit(2)
    found = []
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            found.append(Labelled(str(item["text"]), str(item["language"]), str(item["intent"])))
        except (ValueError, KeyError, TypeError):
            typer.secho(
                f"error: {file.name} line {number}: expected text, language and intent",
                err=True,
                fg="red",
            )
            raise typer.Exit(2) from None
    return found


mailbox_app = typer.Typer(help="IMAP mailboxes polled for customer e-mail.", no_args_is_help=True)
assistant_app.add_typer(mailbox_app, name="mailbox")


@mailbox_app.command("add")
def mailbox_add(
    shop: Annotated[int, typer.Option(help="The shop's id.")],
    host: Annotated[str, typer.Option(help="IMAP server host name.")],
    user: Annotated[str, typer.Option(help="Login name.")],
    password: Annotated[str, typer.Option(help="Password.", prompt=True, hide_input=True)],
    port: Annotated[int, typer.Option(help="Port.")] = 993,
    security: Annotated[str, typer.Option(help="ssl, starttls or plain.")] = "ssl",
    folder: Annotated[str, typer.Option(help="Folder to read.")] = "INBOX",
) -> None:
    """Poll a mailbox for customer e-mail (every minute under `serve` or `worker`)."""
    from parcelcare.cli import fail, setup

    if security not in ("ssl", "starttls", "plain"):
        fail("--security must be ssl, starttls or plain")
    setup()
    from parcelcare.accounts.models import Shop

    from .models import Mailbox

    if not Shop.objects.filter(pk=shop).exists():
        fail(f"no shop {shop}")
    box, created = Mailbox.objects.update_or_create(
        shop_id=shop,
        host=host,
        username=user,
        folder=folder,
        defaults={"port": port, "security": security, "password": password},
    )
    typer.echo(json.dumps({"mailbox": box.pk, "created": created}))


@mailbox_app.command("poll")
def mailbox_poll() -> None:
    """Poll every mailbox once now and answer what came in; prints counts."""
    from parcelcare import clock
    from parcelcare.cli import setup

    setup()
    from .inbox import process_due
    from .mailboxes import poll_all
    from .respond import handle

    counts = poll_all(clock.now())
    counts["answered"] = sum(process_due(handle, clock.now()).values())
    typer.echo(json.dumps(counts))
