"""`parcelcare serve` as a real process: it answers every time it starts, stops on SIGTERM or
SIGINT with its worker process, runs the embedded background worker, and its links carry the
port it serves on."""

import contextlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from aiosmtpd.controller import Controller

from parcelcare.cli import follow_served_address, served_url

STARTS = 30
ANSWER_SECONDS = 5.0
STOP_SECONDS = 10.0
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))
"""Straight to the server, whatever proxy the environment names."""

SEED = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from parcelcare import clock
from parcelcare.accounts.services import create_shop
from parcelcare.messaging.models import OutboxMessage
from parcelcare.tracking.models import Shipment
from parcelcare.tracking.orders import upsert_orders
from parcelcare.tracking.schemas import OrderIn

now = clock.now()
shop, _ = create_shop(name="Serve Shop", timezone="Europe/Amsterdam", country="NL", language="en")
order = {
    "order_number": "5001",
    "placed_at": "2026-11-10T10:00:00+01:00",
    "currency": "EUR",
    "customer": {"email": "anna@example.com", "name": "Anna Jansen", "language": "en"},
    "shipping_address": {
        "name": "Anna Jansen", "line1": "Lindenlaan 12", "postcode": "3511 AB",
        "city": "Utrecht", "country": "NL",
    },
    "lines": [{"sku": "POT-30", "name": "Pot", "quantity": 1, "unit_price": 1495,
               "currency": "EUR"}],
    "shipments": [{"carrier": "postnl", "tracking_number": "3SSERVE5001",
                   "shipped_at": "2026-11-10T16:00:00+01:00",
                   "promised_delivery_date": "2026-11-12"}],
}
upsert_orders(shop_id=shop.id, default_language="en", batch=[OrderIn.model_validate(order)],
              now=now)
shipment = Shipment.objects.get(shop=shop, tracking_number="3SSERVE5001")
OutboxMessage.objects.create(
    shop=shop, shipment=shipment, kind="delayed_1", channel="email", audience="customer",
    idempotency_key="serve-test-1", language="en",
    payload={"level": 1, "promised_date": "2026-11-12"}, send_at=now, created_at=now,
)
"""
"""A shop with one late parcel that nobody has reviewed yet and one e-mail due to go out."""

TRACES = """
import django, json
django.setup()
from parcelcare.messaging.models import OutboxMessage
from parcelcare.tracking.models import Finding
print(json.dumps({
    "sent": list(OutboxMessage.objects.filter(idempotency_key="serve-test-1")
                 .values_list("status", flat=True)),
    "findings": Finding.objects.count(),
}))
"""


class Inbox:
    """The SMTP server's mailbox: every message's raw text."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(envelope.content.decode(errors="replace"))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def base_env(database_url: str, tmp: Path) -> dict[str, str]:
    """The environment of a process the tests start; no public URL, so links follow the port."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARCELCARE_")}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "parcelcare.settings",
        "PARCELCARE_NOW": os.environ["PARCELCARE_NOW"],
        "PARCELCARE_DATABASE_URL": database_url,
        "PARCELCARE_HUEY_PATH": str(tmp / "tasks.db"),
        "PARCELCARE_LOG_LEVEL": "WARNING",
    }


def run_script(env: dict[str, str], script: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def seeded_database(tmp: Path, template: Path) -> str:
    """A fresh seeded database of the kind the suite runs on: a copy of the SQLite template, or
    a new PostgreSQL database."""
    url = os.environ.get("PARCELCARE_DATABASE_URL", "")
    if not url.startswith("postgres"):
        fresh_copy(template, tmp / "serve.db")
        return f"sqlite:///{tmp / 'serve.db'}"
    import psycopg

    name = f"parcelcare_serve_{os.getpid()}"
    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        db.execute(f"CREATE DATABASE {name}")
    database = urlunsplit(parts._replace(path=f"/{name}"))
    run_script(base_env(database, tmp), SEED)
    return database


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, seeded SQLite file each start gets a fresh copy of."""
    tmp = tmp_path_factory.mktemp("template")
    path = tmp / "template.db"
    run_script(base_env(f"sqlite:///{path}", tmp), SEED)
    return path


def fresh_copy(template: Path, target: Path) -> None:
    """A consistent copy of the template (its WAL included) as a new file."""
    source, copy = sqlite3.connect(template), sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()


