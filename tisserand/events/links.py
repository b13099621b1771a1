"""The personal link of a registration (confirm or decline an invitation, cancel, answer the
satisfaction survey, download the ICS, stop the messages).

The token is an HMAC of the registration's public id under the project's secret key: the
messages (sent later by a background task) recompute it, and the database stores only its
SHA-256 digest (``Registration.token_digest``), so a copy of the database opens no link.
"""

import hashlib

from django.urls import reverse
from django.utils.crypto import salted_hmac

SALT = "tisserand.events.registration-link"


def token_for(registration):
    return salted_hmac(SALT, str(registration.public_id), algorithm="sha256").hexdigest()[:40]


def digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def registration_for(token):
    from tisserand.events.models import Registration

    if not token or len(token) > 64:
        return None
    return (
        Registration.objects.select_related(
            "session__event__structure", "person", "contact__establishment"
        )
        .filter(token_digest=digest(token))
        .first()
    )


def personal_url(registration, base_url=""):
    return base_url + reverse("events:personal", args=[token_for(registration)])
