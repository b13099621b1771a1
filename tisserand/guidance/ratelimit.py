"""A per-IP request counter in Django's cache for the public pages, with a French 429 page."""

import time
from functools import wraps

from django.core.cache import cache
from django.shortcuts import render

# (requests, seconds) per client address.
PAGES = (60, 60)
PDF = (10, 600)
CONTACT = (5, 3600)
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


def hit(scope, request, limit, window):
    """Counts one request; returns the seconds to wait when over the limit, else 0."""
    now = time.time()
    slot = int(now // window)
    key = f"guidance:rate:{scope}:{client_address(request)}:{slot}"
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return 0 if count <= limit else int((slot + 1) * window - now) + 1


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