class Servers:
    """Starts `parcelcare serve` processes, each in its own process group, and kills every
    group that is still there when the test ends, whatever happened."""

    def __init__(self) -> None:
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
        with log.open("wb") as output:
            server = subprocess.Popen(
                [sys.executable, "-m", "parcelcare", "serve", "--port", str(port)],
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started.append(server)
        return server

    def kill_all(self) -> None:
        for server in self.started:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@pytest.fixture
def servers() -> Iterator[Servers]:
    started = Servers()
    yield started
    started.kill_all()


def answers(port: int, within: float, server: subprocess.Popen[bytes], log: Path) -> float:
    """Seconds until the login page answers 200; fails after `within` seconds."""
    started = time.monotonic()
    while (spent := time.monotonic() - started) < within:
        if server.poll() is not None:
            raise AssertionError(f"serve exited with {server.returncode}: {tail(log)}")
        try:
            with DIRECT.open(f"http://127.0.0.1:{port}/login/", timeout=1) as answer:
                assert answer.status == 200
                return spent
        except OSError:
            time.sleep(0.05)
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    raise AssertionError(f"no answer within {within} s (load {load}): {tail(log)}")


def tail(log: Path) -> str:
    return log.read_text(errors="replace")[-2000:]


def children(pid: int) -> list[int]:
    """The process ids whose parent is `pid`."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    """True while `pid` runs (a zombie waiting to be reaped counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class Stop:
    """Started right after a signal: notes when serve and its children are all gone."""

    def __init__(self, server: subprocess.Popen[bytes], kids: list[int]) -> None:
        self.server, self.kids, self.since = server, kids, time.monotonic()
        self.took: float | None = None
        self.watcher = threading.Thread(target=self._watch)
        self.watcher.start()

    def _watch(self) -> None:
        while (spent := time.monotonic() - self.since) < STOP_SECONDS:
            if self.server.poll() is not None and not any(alive(kid) for kid in self.kids):
                self.took = spent
                return
            time.sleep(0.02)

    def seconds(self) -> float:
        """Seconds from the signal until everything was gone; fails past 10 s."""
        self.watcher.join()
        if self.took is None:
            left = "serve" if self.server.poll() is None else "its web worker"
            raise AssertionError(f"{left} still ran 10 s after the signal")
        assert self.server.returncode == 0, f"serve exited with {self.server.returncode}"
        return self.took


@pytest.mark.skipif(
    os.environ.get("PARCELCARE_DATABASE_URL", "").startswith("postgres"),
    reason="starts on SQLite files whatever the suite runs on; the SQLite run covers it",
)
def test_serve_answers_on_every_start_and_stops_on_sigterm(
    template: Path, tmp_path: Path, servers: Servers
) -> None:
    previous: Stop | None = None
    slowest_answer = slowest_stop = 0.0
    for run in range(STARTS):
        folder = tmp_path / str(run)
        folder.mkdir()
        fresh_copy(template, folder / "serve.db")
        port, log = free_port(), folder / "serve.log"
        server = servers.start(base_env(f"sqlite:///{folder / 'serve.db'}", folder), port, log)
        slowest_answer = max(slowest_answer, answers(port, ANSWER_SECONDS, server, log))
        kids = children(server.pid)
        assert kids, "serve runs its web worker in a child process"
        if previous is not None:
            slowest_stop = max(slowest_stop, previous.seconds())
        server.send_signal(signal.SIGTERM)
        # The next start overlaps this stop, which is timed from its own signal all the same.
        previous = Stop(server, kids)
    assert previous is not None
    slowest_stop = max(slowest_stop, previous.seconds())
    print(f"{STARTS} starts: slowest answer {slowest_answer:.2f} s, stop {slowest_stop:.2f} s")


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def test_the_embedded_worker_reviews_and_sends_with_the_served_port(
    template: Path, tmp_path: Path, smtp: tuple[Inbox, int], servers: Servers
) -> None:
    inbox, smtp_port = smtp
    env = base_env(seeded_database(tmp_path, template), tmp_path)
    env["PARCELCARE_SMTP_URL"] = f"smtp+plain://127.0.0.1:{smtp_port}"
    env["PARCELCARE_MAIL_FROM"] = "shop@example.com"
    port, log = free_port(), tmp_path / "serve.log"
    server = servers.start(env, port, log)
    answers(port, 30, server, log)
    kids = children(server.pid)
    deadline = time.monotonic() + 30
    while not inbox.messages and time.monotonic() < deadline:
        time.sleep(0.1)
    server.send_signal(signal.SIGINT)
    Stop(server, kids).seconds()
    assert inbox.messages, "the embedded worker sent nothing"
    for mail in inbox.messages:
        assert f"http://127.0.0.1:{port}/t/" in mail
        assert "127.0.0.1:8000" not in mail
    traces = json.loads(run_script(env, TRACES))
    assert traces["sent"] == ["sent"]
    assert traces["findings"] > 0, "the periodic review did not run"


def test_links_follow_the_served_address_unless_a_public_url_is_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PARCELCARE_PUBLIC_URL", raising=False)
    assert follow_served_address("127.0.0.1", 8123) == "http://127.0.0.1:8123"
    assert os.environ["PARCELCARE_PUBLIC_URL"] == "http://127.0.0.1:8123"
    monkeypatch.setenv("PARCELCARE_PUBLIC_URL", "https://track.example.com/")
    assert follow_served_address("0.0.0.0", 8123) == "https://track.example.com"
    assert served_url("0.0.0.0", 80) == "http://127.0.0.1:80"
    assert served_url("::", 8080) == "http://[::1]:8080"
    assert served_url("fe80::1", 8080) == "http://[fe80::1]:8080"
