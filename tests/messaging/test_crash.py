"""Workers killed with SIGKILL in the middle of sending: every message still goes out at least
once, and duplicates never outnumber the kills. Real processes, a real SMTP server."""

import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from aiosmtpd.controller import Controller

SEND_AT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
"""After every quiet period of the seeded messages; each run's clock moves a minute on, so
the leases of a killed run have expired for the next one."""
KILLS = 4


class SlowInbox:
    """Counts Message-IDs; a short pause per mail so a kill lands in the middle of a run."""

    def __init__(self) -> None:
        self.ids: Counter[str] = Counter()

    async def handle_DATA(self, server, session, envelope):
        time.sleep(0.01)
        for line in envelope.content.decode(errors="replace").splitlines():
            if line.lower().startswith("message-id:"):
                self.ids[line.split(":", 1)[1].strip()] += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def database_url(tmp_path: Path) -> str:
    """A fresh database of the kind the suite runs on: a SQLite file, or a new PostgreSQL db."""
    url = os.environ.get("PARCELCARE_DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp_path / 'crash.db'}"
    import psycopg

    name = f"parcelcare_crash_{os.getpid()}"
    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {name}")
        db.execute(f"CREATE DATABASE {name}")
    return urlunsplit(parts._replace(path=f"/{name}"))


def parcelcare(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "parcelcare", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def rows(env: dict[str, str]) -> list[dict[str, str]]:
    script = (
        "import django, json; django.setup(); "
        "from parcelcare.messaging.models import OutboxMessage as M; "
        "print(json.dumps(list(M.objects.exclude(channel='')"
        ".values('id', 'status', 'provider_message_id', 'withdrawn_reason'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, check=True, capture_output=True
    ).stdout
    return json.loads(out)


def test_killed_workers_lose_no_message(tmp_path: Path) -> None:
    inbox, port = SlowInbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "parcelcare.settings",
        "PARCELCARE_DATABASE_URL": database_url(tmp_path),
        "PARCELCARE_HUEY_PATH": str(tmp_path / "tasks.db"),
        "PARCELCARE_SMTP_URL": f"smtp+plain://127.0.0.1:{port}",
        "PARCELCARE_MAIL_FROM": "shop@example.com",
        "PARCELCARE_OUTBOX_LEASE_SECONDS": "1",
    }
    try:
        seed = parcelcare(env, "demo", "--no-serve", "--orders", "400", "--seed", "11")
        assert seed.wait(timeout=300) == 0, seed.stderr.read() if seed.stderr else ""
        # The demo writes the messages of its past return steps as sent at the time; the rest
        # is what the killed workers must send.
        planned = {row["id"] for row in rows(env) if row["status"] not in ("withdrawn", "sent")}
        assert len(planned) > 50
        rng = random.Random(5)
        kills = 0
        for run in range(KILLS):
            at = (SEND_AT + timedelta(minutes=run)).isoformat()
            worker = parcelcare(env, "outbox", "send", "--now", at)
            time.sleep(rng.uniform(0.4, 0.9))
            if worker.poll() is None:
                worker.send_signal(signal.SIGKILL)
                kills += 1
            worker.wait()
        final = parcelcare(
            env, "outbox", "send", "--now", (SEND_AT + timedelta(hours=1)).isoformat()
        )
        assert final.wait(timeout=300) == 0
    finally:
        controller.stop()
    outcome = rows(env)
    # Every planned message went out, or was held at send time: withdrawn with its reason (it
    # stopped being true by the sending day) or postponed by the customer's pace; none is lost.
    final = {row["id"]: row for row in outcome if row["id"] in planned}
    assert {row["status"] for row in final.values()} <= {"sent", "withdrawn", "queued"}
    assert all(row["withdrawn_reason"] for row in final.values() if row["status"] == "withdrawn")
    sent_ids = {row["provider_message_id"] for row in final.values() if row["status"] == "sent"}
    assert len(sent_ids) == sum(row["status"] == "sent" for row in final.values())
    assert len(sent_ids) > len(planned) // 2
    assert sent_ids <= set(inbox.ids), "a message was marked sent but never reached the server"
    assert set(inbox.ids) <= sent_ids, "the server got a message the outbox does not know"
    duplicates = sum(count - 1 for count in inbox.ids.values())
    assert kills >= 1
    assert duplicates <= kills
