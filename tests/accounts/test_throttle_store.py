"""Rate limits counted in the database: shared by processes, kept over restarts, pruned."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection

from conftest import NOW
from parcelcare.accounts.models import ThrottleWindow
from parcelcare.accounts.throttle import RateLimit

SRC = Path(__file__).resolve().parents[2] / "src"
LIMIT = RateLimit("test-shared", limit=7, window=600)

COUNTER = """
import sys
import django
django.setup()
from django.db import connection
from parcelcare import clock
from parcelcare.accounts.models import ThrottleWindow
from parcelcare.accounts.throttle import RateLimit
if ThrottleWindow._meta.db_table not in connection.introspection.table_names():
    with connection.schema_editor() as editor:
        editor.create_model(ThrottleWindow)
limit = RateLimit("test-shared", limit=7, window=600)
for _ in range(int(sys.argv[1])):
    verdict = limit.hit("198.51.100.4", clock.now())
print(verdict.count, verdict.allowed)
"""


def database_url(tmp_path: Path) -> str:
    """The test database as other processes reach it; a file when the tests use SQLite memory."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        return f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    return f"sqlite:///{tmp_path / 'shared.db'}"


def counter(url: str, hits: int) -> subprocess.Popen[str]:
    """A separate process that counts `hits` attempts for the same key."""
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "DJANGO_SETTINGS_MODULE": "parcelcare.settings",
        "PARCELCARE_DATABASE_URL": url,
    }
    return subprocess.Popen(
        [sys.executable, "-c", COUNTER, str(hits)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finished(process: subprocess.Popen[str]) -> str:
    """The process's last line once it ended well."""
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    return out.strip().splitlines()[-1]


def test_processes_and_restarts_share_the_count(transactional_db: None, tmp_path: Path) -> None:
    url = database_url(tmp_path)
    assert finished(counter(url, 3)) == "3 True"
    # Two processes at once, then one started afresh: one count for all of them.
    first, second = counter(url, 2), counter(url, 2)
    assert {finished(first), finished(second)} <= {"5 True", "6 True", "7 True"}
    assert finished(counter(url, 1)) == "8 False"


def test_count_refuses_past_the_limit_and_restarts_with_the_window(db: None) -> None:
    verdicts = [LIMIT.hit("a", NOW) for _ in range(8)]
    assert [v.count for v in verdicts] == list(range(1, 9))
    assert [v.allowed for v in verdicts] == [True] * 7 + [False]
    assert LIMIT.hit("b", NOW).count == 1  # another key counts on its own
    assert LIMIT.peek("a", NOW).allowed is False
    later = NOW + timedelta(seconds=600)
    assert LIMIT.peek("a", later).count == 0
    assert LIMIT.hit("a", later).allowed is True


def test_peek_and_reset(db: None) -> None:
    for _ in range(6):
        LIMIT.hit("c", NOW)
    assert (LIMIT.peek("c", NOW).count, LIMIT.peek("c", NOW).allowed) == (6, True)
    assert LIMIT.peek("c", NOW).count == 6  # peeking counts nothing
    LIMIT.reset("c", NOW)
    assert LIMIT.peek("c", NOW).count == 0


def test_old_windows_are_pruned_and_keys_stored_hashed(db: None) -> None:
    for minutes in (0, 10, 20, 30):
        LIMIT.hit("203.0.113.9", NOW + timedelta(minutes=minutes))
    rows = list(ThrottleWindow.objects.filter(name="test-shared"))
    assert len(rows) == 1  # each new window pruned the ones that had ended
    assert "203.0.113.9" not in rows[0].digest and len(rows[0].digest) == 32


@pytest.mark.parametrize("window", [60, 600])
def test_retry_after_counts_down_to_the_window_end(db: None, window: int) -> None:
    limit = RateLimit("test-retry", limit=1, window=window)
    start = NOW  # 12:00 sharp starts a window of either length
    assert limit.hit("k", start).retry_after == window
    assert limit.hit("k", start + timedelta(seconds=59)).retry_after == window - 59


def test_release_takes_one_attempt_off(db: None) -> None:
    for _ in range(3):
        LIMIT.hit("d", NOW)
    LIMIT.release("d", NOW)
    assert LIMIT.peek("d", NOW).count == 2
    LIMIT.release("e", NOW)  # nothing counted: nothing to take off
    assert LIMIT.peek("e", NOW).count == 0
