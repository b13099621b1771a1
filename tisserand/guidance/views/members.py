"""The members' entry to the guidance service, and the contact requests from the public page."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from tisserand.core.actor import Actor
from tisserand.core.feedback import report
from tisserand.core.permissions import rule
from tisserand.guidance import contact_requests as handling
from tisserand.guidance import perms, services
from tisserand.guidance.contact_requests import ContactRequestError
from tisserand.guidance.forms_contact import AssignmentForm
from tisserand.guidance.models import ContactRequest
from tisserand.people import creation
from tisserand.people import perms as people_perms
from tisserand.people.forms import DuplicateConfirmationForm, PersonForm

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
    requests = _requests_for(request.membership).select_related(
        "handled_by", "assigned_to", "person"
    )
    requests = requests.filter(handled_at__isnull=status != "traitees")
    return render(
        request,
        "guidance/contact_requests.html",
        {
            "page_obj": Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page")),
            "status": status,
            "assignees": list(handling.assignees(request.membership.structure)),
            "can_create_person": people_perms.can_create_person(request.membership),
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
def contact_request_assign(request, public_id, record):
    form = AssignmentForm(request.POST, structure=request.membership.structure)
    if form.is_valid():
        try:
            handling.assign(record, data=form.cleaned_data, actor=Actor.from_request(request))
        except ContactRequestError as error:
            report(error, request=request)
        else:
            messages.success(
                request, f"La demande de {record} est attribuée à {record.assigned_to}."
            )
    else:
        messages.error(request, "Choisissez un conseiller ou une conseillère de la liste.")
    return redirect("guidance:contact_requests")


@rule(perms.can_create_person_from_request, load=_contact_request)
def contact_request_person(request, public_id, record):
    """The person's record from the request (duplicates checked), then the first appointment."""
    form = PersonForm(request.POST or None, initial=handling.person_initial(record))
    confirmation = DuplicateConfirmationForm(request.POST or None)
    with transaction.atomic():
        person, warning = creation.create_checking_duplicates(request, form, confirmation)
        if person is not None:
            handling.attach_person(record, person, actor=Actor.from_request(request))
    if person is not None:
        messages.success(request, f"La fiche de {person} est créée. Fixez son premier rendez-vous.")
        return redirect(_first_appointment_url(person))
    return render(
        request,
        "guidance/contact_request_person.html",
        {
            "contact": record,
            "form": form,
            "warning": warning,
            "breadcrumbs": [
                ("Orientation", reverse("guidance:hub")),
                ("Demandes de contact", reverse("guidance:contact_requests")),
                (f"Fiche de {record}", None),
            ],
        },
    )


def _first_appointment_url(person):
    """The booking page of the person (the appointments service), else the person's page."""
    try:
        return reverse("appointments:book", kwargs={"person_id": person.public_id})
    except NoReverseMatch:
        return reverse("people:detail", args=[person.public_id])


@rule(perms.can_handle_contact_request, load=_contact_request)
@require_POST
def contact_request_handled(request, public_id, record):
    contact_request = record
    if not contact_request.is_handled:
        services.mark_handled(contact_request, actor=Actor.from_request(request))
        messages.success(request, f"La demande de {contact_request} est marquée traitée.")
    return redirect("guidance:contact_requests")
