"""Run the web server (granian, WSGI) and the background worker (huey consumer)."""

import logging
from pathlib import Path

import ninja
from django.conf import settings
from django.contrib import admin
from granian import Granian
from granian.constants import Interfaces

from parcelcare.security import GRANIAN_LOGGING

log = logging.getLogger(__name__)


def _consumer(workers: int):  # type: ignore[no-untyped-def]
    from parcelcare.jobs import huey

    return huey.create_consumer(workers=workers, worker_type="thread", periodic=True)


def run_worker(*, workers: int) -> None:
    """Run the huey consumer in the foreground until interrupted."""
    _consumer(workers).run()


def run_server(*, host: str, port: int, embedded_worker: bool) -> None:
    """Serve the WSGI app; with `embedded_worker`, huey runs in this process's threads."""
    consumer = _consumer(1) if embedded_worker else None
    if consumer is not None:
        consumer.start()
    admin_static = Path(admin.__file__).parent / "static" / "admin"
    ninja_static = Path(ninja.__file__).parent / "static" / "ninja"
    try:
        Granian(
            "parcelcare.wsgi:application",
            address=host,
            port=port,
            interface=Interfaces.WSGI,
            workers=1,
            blocking_threads=8,
            static_path_route=["/static/parcelcare", "/static/admin", "/static/ninja"],
            static_path_mount=[
                settings.BASE_DIR / "static" / "parcelcare",
                admin_static,
                ninja_static,
            ],
            log_access=False,
            log_dictconfig=GRANIAN_LOGGING,
        ).serve()
    finally:
        if consumer is not None:
            consumer.stop(graceful=True)
