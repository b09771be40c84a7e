"""Run the web server (granian, WSGI) and the background worker (huey consumer).

The embedded worker starts inside granian's worker process, after granian has forked it: a
process must never fork while its own threads run, or the child can inherit a lock one of them
held (an import lock, a logging lock) and hang before it answers a single request.
"""

import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any, NoReturn

import ninja
from django.conf import settings
from django.contrib import admin
from django.db import connections
from granian import Granian
from granian.constants import Interfaces

from parcelcare import jobs
from parcelcare.security import GRANIAN_LOGGING

log = logging.getLogger(__name__)

TARGET = "parcelcare.wsgi:application"
STOP_SECONDS = 4.0
"""How long the embedded worker may finish its current task when the server stops."""
KILL_SECONDS = 7
"""After this long granian kills a web worker that has not stopped; the leases of whatever it
held run out and another pass takes the rows over."""
HEALTH_SECONDS = 10.0
"""How often the embedded worker restarts a huey thread that died."""
EMBEDDED_MAX_DELAY = 1.0
"""Longest idle pause between two looks at the task queue, so a stop is never waited on long."""


def _consumer(workers: int, max_delay: float = 10.0):  # type: ignore[no-untyped-def]
    return jobs.huey.create_consumer(
        workers=workers, worker_type="thread", periodic=True, max_delay=max_delay
    )


def run_worker(*, workers: int) -> None:
    """Run the huey consumer in the foreground until interrupted."""
    _consumer(workers).run()


def start_embedded_worker() -> None:
    """Start huey's threads in this process and stop them when its main thread has ended."""
    if jobs.huey.immediate:
        return  # every task already runs inline, where it is called; there is no queue
    consumer = _consumer(1, max_delay=EMBEDDED_MAX_DELAY)
    # huey installs its own SIGTERM/SIGINT/SIGHUP handlers; this process's belong to granian.
    kept = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    consumer.start()
    for sig, handler in kept.items():
        signal.signal(sig, handler)
    threading.Thread(target=_steward, args=(consumer,), name="huey-steward").start()


def _steward(consumer: Any) -> None:
    """Keep the consumer's threads alive while the process serves; then stop them in time."""
    main = threading.main_thread()
    while main.is_alive():
        main.join(HEALTH_SECONDS)
        if main.is_alive():
            consumer.check_worker_health()
    consumer.stop()
    deadline = time.monotonic() + STOP_SECONDS
    threads = [consumer.scheduler, *(thread for _, thread in consumer.worker_threads)]
    for thread in threads:
        thread.join(max(deadline - time.monotonic(), 0))
    busy = sum(thread.is_alive() for thread in threads)
    if busy:
        log.warning("embedded worker: %d task(s) still running at exit; leases recover them", busy)


def load_with_worker(target: str) -> Any:
    """granian's loader in its worker process: the WSGI app, then the embedded worker."""
    from parcelcare.wsgi import application

    start_embedded_worker()
    return application


def load_app(target: str) -> Any:
    """granian's loader in its worker process: the WSGI app only."""
    from parcelcare.wsgi import application

    return application


def preload() -> None:
    """Import the app, every view and every task's code once, before granian forks: the worker
    starts warm instead of importing on its first request while the first tasks run."""
    from django.urls import get_resolver

    from parcelcare.wsgi import application  # noqa: F401

    get_resolver().url_patterns  # noqa: B018 (imports every view module)
    jobs.preload()


def run_server(*, host: str, port: int, embedded_worker: bool) -> NoReturn:
    """Serve the WSGI app until SIGTERM or SIGINT, then end the process; with
    `embedded_worker`, huey runs in the web worker process."""
    admin_static = Path(admin.__file__).parent / "static" / "admin"
    ninja_static = Path(ninja.__file__).parent / "static" / "ninja"
    preload()
    # The web worker is forked from this process: it must open its own database connections.
    connections.close_all()
    jobs.huey.storage.close()
    Granian(
        TARGET,
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=1,
        blocking_threads=8,
        static_path_route=["/static/parcelcare", "/static/admin", "/static/ninja"],
        static_path_mount=[settings.BASE_DIR / "static" / "parcelcare", admin_static, ninja_static],
        log_access=False,
        respawn_failed_workers=True,
        workers_kill_timeout=KILL_SECONDS,
        log_dictconfig=GRANIAN_LOGGING,
    ).serve(target_loader=load_with_worker if embedded_worker else load_app)
    # Workers are stopped and every state lives in the database: leave without tearing the
    # interpreter's large heap down object by object (a second of CPU on a busy machine).
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
