import logging
import time

from django.core.exceptions import PermissionDenied

from tisserand.core.permissions import has_rule

logger = logging.getLogger("tisserand.request")
permission_logger = logging.getLogger("tisserand.permissions")

# Views of these libraries carry their own rules (login, logout, MFA, static files).
TRUSTED_VIEW_MODULES = ("allauth.", "django.contrib.staticfiles.", "django.views.static")


class DefaultDenyMiddleware:
    """Refuses every view that has not declared who may use it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if has_rule(view_func) or view_func.__module__.startswith(TRUSTED_VIEW_MODULES):
            return None
        permission_logger.error("view without a permission rule: %s", view_func.__qualname__)
        raise PermissionDenied


class RequestLogMiddleware:
    """One structured log line per request: method, path, status, duration, user id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        logger.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": str(user.public_id) if user and user.is_authenticated else None,
            },
        )
        return response


class NoReferrerOriginMiddleware:
    """Makes CSRF checks work with ``Referrer-Policy: no-referrer``.

    Under that policy Chromium sends ``Origin: null`` on form posts, and no Referer, so
    Django's origin check fails. The browser also sends ``Sec-Fetch-Site``, which no page
    script can set: when it says the request comes from our own origin, we restore that
    origin. The CSRF token is still checked as usual.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.META.get("HTTP_ORIGIN") == "null"
            and request.META.get("HTTP_SEC_FETCH_SITE") == "same-origin"
        ):
            request.META["HTTP_ORIGIN"] = f"{request.scheme}://{request.get_host()}"
        return self.get_response(request)
