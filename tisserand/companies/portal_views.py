"""The leader portal (``/portail/``): a company leader's home, their company's needs, the GPEC
toolkit (``gpec_views``), the HR club sessions to register to and the entries other apps
register in ``portal.entries``; and, for officers, the invitations and leader accounts of a
company. Every portal page loads its establishment with ``portal.leader_establishment``: 404
for anyone but an active leader of that company."""

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from tisserand.companies import clubs, portal, portal_invitations, portal_perms, portal_services
from tisserand.companies.gpec_views import company_page
from tisserand.companies.hooks import CLUB_MEETINGS, hooks
from tisserand.companies.models import (
    HrClub,
    HrClubRegistration,
    HrClubResource,
    HrClubSession,
    LeaderAccount,
    LeaderInvitation,
    Need,
)
from tisserand.companies.portal_forms import (
    InviteLeaderForm,
    LeaderNeedForm,
    NeedDescriptionForm,
    RegistrationForm,
)
from tisserand.companies.services import CompanyError, record_need
from tisserand.core import documents
from tisserand.core.actor import Actor
from tisserand.core.feedback import report
from tisserand.core.permissions import any_user, public, rule
from tisserand.core.pickers import get_picker
from tisserand.core.views import picker_options_response
from tisserand.structures.forms import SetPasswordForm

T = "companies/portal/"


def _crumbs(establishment, *more):
    home = reverse("companies:portal_company", args=[establishment.public_id])
    return [(f"Portail — {establishment.display_name}", home if more else None), *more]


def entries_for(establishment):
    """The portal's entries (this app's and the other apps'), with their URL."""
    found = []
    for entry in portal.entries.items():
        try:
            url = reverse(entry.url_name, kwargs={"public_id": establishment.public_id})
        except NoReverseMatch:
            continue
        found.append({"entry": entry, "url": url})
    return found


@rule(any_user)
def portal_home(request):
    accounts = list(portal.leader_accounts(request.user))
    if len(accounts) == 1:
        return redirect("companies:portal_company", public_id=accounts[0].establishment.public_id)
    return render(
        request,
        T + "home.html",
        {"accounts": accounts, "breadcrumbs": [("Portail des dirigeants", None)]},
    )


@rule(portal_perms.leader, load=portal.leader_establishment)
def portal_company(request, public_id, record):
    establishment = record
    needs = list(
        Need.objects.filter(establishment=establishment)
        .select_related("subject")
        .order_by("-created_at")[:5]
    )
    return render(
        request,
        T + "company.html",
        {
            "establishment": establishment,
            "needs": needs,
            "entries": entries_for(establishment),
            "sessions": _upcoming_sessions(establishment)[:3],
            "breadcrumbs": _crumbs(establishment),
        },
    )


def _member_clubs(establishment):
    return HrClub.objects.filter(
        members__establishment=establishment, members__left_on__isnull=True, is_active=True
    ).order_by("name")


def _upcoming_sessions(establishment):
    return list(
        HrClubSession.objects.filter(
            club__in=_member_clubs(establishment), date__gte=timezone.localdate()
        )
        .select_related("club")
        .annotate(registered=Count("registrations"))
        .order_by("date", "title")
    )


@rule(portal_perms.leader, load=portal.leader_establishment)
def portal_needs(request, public_id, record):
    establishment = record
    form = LeaderNeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        account = portal.leader_accounts(request.user).filter(establishment=establishment).first()
        data = {**form.cleaned_data, "contact": account.contact if account else None}
        try:
            need = record_need(establishment, data=data, actor=Actor.from_request(request))
        except CompanyError as error:
            report(error, form=form)
        else:
            messages.success(
                request, f"Besoin enregistré : {need.subject}. Un conseiller vous recontactera."
            )
            return redirect("companies:portal_needs", public_id=public_id)
    needs = Need.objects.filter(establishment=establishment).select_related("subject")
    return render(
        request,
        T + "needs.html",
        {
            "establishment": establishment,
            "form": form,
            "needs": needs.order_by("-created_at"),
            "breadcrumbs": _crumbs(establishment, ("Besoins", None)),
        },
    )


