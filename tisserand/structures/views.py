from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tisserand.core.actor import Actor
from tisserand.core.feedback import report
from tisserand.core.forms import model_values
from tisserand.core.permissions import any_user, ensure, public, rule
from tisserand.core.timeline import events_for
from tisserand.structures import perms, services
from tisserand.structures.access_log import (
    XLSX_CONTENT_TYPE,
    AccessLogFilters,
    visits_workbook,
)
from tisserand.structures.forms import InvitationForm, SetPasswordForm, StructureForm
from tisserand.structures.middleware import SESSION_KEY
from tisserand.structures.models import Invitation, Membership, Structure, StructureKind

PAGE_SIZE = 25


def _structure(public_id):
    return get_object_or_404(Structure, public_id=public_id, is_active=True)


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@rule(perms.can_browse_directory)
def directory(request):
    structures = Structure.objects.filter(is_active=True)
    kind = request.GET.get("type", "")
    query = request.GET.get("q", "").strip()
    if kind in StructureKind.values:
        structures = structures.filter(kind=kind)
    if query:
        structures = structures.filter(Q(name__icontains=query) | Q(commune_name__icontains=query))
    return render(
        request,
        "structures/directory.html",
        {
            "page_obj": _page(request, structures),
            "kinds": StructureKind.choices,
            "selected_kind": kind,
            "query": query,
            "breadcrumbs": [("Annuaire du réseau", None)],
        },
    )


@rule(perms.can_browse_directory)
def detail(request, public_id):
    structure = _structure(public_id)
    membership = request.membership
    show_history = perms.can_view_structure_history(membership, structure)
    return render(
        request,
        "structures/detail.html",
        {
            "structure": structure,
            "can_edit": perms.can_edit_structure(membership, structure),
            "can_view_members": perms.can_view_members(membership, structure),
            "can_read_access_log": perms.can_read_access_log(membership, structure),
            "events": events_for(structure)[:50] if show_history else None,
            "breadcrumbs": [
                ("Annuaire du réseau", reverse("structures:directory")),
                (structure.name, None),
            ],
        },
    )


@rule(perms.can_manage_own_members)
def edit(request, public_id):
    structure = _structure(public_id)
    ensure(perms.can_edit_structure(request.membership, structure))
    form = StructureForm(request.POST or None, instance=structure)
    if request.method == "POST" and form.is_valid():
        services.update_structure(
            structure, data=model_values(form), actor=Actor.from_request(request)
        )
        messages.success(request, "Les informations de la structure sont enregistrées.")
        return redirect("structures:detail", public_id=structure.public_id)
    return render(
        request,
        "structures/edit.html",
        {
            "structure": structure,
            "form": form,
            "breadcrumbs": [
                (structure.name, reverse("structures:detail", args=[public_id])),
                ("Modifier", None),
            ],
        },
    )


@rule(perms.can_see_own_members)
def members(request, public_id):
    structure = _structure(public_id)
    ensure(perms.can_view_members(request.membership, structure))
    status = request.GET.get("statut", "actifs")
    memberships = Membership.objects.filter(structure=structure).select_related("user")
    memberships = memberships.filter(is_active=status != "desactives")
    can_manage = perms.can_manage_members(request.membership, structure)
    invitations = (
        [i for i in structure.invitations.select_related("invited_by") if i.is_pending]
        if can_manage
        else []
    )
    counts = Membership.objects.filter(structure=structure).aggregate(
        active=Count("pk", filter=Q(is_active=True)),
        inactive=Count("pk", filter=Q(is_active=False)),
    )
    return render(
        request,
        "structures/members.html",
        {
            "structure": structure,
            "page_obj": _page(request, memberships.order_by("user__last_name", "user__first_name")),
            "status": status,
            "counts": counts,
            "can_manage": can_manage,
            "invitations": invitations,
            "breadcrumbs": [
                (structure.name, reverse("structures:detail", args=[public_id])),
                ("Membres", None),
            ],
        },
    )


@rule(perms.can_manage_own_members)
def invite(request, public_id):
    structure = _structure(public_id)
    ensure(perms.can_manage_members(request.membership, structure))
    form = InvitationForm(request.POST or None, structure=structure)
    if request.method == "POST" and form.is_valid():
        invitation = services.invite_member(
            structure,
            data=form.cleaned_data,
            actor=Actor.from_request(request),
            accept_url_for=lambda inv: request.build_absolute_uri(
                reverse("structures:accept_invitation", args=[inv.token])
            ),
        )
        messages.success(request, f"Invitation envoyée à {invitation.email}.")
        return redirect("structures:members", public_id=structure.public_id)
    return render(
        request,
        "structures/invite.html",
        {
            "structure": structure,
            "form": form,
            "breadcrumbs": [
                (structure.name, reverse("structures:detail", args=[public_id])),
                ("Membres", reverse("structures:members", args=[public_id])),
                ("Inviter", None),
            ],
        },
    )


