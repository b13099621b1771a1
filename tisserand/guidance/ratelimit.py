"""A per-IP request counter in Django's cache for the public pages, with a French 429 page;
and the counter of accepted contact requests (per contact address, and a wide cap per
client), which failed submissions never touch: a shared reception PC is not locked out by
typing mistakes."""

import time
from functools import wraps

from django.core.cache import cache
from django.shortcuts import render

# (requests, seconds) per client address.
PAGES = (60, 60)
PDF = (10, 600)
# Accepted contact requests: per e-mail address or phone number, and per client address.
CONTACT_PER_ADDRESS = (3, 24 * 3600)
CONTACT_PER_CLIENT = (30, 3600)
PICKER = (120, 60)


def client_address(request):
    return request.META.get("REMOTE_ADDR", "") or "inconnue"


def too_many(request, retry_after):
    response = render(
        request,
        "guidance/too_many_requests.html",
        {"retry_minutes": max(1, round(retry_after / 60))},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


def _slot(scope, who, window, now):
    slot = int(now // window)
    return f"guidance:rate:{scope}:{who}:{slot}", int((slot + 1) * window - now) + 1


def _increment(key, window):
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def hit(scope, request, limit, window):
    """Counts one request; returns the seconds to wait when over the limit, else 0."""
    key, wait = _slot(scope, client_address(request), window, time.time())
    return 0 if _increment(key, window) <= limit else wait


def _contact_counters(request, cleaned):
    """(key, limit, window, seconds left) of each counter an accepted request counts in."""
    now = time.time()
    counters = []
    for means in (cleaned.get("email", "").strip().lower(), _digits(cleaned.get("phone", ""))):
        if means:
            key, wait = _slot("contact-address", means, CONTACT_PER_ADDRESS[1], now)
            counters.append((key, *CONTACT_PER_ADDRESS, wait))
    key, wait = _slot("contact-client", client_address(request), CONTACT_PER_CLIENT[1], now)
    counters.append((key, *CONTACT_PER_CLIENT, wait))
    return counters


def _digits(phone):
    return "".join(char for char in phone if char.isdigit())


def contact_refusal(request, cleaned):
    """The French message refusing one more contact request from this address, or ``""``."""
    for key, limit, _, wait in _contact_counters(request, cleaned):
        if cache.get(key, 0) >= limit:
            if key.startswith("guidance:rate:contact-address"):
                return (
                    f"Vous avez déjà envoyé {limit} demandes de contact avec cette adresse "
                    "e-mail ou ce numéro : la Maison de l'Emploi vous recontactera. Inutile "
                    "d'en envoyer une autre ; si c'est urgent, appelez-la ou passez à "
                    "l'accueil."
                )
            return (
                "Beaucoup de demandes de contact viennent d'être envoyées depuis cet "
                f"ordinateur. Réessayez dans {max(1, round(wait / 60))} minutes, ou "
                "adressez-vous à l'accueil."
            )
    return ""


def count_contact_request(request, cleaned):
    """Counts one accepted contact request."""
    for key, _, window, _ in _contact_counters(request, cleaned):
        _increment(key, window)


def rate_limited(scope, rate, methods=None):
    """Refuses (429) a client that sent more than ``rate`` = (requests, seconds)."""
    limit, window = rate

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if methods is None or request.method in methods:
                wait = hit(scope, request, limit, window)
                if wait:
                    return too_many(request, wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