def _leader_need(request, public_id, need_id, **_):
    establishment = portal.leader_establishment(request, public_id)
    need = get_object_or_404(
        Need.objects.select_related("subject"), establishment=establishment, public_id=need_id
    )
    return SimpleNamespace(establishment=establishment, need=need)


def _leads_need(membership, record):
    return record is not None


@rule(_leads_need, load=_leader_need)
def portal_need(request, public_id, need_id, record):
    establishment, need = record.establishment, record.need
    form = NeedDescriptionForm(request.POST or None, initial={"description": need.description})
    if request.method == "POST" and form.is_valid():
        portal_services.update_need_description(
            need, data=form.cleaned_data, actor=Actor.from_request(request)
        )
        messages.success(request, "Précisions enregistrées.")
        return redirect("companies:portal_needs", public_id=public_id)
    return render(
        request,
        T + "need.html",
        {
            "establishment": establishment,
            "need": need,
            "form": form,
            "breadcrumbs": _crumbs(
                establishment,
                ("Besoins", reverse("companies:portal_needs", args=[public_id])),
                (str(need.subject), None),
            ),
        },
    )


@rule(portal_perms.leader, load=portal.leader_establishment)
def portal_clubs(request, public_id, record):
    establishment = record
    member_clubs = list(_member_clubs(establishment))
    sessions = _upcoming_sessions(establishment)
    registrations = {
        (row.session_id, row.contact_id): row
        for row in HrClubRegistration.objects.filter(
            session__in=[s.pk for s in sessions], contact__establishment=establishment
        ).select_related("contact")
    }
    mine = {}
    for (session_id, _), row in registrations.items():
        mine.setdefault(session_id, []).append(row)
    resources = list(
        HrClubResource.objects.filter(club__in=member_clubs)
        .select_related("club")
        .order_by("club__name", "-created_at")
    )
    docs = documents.documents_of(resources)
    return render(
        request,
        T + "clubs.html",
        {
            "establishment": establishment,
            "clubs": member_clubs,
            "meetings": [m for ms in hooks.call(CLUB_MEETINGS, member_clubs).values() for m in ms],
            "sessions": [(s, mine.get(s.pk, [])) for s in sessions],
            "resources": [(r, docs.get(r.pk, [])) for r in resources],
            "form": RegistrationForm(establishment=establishment),
            "breadcrumbs": _crumbs(establishment, ("Clubs RH", None)),
        },
    )


@require_POST
@rule(portal_perms.leader_session_rule, load=portal_perms.leader_session)
def portal_session_register(request, public_id, session_id, record):
    establishment, session = record
    form = RegistrationForm(request.POST, establishment=establishment)
    if form.is_valid():
        try:
            clubs.register(session, data=form.cleaned_data, actor=Actor.from_request(request))
        except clubs.ClubError as error:
            report(error, request=request)
        else:
            messages.success(request, f"Inscription enregistrée : {session}.")
    else:
        messages.error(request, "Choisissez qui participera.")
    return redirect("companies:portal_clubs", public_id=public_id)


@require_POST
@rule(portal_perms.leader_session_rule, load=portal_perms.leader_session)
def portal_session_unregister(request, public_id, session_id, record):
    establishment, session = record
    registration = get_object_or_404(
        HrClubRegistration,
        session=session,
        contact__establishment=establishment,
        pk=request.POST.get("inscription")
        if str(request.POST.get("inscription", "")).isdigit()
        else None,
    )
    try:
        clubs.unregister(registration, actor=Actor.from_request(request))
    except clubs.ClubError as error:
        report(error, request=request)
    else:
        messages.success(request, "Inscription annulée.")
    return redirect("companies:portal_clubs", public_id=public_id)


@require_GET
@rule(portal_perms.leader, load=portal.leader_establishment)
def portal_picker(request, public_id, record):
    """The job-title proposals of the portal's forms (the socle's endpoint wants a structure)."""
    return picker_options_response(request, get_picker("appellation"))


# --- Accepting an invitation (public: the secret in the link is the proof) ------------------


