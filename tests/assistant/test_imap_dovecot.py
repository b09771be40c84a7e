"""IMAP polling against a real Dovecot server (Debian `dovecot-imapd`), started for the test on
a loopback port with its own configuration, users and Maildir; skipped where it is missing."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.assistant.test_channels import raw_mail

from conftest import NOW, ApiShop
from parcelcare.assistant.mailboxes import poll_mailbox
from parcelcare.assistant.models import InboundMessage, Mailbox

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "shop@example.org", "s3cret"
pytestmark = pytest.mark.skipif(
    not os.path.exists(DOVECOT) or os.geteuid() != 0,
    reason="needs Debian's dovecot-imapd and root (mail is owned by nobody)",
)
CONFIG = """base_dir = {root}/run
state_dir = {root}/state
instance_name = parcelcare-test-{port}
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
log_path = {root}/log
mail_location = maildir:{root}/mail/%u
mail_uid = nobody
mail_gid = nogroup
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={root}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def dovecot() -> Iterator[tuple[int, Path]]:
    """A running Dovecot; yields its port and the user's Maildir."""
    # Its own folder in /tmp: Dovecot's unprivileged processes must be able to reach it.
    root, port = Path(tempfile.mkdtemp(prefix="parcelcare-dovecot-")), free_port()
    (root / "mail").mkdir(parents=True)
    root.chmod(0o755)
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    (root / "dovecot.conf").write_text(CONFIG.format(root=root, port=port))
    shutil.chown(root / "mail", "nobody", "nogroup")
    subprocess.run([DOVECOT, "-c", str(root / "dovecot.conf")], check=True, timeout=30)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    try:
        yield port, root / "mail" / USER
    finally:
        pid = (root / "run" / "master.pid").read_text().strip()
        subprocess.run(["kill", pid], check=False, timeout=10)
        shutil.rmtree(root, ignore_errors=True)


def deliver(maildir: Path, raw: bytes, name: str) -> None:
    """Drop a message into the Maildir's new/ as a delivery agent would."""
    for folder in ("new", "cur", "tmp"):
        (maildir / folder).mkdir(parents=True, exist_ok=True)
        shutil.chown(maildir / folder, "nobody", "nogroup")
    shutil.chown(maildir, "nobody", "nogroup")
    target = maildir / "new" / f"{name}.M1P1.parcelcare"
    target.write_bytes(raw)
    shutil.chown(target, "nobody", "nogroup")


def test_polling_a_real_dovecot(api_shop: ApiShop, dovecot: tuple[int, Path]) -> None:
    port, maildir = dovecot
    deliver(maildir, raw_mail("<d1@mail.example>", "waar blijft mijn pakket"), "1763460001")
    mailbox = Mailbox.objects.create(
        shop=api_shop.shop,
        host="127.0.0.1",
        port=port,
        security="plain",
        username=USER,
        password=PASSWORD,
    )
    assert poll_mailbox(mailbox, NOW) == 1, Mailbox.objects.get().last_error
    mailbox.refresh_from_db()
    first_validity = mailbox.uidvalidity
    assert first_validity and mailbox.last_uid == 1
    assert poll_mailbox(mailbox, NOW) == 0
    deliver(maildir, raw_mail("<d2@mail.example>", "ik wil annuleren"), "1763460002")
    assert poll_mailbox(mailbox, NOW) == 1
    mailbox.refresh_from_db()
    assert mailbox.last_uid == 2
    # Losing the index renumbers the mailbox (a new UIDVALIDITY): read again, nothing twice.
    for index in maildir.glob("dovecot*"):
        index.unlink()
    time.sleep(1.1)  # Dovecot's UIDVALIDITY is a timestamp
    assert poll_mailbox(mailbox, NOW) == 0
    mailbox.refresh_from_db()
    assert mailbox.uidvalidity != first_validity and mailbox.last_uid == 2
    assert InboundMessage.objects.filter(shop=api_shop.shop).count() == 2
