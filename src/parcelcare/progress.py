"""A rich progress bar for long command-line work."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

Advance = Callable[[int, int | None], None]


@contextmanager
def progress_bar(label: str, console: Console | None = None) -> Iterator[Advance]:
    """Yield advance(done, total): moves the bar by `done` and sets the total when known; when
    the work ends without an error the bar ends full, at the number of items done."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    done = 0
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task(label, total=None)

        def advance(step: int, total: int | None = None) -> None:
            nonlocal done
            done += step
            if total is not None:
                progress.update(task, total=total)
            progress.advance(task, step)

        yield advance
        # A total counted up front is an estimate (a CSV header, blank or unreadable lines are
        # in it, or it was never known): the finished bar shows what was actually done.
        progress.update(task, total=done, completed=done)
