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
