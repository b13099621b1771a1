"""Helpers for the answers of the test client."""

from django.core.signals import request_finished
from django.db import close_old_connections


def release(response):
    """Closes an answer (a served file releases its handle) as the test client itself does for
    non-streaming answers: without the end-of-request signal, whose connection clean-up would
    close PostgreSQL's connection inside the test's transaction."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
