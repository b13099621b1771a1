"""The members' entry to the guidance service, and the contact requests from the public page."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tisserand.core.permissions import rule
from tisserand.guidance import perms, services
from tisserand.guidance.models import ContactRequest

PAGE_SIZE = 25


@rule(perms.can_use_guidance)
def hub(request):
    membership = request.membership
    pending = None
    if perms.can_read_contact_requests(membership):
        pending = _requests_for(membership).filter(handled_at__isnull=True).count()
    return render(
        request,
        "guidance/hub.html",
        {
            "pending_requests": pending,
            "can_read_requests": pending is not None,
            "breadcrumbs": [("Orientation", None)],
        },
    )


def _requests_for(membership):
    return ContactRequest.objects.filter(
        Q(structure=membership.structure) | Q(structure__isnull=True)
    )


@rule(perms.can_read_contact_requests)
def contact_requests(request):
    status = request.GET.get("statut", "a-traiter")
    requests = _requests_for(request.membership).select_related("handled_by")
    requests = requests.filter(handled_at__isnull=status != "traitees")
    return render(
        request,
        "guidance/contact_requests.html",
        {
            "page_obj": Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page")),
            "status": status,
            "retention_days": services.RETENTION_DAYS,
            "breadcrumbs": [
                ("Orientation", reverse("guidance:hub")),
                ("Demandes de contact", None),
            ],
        },
    )


def _contact_request(request, public_id):
    """The contact request the URL designates (404 when absent): the rule's loader."""
    return get_object_or_404(ContactRequest, public_id=public_id)


@rule(perms.can_handle_contact_request, load=_contact_request)
@require_POST
def contact_request_handled(request, public_id, record):
    contact_request = record
    if not contact_request.is_handled:
        services.mark_handled(contact_request, request.membership)
        messages.success(request, f"La demande de {contact_request} est marquée traitée.")
    return redirect("guidance:contact_requests")
