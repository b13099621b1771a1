"""The public pages' limits, as guidance's public pages do (a per-client counter in the cache
and a French 429 page), and the count of accepted public registrations: per e-mail address and
per client address — failed submissions never count."""

import time
from functools import wraps

from django.core.cache import cache
from django.shortcuts import render

RATES = {"pages": (60, 60)}
PER_ADDRESS = (5, 24 * 3600)
PER_CLIENT = (30, 3600)


def client_address(request):
    return request.META.get("REMOTE_ADDR", "") or "inconnue"


def _slot(scope, who, window, now):
    slot = int(now // window)
    return f"events:rate:{scope}:{who}:{slot}", int((slot + 1) * window - now) + 1


def _increment(key, window):
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, window)
        return 1


def rate_limited(scope):
    limit, window = RATES[scope]

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            key, wait = _slot(scope, client_address(request), window, time.time())
            if _increment(key, window) > limit:
                response = render(
                    request,
                    "events/too_many_requests.html",
                    {"retry_minutes": max(1, round(wait / 60))},
                    status=429,
                )
                response["Retry-After"] = str(wait)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _counters(request, cleaned):
    now = time.time()
    email = (cleaned.get("email") or "").strip().lower()
    counters = []
    if email:
        key, _ = _slot("registration-address", email, PER_ADDRESS[1], now)
        counters.append((key, *PER_ADDRESS))
    key, _ = _slot("registration-client", client_address(request), PER_CLIENT[1], now)
    counters.append((key, *PER_CLIENT))
    return counters


def registration_refusal(request, cleaned):
    for key, limit, _ in _counters(request, cleaned):
        if cache.get(key, 0) >= limit:
            return (
                "Beaucoup d'inscriptions viennent d'être faites avec cette adresse ou depuis cet "
                "ordinateur. Réessayez plus tard, ou adressez-vous à l'accueil."
            )
    return ""


def count_registration(request, cleaned):
    for key, _, window in _counters(request, cleaned):
        _increment(key, window)
