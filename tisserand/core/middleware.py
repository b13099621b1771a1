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
