"""The HR clubs' pages for officers: the list and a club (``SEE_COMPANIES`` reads), its
editing, members, attendees, sessions, attendance and shared resources (``MANAGE_COMPANIES``
of the animating structure)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from tisserand.companies import clubs, portal_perms
from tisserand.companies.clubs_forms import (
    AttendeeForm,
    ClubForm,
    MemberForm,
    ResourceForm,
    SessionForm,
)
from tisserand.companies.hooks import CLUB_MEETINGS, hooks
from tisserand.companies.models import HrClub, HrClubMember, HrClubRegistration
from tisserand.core import documents, timeline
from tisserand.core.actor import Actor
from tisserand.core.feedback import report
from tisserand.core.forms import model_values
from tisserand.core.permissions import rule

T = "companies/clubs/"
CLUBS_PER_PAGE = 25


def _crumbs(*more):
    return [("Clubs RH", reverse("companies:clubs")), *more]


@rule(portal_perms.sees_companies)
def club_list(request):
    rows = (
        HrClub.objects.select_related("structure", "animator")
        .annotate(
            member_count=Count("members", filter=Q(members__left_on__isnull=True), distinct=True),
            upcoming=Count(
                "sessions", filter=Q(sessions__date__gte=timezone.localdate()), distinct=True
            ),
        )
        .order_by("-is_active", "name")
    )
    page_obj = Paginator(rows, CLUBS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        T + "list.html",
        {
            "clubs": page_obj.object_list,
            "page_obj": page_obj,
            "can_create": portal_perms.manages_companies(request.membership),
            "breadcrumbs": [("Clubs RH", None)],
        },
    )


@rule(portal_perms.manages_companies)
def club_create(request):
    form = ClubForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            club = clubs.create_club(
                data={**model_values(form), "animator": request.user},
                actor=Actor.from_request(request),
            )
        except clubs.ClubError as error:
            report(error, form=form)
        else:
            messages.success(request, f"Club « {club} » créé.")
            return redirect("companies:club_detail", public_id=club.public_id)
    return render(
        request, T + "form.html", {"form": form, "breadcrumbs": _crumbs(("Nouveau club", None))}
    )


@rule(portal_perms.may_see_club, load=portal_perms.club_record)
def club_detail(request, public_id, record):
    club = record
    members = list(
        HrClubMember.objects.filter(club=club)
        .select_related("establishment__legal_unit")
        .prefetch_related("attendees__contact", "establishment__contacts")
        .order_by("left_on", "establishment__search_name")
    )
    sessions = list(club.sessions.annotate(registered=Count("registrations")).order_by("date"))
    resources = list(club.resources.order_by("-created_at"))
    docs = documents.documents_of(resources)
    can_edit = portal_perms.may_edit_club(request.membership, club)
    return render(
        request,
        T + "detail.html",
        {
            "club": club,
            "members": members,
            "sessions": sessions,
            "meetings": hooks.call(CLUB_MEETINGS, [club]).get(club.pk, []),
            "today": timezone.localdate(),
            "resources": [(r, docs.get(r.pk, [])) for r in resources],
            "can_edit": can_edit,
            "can_open_resources": portal_perms.manages_companies(request.membership),
            "member_form": MemberForm() if can_edit else None,
            "session_form": SessionForm() if can_edit else None,
            "resource_form": ResourceForm() if can_edit else None,
            "events": timeline.events_for(club).order_by("-occurred_at", "-pk")[:20],
            "breadcrumbs": _crumbs((club.name, None)),
        },
    )


@rule(portal_perms.may_edit_club, load=portal_perms.club_record)
def club_edit(request, public_id, record):
    form = ClubForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        clubs.update_club(record, data=model_values(form), actor=Actor.from_request(request))
        messages.success(request, "Club modifié.")
        return redirect("companies:club_detail", public_id=record.public_id)
    return render(
        request,
        T + "form.html",
        {
            "form": form,
            "club": record,
            "breadcrumbs": _crumbs(
                (record.name, reverse("companies:club_detail", args=[public_id])),
                ("Modifier", None),
            ),
        },
    )


def _back(club):
    return redirect("companies:club_detail", public_id=club.public_id)


@require_POST
@rule(portal_perms.may_edit_club, load=portal_perms.club_record)
def club_member_add(request, public_id, record):
    form = MemberForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(record)
    try:
        clubs.add_member(record, data=form.cleaned_data, actor=Actor.from_request(request))
    except clubs.ClubError as error:
        report(error, request=request)
    else:
        messages.success(request, f"{form.cleaned_data['establishment']} rejoint le club.")
    return _back(record)


@require_POST
@rule(portal_perms.may_edit_club, load=portal_perms.club_record)
def club_member_leave(request, public_id, record, member_id):
    member = get_object_or_404(HrClubMember, club=record, pk=member_id)
    try:
        clubs.member_leaves(member, data={}, actor=Actor.from_request(request))
    except clubs.ClubError as error:
        report(error, request=request)
    else:
        messages.success(request, f"{member.establishment} a quitté le club.")
    return _back(record)


@require_POST
@rule(portal_perms.may_edit_club, load=portal_perms.club_record)
def club_attendee_add(request, public_id, record, member_id):
    member = get_object_or_404(
        HrClubMember.objects.select_related("establishment"), club=record, pk=member_id
    )
    form = AttendeeForm(request.POST, member=member)
    if form.is_valid():
        try:
            clubs.add_attendee(member, data=form.cleaned_data, actor=Actor.from_request(request))
        except clubs.ClubError as error:
            report(error, request=request)
        else:
            messages.success(request, "Participant·e ajouté·e.")
    else:
        messages.error(request, "Choisissez un contact de l'entreprise.")
    return _back(record)


@require_POST
@rule(portal_perms.may_edit_club, load=portal_perms.club_record)
def club_session_add(request, public_id, record):
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            session = clubs.add_session(
                record, data=model_values(form), actor=Actor.from_request(request)
            )
        except clubs.ClubError as error:
            report(error, request=request)
        else:
            messages.success(request, f"Séance « {session} » programmée.")
    else:
        messages.error(request, "Séance non enregistrée : donnez sa date et son intitulé.")
    return _back(record)


@require_GET
@rule(portal_perms.may_see_club, load=portal_perms.session_record)
def club_session(request, public_id, record):
    session = record
    return render(
        request,
        T + "session.html",
        {
            "session": session,
            "club": session.club,
            "registrations": _registrations(session),
            "can_edit": portal_perms.may_edit_session(request.membership, session),
            "breadcrumbs": _crumbs(
                (
                    session.club.name,
                    reverse("companies:club_detail", args=[session.club.public_id]),
                ),
                (str(session), None),
            ),
        },
    )


def _registrations(session):
    return list(
        HrClubRegistration.objects.filter(session=session)
        .select_related("contact__establishment__legal_unit")
        .order_by("contact__last_name", "contact__first_name")
    )


@require_POST
@rule(portal_perms.may_edit_session, load=portal_perms.session_record)
def club_attendance(request, public_id, record):
    values = {"present": True, "absent": False}
    data = {
        row.pk: values.get(request.POST.get(f"presence-{row.pk}", ""))
        for row in _registrations(record)
    }
    try:
        clubs.mark_attendance(record, data=data, actor=Actor.from_request(request))
    except clubs.ClubError as error:
        report(error, request=request)
    else:
        messages.success(request, "Présences enregistrées.")
    return redirect("companies:club_session", public_id=public_id)


@require_POST
@rule(portal_perms.may_edit_club, load=portal_perms.club_record)
def club_resource_add(request, public_id, record):
    form = ResourceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            clubs.add_resource(record, data=form.cleaned_data, actor=Actor.from_request(request))
        except (clubs.ClubError, documents.DocumentError) as error:
            report(error, request=request)
        else:
            messages.success(request, "Ressource partagée avec les membres du club.")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return _back(record)
