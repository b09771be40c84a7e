"""The assistant's tests share one trained classifier, cached in a folder of their own."""

import os
import tempfile

import pytest
from aiosmtpd.controller import Controller
from tests.messaging.test_sending import Inbox, free_port

from parcelcare.integrations.channels.email import SmtpEmail
from parcelcare.messaging.channels import smtp_settings

os.environ.setdefault("PARCELCARE_MODEL_CACHE", os.path.join(tempfile.gettempdir(), "pc-models"))


@pytest.fixture
def smtp():
    """A real SMTP server on a free port, and the e-mail channel that sends to it."""
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, SmtpEmail(smtp_settings(f"smtp+plain://127.0.0.1:{port}", "winkel@example.com"))
    controller.stop()
