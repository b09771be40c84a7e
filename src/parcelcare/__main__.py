"""`python -m parcelcare` runs the command line."""

from parcelcare.cli import app

app()
