"""The clock: pinned in tests, pinned for processes by PARCELCARE_NOW, and the wall clock moved
ahead when the suite runs once more PARCELCARE_TEST_DAYS_AHEAD days on."""

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from conftest import NOW
from parcelcare import clock


def test_every_test_starts_at_the_pinned_moment_and_time_runs_on() -> None:
    first = clock.now()
    assert NOW <= first < NOW + timedelta(minutes=5)
    assert clock.now() >= first
    clock.pin(datetime(2030, 1, 1, tzinfo=UTC))
    assert clock.now().year == 2030


def process_now(value: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PARCELCARE_NOW": value}
    script = "from parcelcare import clock; print(clock.now().isoformat())"
    return subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )


def test_a_process_starts_its_clock_at_parcelcare_now() -> None:
    answer = process_now("2027-03-01T09:30:00+01:00")
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.startswith("2027-03-01T08:30:")


@pytest.mark.parametrize("value", ["tomorrow", "2027-03-01T09:30:00"])
def test_a_bad_parcelcare_now_stops_the_process_with_a_reason(value: str) -> None:
    answer = process_now(value)
    assert answer.returncode != 0 and "PARCELCARE_NOW" in answer.stderr


@pytest.mark.skipif(
    not os.environ.get("PARCELCARE_TEST_DAYS_AHEAD"), reason="only in the clock-ahead pass"
)
def test_the_wall_clock_really_runs_ahead_in_the_clock_ahead_pass() -> None:
    days = int(os.environ["PARCELCARE_TEST_DAYS_AHEAD"])
    assert datetime.now(UTC) > datetime(2026, 12, 6, tzinfo=UTC) + timedelta(days=days - 1)
