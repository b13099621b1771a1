"""How pages and the API tell the user that a rule refused the operation (``DomainError``)."""

from django.contrib import messages
from django.http import JsonResponse

from tisserand.core.errors import error_payload


def report(error, *, form=None, field=None, request=None):
    """Shows ``error``'s French message: on ``form`` (next to ``field``, or above the fields)
    when the page re-displays a form, else as an error message of ``request``."""
    if form is not None:
        form.add_error(field, str(error))
    else:
        messages.error(request, str(error))


def json_error(error, status=400):
    """The API's answer to a refused operation: ``{"error": {"code": …, "message": …}}``."""
    return JsonResponse(error_payload(error), status=status)
