"""A small in-process IMAP4rev1 server for tests: LOGIN, SELECT/EXAMINE with UIDVALIDITY,
UID SEARCH, UID FETCH BODY.PEEK[], LOGOUT; mail and UIDVALIDITY can change between polls."""

import re
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Store:
    """The mailbox the server serves: UIDVALIDITY and (uid, raw message) pairs."""

    uidvalidity: int = 1700000001
    messages: list[tuple[int, bytes]] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    user: str = "shop@example.org"
    password: str = "s3cret"

    def add(self, raw: bytes) -> int:
        uid = (self.messages[-1][0] + 1) if self.messages else 1
        self.messages.append((uid, raw))
        return uid


class Handler(socketserver.StreamRequestHandler):
    store: Store

    def send(self, line: bytes) -> None:
        self.wfile.write(line + b"\r\n")

    def handle(self) -> None:
        self.send(b"* OK IMAP4rev1 test server ready")
        for _ in range(1000):
            line = self.rfile.readline()
            if not line:
                return
            tag, _, rest = line.strip().partition(b" ")
            command, _, args = rest.partition(b" ")
            name = command.upper()
            if name == b"CAPABILITY":
                self.send(b"* CAPABILITY IMAP4rev1")
                self.send(tag + b" OK CAPABILITY completed")
            elif name == b"LOGIN":
                user, password = [p.strip(b'"').decode() for p in args.split(b" ", 1)]
                self.store.logins.append(user)
                ok = (user, password) == (self.store.user, self.store.password)
                self.send(tag + (b" OK LOGIN completed" if ok else b" NO LOGIN failed"))
            elif name in (b"SELECT", b"EXAMINE"):
                self.send(b"* %d EXISTS" % len(self.store.messages))
                self.send(b"* OK [UIDVALIDITY %d] UIDs valid" % self.store.uidvalidity)
                self.send(tag + b" OK [READ-ONLY] done")
            elif name == b"UID":
                self.uid(tag, args)
            elif name == b"LOGOUT":
                self.send(b"* BYE")
                self.send(tag + b" OK LOGOUT completed")
                return
            else:
                self.send(tag + b" BAD unknown command")

    def uid(self, tag: bytes, args: bytes) -> None:
        sub, _, rest = args.partition(b" ")
        uids = [uid for uid, _ in self.store.messages]
        if sub.upper() == b"SEARCH":
            start = int(re.search(rb"UID (\d+):\*", rest).group(1))  # type: ignore[union-attr]
            found = [u for u in uids if u >= start] or uids[-1:]
            self.send(b"* SEARCH" + b"".join(b" %d" % u for u in found))
        elif sub.upper() == b"FETCH":
            wanted = int(rest.split(b" ", 1)[0])
            for number, (uid, raw) in enumerate(self.store.messages, start=1):
                if uid == wanted:
                    self.wfile.write(
                        b"* %d FETCH (UID %d BODY[] {%d}\r\n" % (number, uid, len(raw))
                    )
                    self.wfile.write(raw + b")\r\n")
        self.send(tag + b" OK UID completed")


@contextmanager
def imap_server(store: Store) -> Iterator[int]:
    """Serve `store` on a free loopback port for the duration of the block."""
    handler = type("BoundHandler", (Handler,), {"store": store})
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
