"""A rich progress bar for long command-line work."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

Advance = Callable[[int, int | None], None]


@contextmanager
def progress_bar(label: str) -> Iterator[Advance]:
    """Yield advance(done, total): moves the bar by `done` and sets the total when known."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, transient=False) as progress:
        task = progress.add_task(label, total=None)

        def advance(done: int, total: int | None = None) -> None:
            if total is not None:
                progress.update(task, total=total)
            progress.advance(task, done)

        yield advance