@require_POST
@rule(perms.can_manage_own_members)
def revoke_invitation(request, public_id, invitation_id):
    structure = _structure(public_id)
    ensure(perms.can_manage_members(request.membership, structure))
    invitation = get_object_or_404(Invitation, public_id=invitation_id, structure=structure)
    services.revoke_invitation(invitation, actor=Actor.from_request(request))
    messages.success(request, f"L'invitation de {invitation.email} est annulée.")
    return redirect("structures:members", public_id=structure.public_id)


@require_POST
@rule(perms.can_manage_own_members)
def deactivate(request, public_id, membership_id):
    structure = _structure(public_id)
    target = get_object_or_404(
        Membership.objects.select_related("user", "structure"),
        public_id=membership_id,
        structure=structure,
        is_active=True,
    )
    ensure(perms.can_deactivate_membership(request.membership, target))
    services.deactivate_membership(target, actor=Actor.from_request(request))
    messages.success(request, f"L'accès de {target.user} à {structure} est désactivé.")
    return redirect("structures:members", public_id=structure.public_id)


@rule(perms.can_read_own_access_log)
def access_log(request, public_id):
    structure = _structure(public_id)
    ensure(perms.can_read_access_log(request.membership, structure))
    filters = AccessLogFilters(request.GET or None, structure=structure)
    visits = filters.visits()
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "structures/access_log.html",
        {
            "structure": structure,
            "filters": filters,
            "page_obj": _page(request, visits),
            "query": query.urlencode(),
            "breadcrumbs": [
                (structure.name, reverse("structures:detail", args=[public_id])),
                ("Journal des accès", None),
            ],
        },
    )


@rule(perms.can_read_own_access_log)
def access_log_export(request, public_id):
    structure = _structure(public_id)
    ensure(perms.can_read_access_log(request.membership, structure))
    filters = AccessLogFilters(request.GET or None, structure=structure)
    visits = filters.visits()
    response = HttpResponse(visits_workbook(visits), content_type=XLSX_CONTENT_TYPE)
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="journal-des-acces-{day}.xlsx"'
    return response


@require_POST
@rule(any_user)
def switch(request):
    chosen = request.POST.get("membership", "")
    membership = next((m for m in request.memberships if str(m.public_id) == chosen), None)
    if membership is None:
        messages.error(request, "Cette structure ne fait pas partie des vôtres.")
    else:
        request.session[SESSION_KEY] = str(membership.public_id)
        messages.success(request, f"Vous agissez maintenant pour {membership.structure}.")
    return redirect("core:home")


@public
def accept_invitation(request, token):
    invitation = Invitation.objects.select_related("structure").filter(token=token).first()
    if invitation is None or not invitation.is_pending:
        return render(request, "structures/invitation_invalid.html", status=410)
    account = get_user_model().objects.filter(email__iexact=invitation.email).first()
    if account is not None:
        return _accept_with_existing_account(request, invitation, account)
    form = SetPasswordForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(invitation, password=form.cleaned_data["password1"])
        except services.InvitationError as error:
            report(error, request=request)
            return redirect("account_login")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Bienvenue ! Vous avez rejoint {invitation.structure}.")
        return redirect("core:home")
    return render(
        request,
        "structures/accept_invitation.html",
        {
            "invitation": invitation,
            "form": form,
        },
    )


def _accept_with_existing_account(request, invitation, account):
    if not request.user.is_authenticated:
        messages.info(
            request,
            "Vous avez déjà un compte : connectez-vous pour accepter l'invitation.",
        )
        return redirect(f"{reverse('account_login')}?next={request.path}")
    if request.method == "POST":
        try:
            services.accept_invitation(invitation, user=request.user)
        except services.InvitationError as error:
            report(error, request=request)
            return redirect("core:home")
        messages.success(request, f"Vous avez rejoint {invitation.structure}.")
        return redirect("core:home")
    return render(
        request,
        "structures/accept_invitation.html",
        {
            "invitation": invitation,
            "existing_account": account,
            "wrong_account": request.user.pk != account.pk,
        },
    )