@public
def portal_accept(request, token):
    invitation = portal_invitations.pending_invitation(token)
    if invitation is None:
        return render(request, T + "invitation_invalid.html", status=410)
    account = get_user_model().objects.filter(email__iexact=invitation.email).first()
    probe = SimpleNamespace(
        email=invitation.email,
        first_name=invitation.contact.first_name,
        last_name=invitation.contact.last_name,
    )
    context = {"invitation": invitation, "existing_account": account}
    if account is not None:
        if not request.user.is_authenticated:
            messages.info(request, "Vous avez déjà un compte : connectez-vous pour accepter.")
            return redirect(f"{reverse('account_login')}?next={request.path}")
        context["wrong_account"] = request.user.pk != account.pk
        if request.method == "POST" and not context["wrong_account"]:
            try:
                portal_invitations.accept(invitation, user=request.user)
            except portal_invitations.LeaderInvitationError as error:
                report(error, request=request)
                return redirect("core:home")
            messages.success(request, f"Vous accédez au portail de {invitation.establishment}.")
            return redirect(
                "companies:portal_company", public_id=invitation.establishment.public_id
            )
        return render(request, T + "accept.html", context)
    form = SetPasswordForm(request.POST or None, invitation=probe)
    if request.method == "POST" and form.is_valid():
        try:
            user = portal_invitations.accept(invitation, password=form.cleaned_data["password1"])
        except portal_invitations.LeaderInvitationError as error:
            report(error, request=request)
            return redirect("account_login")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request, f"Bienvenue ! Vous accédez au portail de {invitation.establishment}."
        )
        return redirect("companies:portal_company", public_id=invitation.establishment.public_id)
    return render(request, T + "accept.html", {**context, "form": form})


# --- Officers: a company's leader accounts and invitations ------------------------------------


@rule(portal_perms.may_manage_leaders, load=portal_perms.establishment_record)
def leaders(request, public_id, record):
    establishment = record
    form = InviteLeaderForm(request.POST or None, establishment=establishment)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _ = portal_invitations.invite_leader(
                establishment,
                data=form.cleaned_data,
                actor=Actor.from_request(request),
                accept_url_for=lambda token: request.build_absolute_uri(
                    reverse("companies:portal_accept", args=[token])
                ),
            )
        except portal_invitations.LeaderInvitationError as error:
            report(error, form=form, field="contact")
        else:
            messages.success(request, f"Invitation envoyée à {invitation.email}.")
            return redirect("companies:leaders", public_id=public_id)
    return render(
        request,
        T + "leaders.html",
        {
            "establishment": establishment,
            "form": form,
            "accounts": LeaderAccount.objects.filter(establishment=establishment)
            .select_related("user", "contact")
            .order_by("-is_active", "user__last_name"),
            "invitations": LeaderInvitation.objects.filter(establishment=establishment)
            .select_related("contact", "invited_by")
            .order_by("-created_at"),
            "now": timezone.now(),
            "breadcrumbs": [
                (establishment.display_name, company_page(establishment)),
                ("Accès dirigeants", None),
            ],
        },
    )


@rule(portal_perms.may_manage_leaders, load=portal_perms.establishment_record)
def leader_deactivate(request, public_id, record, account_id):
    account = get_object_or_404(LeaderAccount, establishment=record, public_id=account_id)
    if request.method != "POST":  # posted from the leaders' page: asked in GET, show it
        return redirect("companies:leaders", public_id=public_id)
    try:
        portal_invitations.deactivate(account, actor=Actor.from_request(request))
    except portal_invitations.LeaderInvitationError as error:
        report(error, request=request)
    else:
        messages.success(request, f"L'accès de {account.user} est désactivé.")
    return redirect("companies:leaders", public_id=public_id)


@rule(portal_perms.may_manage_leaders, load=portal_perms.establishment_record)
def leader_invitation_revoke(request, public_id, record, invitation_id):
    invitation = get_object_or_404(LeaderInvitation, establishment=record, public_id=invitation_id)
    if request.method != "POST":
        return redirect("companies:leaders", public_id=public_id)
    try:
        portal_invitations.revoke_invitation(invitation, actor=Actor.from_request(request))
    except portal_invitations.LeaderInvitationError as error:
        report(error, request=request)
    else:
        messages.success(request, f"L'invitation de {invitation.email} est annulée.")
    return redirect("companies:leaders", public_id=public_id)
