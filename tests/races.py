"""Race machinery for tests: threads released together, and a rerun on a SQLite file.

The default SQLite test database lives in shared-cache memory, where a writer that finds the
database busy fails at once instead of waiting (SQLITE_LOCKED ignores busy_timeout). Real
deployments use a file, so on SQLite a race module runs again in a child pytest on a file.
"""

import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from parcelcare.domain.errors import DomainError

ROOT = Path(__file__).resolve().parents[1]


def shared_memory_sqlite() -> bool:
    """Whether the tests run on the in-memory SQLite database (writers cannot wait there)."""
    database = settings.DATABASES["default"]
    return database["ENGINE"].endswith("sqlite3") and not database["TEST"].get("NAME")


needs_waiting_writers = pytest.mark.skipif(
    shared_memory_sqlite(), reason="in-memory SQLite cannot queue writers; see the last test"
)
on_sqlite_file_only = pytest.mark.skipif(
    not shared_memory_sqlite(), reason="the races above ran on this database"
)


def race(calls: list[Callable[[], object]], refused: type[Exception] = DomainError) -> Counter[str]:
    """Run the calls in threads released together; count "ok", "refused" or the error."""
    start = threading.Barrier(len(calls))
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def run(call: Callable[[], object]) -> None:
        start.wait()
        try:
            call()
            outcome = "ok"
        except refused:
            outcome = "refused"
        except Exception as error:  # any other ending fails the test's assertion
            outcome = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def rerun_on_sqlite_file(test_file: str, tmp_path: Path, expected: str) -> None:
    """Run a test module in a child pytest on a SQLite file; its summary must say `expected`."""
    env = {**os.environ, "PARCELCARE_TEST_SQLITE_PATH": str(tmp_path / "race.db")}
    child = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            test_file,
            "-o",
            "addopts=",
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert child.returncode == 0, child.stdout[-4000:] + child.stderr[-2000:]
    assert expected in child.stdout
