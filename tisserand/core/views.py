import logging

from django.db import connection
from django.http import FileResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader

from tisserand.core.access_log import log_record_access
from tisserand.core.documents import document_record, may_open_document
from tisserand.core.home import cards_for, landing_for
from tisserand.core.permissions import acts_for_a_structure, any_user, ensure, public, rule
from tisserand.core.pickers import get_picker

logger = logging.getLogger(__name__)


@rule(any_user)
def home(request):
    if request.membership is None and (landing := landing_for(request.user)):
        return redirect(landing)
    # The template reads the role's wording from the membership (structures' own object).
    return render(request, "core/home.html", {"cards": cards_for(request.membership)})


@public
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("health check failed")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@rule(acts_for_a_structure)
def picker_options(request, name):
    """The proposals of a picker for the text typed in a form field (an htmx fragment)."""
    picker = get_picker(name)
    ensure(picker.allowed(request.membership))
    return picker_options_response(request, picker)


def picker_options_response(request, picker):
    """The proposals fragment; public endpoints (rate-limited) call it for their own pickers."""
    field_id = request.GET.get("id", "picker")
    query = request.GET.get(request.GET.get("champ", "q"), "").strip()
    too_short = len(query) < picker.min_chars
    options = (
        []
        if too_short
        else [
            {"value": picker.value_of(obj), "label": picker.label_of(obj)}
            for obj in picker.search(query, picker.limit)
        ]
    )
    return render(
        request,
        "components/picker_options.html",
        {
            "options": options,
            "field_id": field_id,
            "query": query,
            "query_too_short": too_short,
            "min_chars": picker.min_chars,
        },
    )


def static_page(template, title):
    @public
    def view(request):
        return render(request, template, {"breadcrumbs": [(title, None)]})

    view.__name__ = view.__qualname__ = template.rsplit("/", 1)[-1].removesuffix(".html")
    return view


accessibility = static_page("core/accessibility.html", "Accessibilité")
legal = static_page("core/legal.html", "Mentions légales")
privacy = static_page("core/privacy.html", "Données personnelles")


def error_page(template, status):
    def view(request, exception=None):
        return render(request, template, status=status)

    return view


permission_denied = error_page("403.html", 403)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


page_not_found = error_page("404.html", 404)


def server_error(request):
    # No request context here: the database may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())


@rule(may_open_document, load=document_record)
def document_open(request, public_id, record):
    """A supporting document, to whom its record's rule allows; each opening is logged."""
    document = record.document
    logged, owner_structure, label = record.attachable.logged(record.record, record.item)
    log_record_access(
        request, logged, owner_structure=owner_structure, label=f"{label} — pièce « {document} »"
    )
    response = FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=False,
        filename=document.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
