"""Poll an IMAP mailbox for new mail with the UIDVALIDITY + UID cursor (RFC 3501 §2.3.1.1).

Only UIDs above the last one seen are fetched, read-only (BODY.PEEK), so nothing is marked or
moved. When the server's UIDVALIDITY changes, UIDs were renumbered: the cursor starts again
and the store's deduplication on Message-ID keeps mail already taken in from coming twice."""

import contextlib
import imaplib
import re
import ssl
from dataclasses import dataclass

from .mail import InboundEmail, parse_rfc822

MAX_PER_POLL = 200


@dataclass(frozen=True)
class MailboxAccess:
    """Where the mailbox is and how to log in."""

    host: str
    port: int
    username: str
    password: str
    folder: str = "INBOX"
    security: str = "ssl"
    timeout: float = 20.0


@dataclass(frozen=True)
class Polled:
    """New mail since the cursor, and the cursor to keep afterwards."""

    uidvalidity: int
    last_uid: int
    messages: list[tuple[int, InboundEmail]]
    reset: bool
    """The server's UIDVALIDITY changed, so every message was looked at again."""


class ImapError(Exception):
    """The server refused or failed a command; the message says which."""


def _connect(access: MailboxAccess) -> imaplib.IMAP4:
    if access.security == "ssl":
        return imaplib.IMAP4_SSL(
            access.host,
            access.port,
            ssl_context=ssl.create_default_context(),
            timeout=access.timeout,
        )
    client = imaplib.IMAP4(access.host, access.port, timeout=access.timeout)
    if access.security == "starttls":
        client.starttls(ssl.create_default_context())
    return client


def _ok(answer: tuple[str, list], what: str) -> list:
    status, data = answer
    if status != "OK":
        raise ImapError(f"imap: {what} failed")
    return data


def poll(access: MailboxAccess, uidvalidity: int | None, last_uid: int) -> Polled:
    """New messages after `last_uid` in the folder, oldest first, at most MAX_PER_POLL."""
    try:
        client = _connect(access)
    except (OSError, imaplib.IMAP4.error) as error:
        raise ImapError(f"imap: cannot connect ({type(error).__name__})") from None
    step = "login"
    try:
        _ok(client.login(access.username, access.password), step)
        step = "select"
        _ok(client.select(_quoted(access.folder), readonly=True), "select")
        validity = _uidvalidity(client)
        step = "fetch"
        reset = uidvalidity is not None and validity != uidvalidity
        start = 0 if reset or uidvalidity is None else last_uid
        uids = [
            int(u) for u in _ok(client.uid("SEARCH", f"UID {start + 1}:*"), "search")[0].split()
        ]
        # `n:*` always matches the highest UID, even when it is below n.
        uids = sorted(u for u in uids if u > start)[:MAX_PER_POLL]
        found = []
        for uid in uids:
            data = _ok(client.uid("FETCH", str(uid), "(BODY.PEEK[])"), "fetch")
            raw = next((part[1] for part in data if isinstance(part, tuple)), None)
            if raw is not None:
                found.append((uid, parse_rfc822(raw)))
        return Polled(validity, max([start, *uids]), found, reset)
    except imaplib.IMAP4.error as error:
        raise ImapError(f"imap: {step} refused ({type(error).__name__})") from None
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            client.logout()


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _uidvalidity(client: imaplib.IMAP4) -> int:
    _, data = client.response("UIDVALIDITY")
    value = data[0] if data and data[0] else None
    if value is None:
        data = _ok(client.status("INBOX", "(UIDVALIDITY)"), "status")
        match = re.search(rb"UIDVALIDITY (\d+)", data[0] or b"")
        value = match.group(1) if match else None
    if value is None:
        raise ImapError("imap: the server sent no UIDVALIDITY")
    return int(value)
