"""Pages of the accompaniment: the caseload and its export, then one accompaniment's pages
(summary, team, transfer, diagnosis, project, plan, exit, follow-up)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tisserand.accompaniment import export, perms, selectors, services
from tisserand.accompaniment.caseload import CONTACT_CHOICES, QPV_CHOICES, Caseload
from tisserand.accompaniment.forms import (
    ActionForm,
    DiagnosisForm,
    ExitForm,
    FollowUpForm,
    ObjectiveForm,
    ObjectiveStatusForm,
    OpenAccompanimentForm,
    ProjectForm,
    TeamMemberForm,
    TransferForm,
)
from tisserand.accompaniment.models import (
    Objective,
    PlanAction,
    ProfessionalProject,
    SixMonthFollowUp,
    SuggestedAction,
)
from tisserand.accompaniment.services import AccompanimentError
from tisserand.core import timeline
from tisserand.core.access_log import log_record_access
from tisserand.core.actor import Actor
from tisserand.core.breadcrumbs import trail
from tisserand.core.feedback import report
from tisserand.core.forms import model_values
from tisserand.core.permissions import rule
from tisserand.people import perms as people_perms
from tisserand.people.breadcrumbs import person_step
from tisserand.people.models import FollowUpMember
from tisserand.referentials.vocabularies import api as vocabularies

# --- Caseload ---------------------------------------------------------------------------------


@rule(perms.can_use_caseload)
def caseload(request):
    view = Caseload(request.membership, request.GET)
    filters = view.filters
    counts = view.counts()
    partial = request.htmx and not request.htmx.history_restore_request
    return render(
        request,
        "accompaniment/_caseload_results.html" if partial else "accompaniment/caseload.html",
        {
            "caseload": view,
            "filters": filters,
            "counts": counts,
            "alert_figures": [
                (label, count, urlencode(filters.as_query(alerte=key)))
                for key, label, count in counts["alerts"]
            ],
            "page_obj": view.page(request.GET.get("page"), count=counts["shown"]),
            "qpv_choices": QPV_CHOICES,
            "contact_choices": CONTACT_CHOICES,
            "alert_choices": view.alerts,
            "headers": _headers(view),
            "export_query": urlencode(filters.as_query()),
            "breadcrumbs": [("File active", None)],
        },
    )


def _headers(view):
    """The table's column headers: (label, query string to sort by it or None, aria-sort)."""
    filters = view.filters
    keys = ["nom", "programme", "referent", "entree", "contact", None, None, None]
    labels = ["Personne", "Programme", "Référent", "Entrée", "Dernier contact", "QPV"]
    labels += ["Sortie et suivi", "Alertes"]
    headers = []
    for key, label in zip(keys, labels, strict=True):
        if key == "referent" and not view.sees_structure:
            continue
        if key is None:
            headers.append((label, None, ""))
            continue
        current = filters.sort == key
        descending = current and not filters.descending
        aria = ("descending" if filters.descending else "ascending") if current else ""
        query = urlencode(filters.as_query(tri=("-" if descending else "") + key, page=""))
        headers.append((label, query, aria))
    return headers


@rule(perms.can_use_caseload)
def caseload_export(request):
    view = Caseload(request.membership, request.GET)
    content = export.caseload_workbook(view)
    response = HttpResponse(content, content_type=export.XLSX_CONTENT_TYPE)
    filename = f"file-active-{timezone.localdate():%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Helpers ----------------------------------------------------------------------------------


def _crumbs(accompaniment, *steps):
    return trail(
        person_step(accompaniment.person),
        (
            f"Accompagnement {accompaniment.programme}",
            reverse("accompaniment:detail", args=[accompaniment.public_id]),
        ),
        *steps,
    )


def _to_detail(accompaniment, anchor=""):
    url = reverse("accompaniment:detail", args=[accompaniment.public_id])
    return redirect(url + (f"#{anchor}" if anchor else ""))


def _log_opening(request, accompaniment):
    """The accompaniment pages are part of the person's record: each opening is logged."""
    person = accompaniment.person
    log_record_access(request, person, owner_structure=person.owner_structure)


# --- Opening ----------------------------------------------------------------------------------


@rule(perms.may_open, load=people_perms.person_of)
def open_accompaniment(request, person_id, record):
    person = record.record
    today = timezone.localdate()
    form = OpenAccompanimentForm(
        request.POST or None,
        membership=request.membership,
        initial_esf={"employment_status": services.employment_status_of(person, today)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            accompaniment = services.open_accompaniment(
                person,
                programme=data["programme"],
                referent=data["referent"],
                entry_date=data["entry_date"],
                planned_end_date=data["planned_end_date"],
                esf=form.esf_values(),
                actor=Actor.from_request(request),
            )
        except AccompanimentError as error:
            report(error, form=form, field="programme")
        else:
            messages.success(request, f"{person} entre dans le programme « {data['programme']} ».")
            return _to_detail(accompaniment)
    return render(
        request,
        "accompaniment/open.html",
        {
            "person": person,
            "form": form,
            "breadcrumbs": trail(person_step(person), ("Nouvel accompagnement", None)),
        },
    )


# --- Summary ----------------------------------------------------------------------------------


@rule(perms.may_view, load=perms.accompaniment_record)
def detail(request, public_id, record):
    accompaniment, access = record.accompaniment, record.access
    membership, person = request.membership, accompaniment.person
    _log_opening(request, accompaniment)
    themes = vocabularies.labels(vocabularies.BARRIER_THEME)
    diagnosis = services.current_diagnosis(accompaniment.barrier_assessments.all())
    can_manage = perms.can_manage(membership, accompaniment, access)
    context = {
        "accompaniment": accompaniment,
        "person": person,
        "can_edit": can_manage and accompaniment.is_open,
        "can_record_follow_up": can_manage and not accompaniment.is_open,
        "sees_team": access.sees_whole,
        "team": selectors.team_of(accompaniment) if access.sees_whole else [],
        "transfers": accompaniment.transfers.select_related(
            "from_structure", "to_structure", "from_referent", "to_referent"
        ),
        "diagnosis_rows": [(label, diagnosis.get(code)) for code, label in _theme_order(themes)],
        "project": _project(accompaniment),
        "objectives": _objectives(accompaniment),
        "labels": _labels(),
        "sees_exits": perms.can_view_exits(membership, person, access),
        "follow_up": getattr(accompaniment, "six_month_follow_up", None),
        "esf_records": list(accompaniment.esf_records.all())
        if perms.can_view_esf_data(membership, person, access)
        else None,
        "events": timeline.events_for(accompaniment)[:20],
        "breadcrumbs": _crumbs(accompaniment),
    }
    return render(request, "accompaniment/detail.html", context)


def _theme_order(themes):
    order = [term.code for term in vocabularies.terms(vocabularies.BARRIER_THEME)]
    return [(code, themes[code]) for code in order if code in themes]


def _labels():
    return {
        "themes": vocabularies.labels(vocabularies.BARRIER_THEME),
        "actions": vocabularies.labels(vocabularies.ACTION_TYPE),
        "exits": vocabularies.labels(vocabularies.EXIT_TYPE),
        "contracts": vocabularies.labels(vocabularies.CONTRACT_TYPE),
    }


def _project(accompaniment):
    return (
        ProfessionalProject.objects.filter(accompaniment=accompaniment)
        .prefetch_related("target_appellations__fiche")
        .first()
    )


def _objectives(accompaniment):
    actions = PlanAction.objects.select_related("partner_structure")
    return list(accompaniment.objectives.prefetch_related(Prefetch("actions", queryset=actions)))


# --- Team and transfer ------------------------------------------------------------------------


@rule(perms.may_edit, load=perms.accompaniment_record)
def team(request, public_id, record):
    accompaniment = record.accompaniment
    form = TeamMemberForm(request.POST or None, accompaniment=accompaniment)
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["member"]
        try:
            services.add_team_member(
                accompaniment,
                user=member.user,
                structure=member.structure,
                role=form.role_for(accompaniment),
                actor=Actor.from_request(request),
            )
        except AccompanimentError as error:
            report(error, form=form, field="member")
        else:
            messages.success(request, f"{member.user.get_full_name()} rejoint le suivi.")
            return redirect("accompaniment:team", public_id=accompaniment.public_id)
    return render(
        request,
        "accompaniment/team.html",
        {
            "accompaniment": accompaniment,
            "form": form,
            "team": selectors.team_of(accompaniment),
            "breadcrumbs": _crumbs(accompaniment, ("Équipe de suivi", None)),
        },
    )


@require_POST
@rule(perms.may_edit, load=perms.accompaniment_record)
def team_remove(request, public_id, member_id, record):
    accompaniment = record.accompaniment
    member = get_object_or_404(
        FollowUpMember.objects.select_related("user", "structure"),
        pk=member_id,
        person=accompaniment.person,
        is_active=True,
    )
    try:
        services.remove_team_member(accompaniment, member, actor=Actor.from_request(request))
    except AccompanimentError as error:
        report(error, request=request)
    else:
        messages.success(request, f"{member.user.get_full_name()} quitte le suivi.")
    return redirect("accompaniment:team", public_id=accompaniment.public_id)


@rule(perms.may_edit, load=perms.accompaniment_record)
def transfer(request, public_id, record):
    accompaniment = record.accompaniment
    form = TransferForm(request.POST or None, accompaniment=accompaniment)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["new_referent"]
        try:
            services.transfer(
                accompaniment,
                to_referent=target.user,
                to_structure=target.structure,
                transferred_on=form.cleaned_data["transferred_on"],
                reason=form.cleaned_data["reason"],
                actor=Actor.from_request(request),
            )
        except AccompanimentError as error:
            report(error, form=form, field="new_referent")
        else:
            messages.success(
                request,
                f"Accompagnement transféré à {target.user.get_full_name()} ({target.structure}).",
            )
            if perms.can_view_accompaniments(request.membership, accompaniment.person):
                return _to_detail(accompaniment)
            return redirect("accompaniment:caseload")
    return render(
        request,
        "accompaniment/transfer.html",
        {
            "accompaniment": accompaniment,
            "form": form,
            "breadcrumbs": _crumbs(accompaniment, ("Transférer", None)),
        },
    )


# --- Diagnosis --------------------------------------------------------------------------------


@rule(perms.may_view_or_edit_when_changing, load=perms.accompaniment_record)
def diagnosis(request, public_id, record):
    accompaniment = record.accompaniment
    can_edit = perms.may_edit(request.membership, record)
    _log_opening(request, accompaniment)
    assessments = list(accompaniment.barrier_assessments.select_related("recorded_by"))
    current = services.current_diagnosis(assessments)
    form = None
    if can_edit:
        form = DiagnosisForm(request.POST or None, accompaniment=accompaniment, current=current)
        if request.method == "POST" and form.is_valid():
            try:
                created = services.revise_diagnosis(
                    accompaniment,
                    form.entries(),
                    assessed_on=form.cleaned_data["assessed_on"],
                    actor=Actor.from_request(request),
                )
            except AccompanimentError as error:
                report(error, form=form)
            else:
                messages.success(
                    request,
                    f"Diagnostic enregistré ({len(created)} thématique(s) mise(s) à jour)."
                    if created
                    else "Aucun changement dans le diagnostic.",
                )
                return _to_detail(accompaniment, "diagnostic")
    themes = vocabularies.labels(vocabularies.BARRIER_THEME)
    return render(
        request,
        "accompaniment/diagnosis.html",
        {
            "accompaniment": accompaniment,
            "form": form,
            "history": [(themes.get(a.theme, a.theme), a) for a in assessments],
            "breadcrumbs": _crumbs(accompaniment, ("Diagnostic", None)),
        },
    )


# --- Professional project ---------------------------------------------------------------------


@rule(perms.may_edit, load=perms.accompaniment_record)
def project(request, public_id, record):
    accompaniment = record.accompaniment
    instance = services.project_of(accompaniment)
    form = ProjectForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.update_project(
            instance,
            data=model_values(form),
            add_appellation=form.cleaned_data["add_appellation"],
            remove_appellations=form.removed_ids(),
            actor=Actor.from_request(request),
        )
        messages.success(request, "Projet professionnel enregistré.")
        if form.cleaned_data["add_appellation"] is not None:
            return redirect("accompaniment:project", public_id=accompaniment.public_id)
        return _to_detail(accompaniment, "projet")
    return render(
        request,
        "accompaniment/project.html",
        {
            "accompaniment": accompaniment,
            "form": form,
            "breadcrumbs": _crumbs(accompaniment, ("Projet professionnel", None)),
        },
    )


# --- Plan -------------------------------------------------------------------------------------


@rule(perms.may_view_or_edit_when_changing, load=perms.accompaniment_record)
def plan(request, public_id, record):
    accompaniment = record.accompaniment
    can_edit = perms.may_edit(request.membership, record)
    _log_opening(request, accompaniment)
    form = ObjectiveForm(request.POST or None) if can_edit else None
    if request.method == "POST" and form.is_valid():
        objective = services.add_objective(
            accompaniment, **form.cleaned_data, actor=Actor.from_request(request)
        )
        messages.success(request, f"Objectif ajouté : {objective.label}.")
        return redirect("accompaniment:plan", public_id=accompaniment.public_id)
    objectives = _objectives(accompaniment)
    suggestions = _suggestions({o.theme for o in objectives})
    return render(
        request,
        "accompaniment/plan.html",
        {
            "accompaniment": accompaniment,
            "form": form,
            "can_edit": can_edit,
            "objectives": [(o, suggestions.get(o.theme, [])) for o in objectives],
            "labels": _labels(),
            "status_form": ObjectiveStatusForm(),
            "breadcrumbs": _crumbs(accompaniment, ("Plan d'action", None)),
        },
    )


def _suggestions(themes):
    grouped = {}
    for suggestion in SuggestedAction.objects.filter(theme__in=themes):
        grouped.setdefault(suggestion.theme, []).append(suggestion)
    return grouped


def _objective(accompaniment, objective_id):
    return get_object_or_404(Objective, public_id=objective_id, accompaniment=accompaniment)


@require_POST
@rule(perms.may_edit, load=perms.accompaniment_record)
def objective_status(request, public_id, objective_id, record):
    accompaniment = record.accompaniment
    objective = _objective(accompaniment, objective_id)
    form = ObjectiveStatusForm(request.POST)
    if form.is_valid():
        services.set_objective_status(
            objective, form.cleaned_data["status"], actor=Actor.from_request(request)
        )
        messages.success(
            request, f"Objectif « {objective.label} » : {objective.get_status_display().lower()}."
        )
    return redirect("accompaniment:plan", public_id=accompaniment.public_id)


@rule(perms.may_edit, load=perms.accompaniment_record)
def action_create(request, public_id, objective_id, record):
    accompaniment = record.accompaniment
    objective = _objective(accompaniment, objective_id)
    initial = _suggested_initial(objective, request.GET.get("suggestion"))
    form = ActionForm(
        request.POST or None,
        instance=PlanAction(objective=objective),
        initial=initial,
        accompaniment=accompaniment,
    )
    if request.method == "POST" and form.is_valid():
        try:
            action = services.add_action(
                objective, form.save(commit=False), actor=Actor.from_request(request)
            )
        except AccompanimentError as error:
            report(error, form=form)
        else:
            messages.success(request, f"Action ajoutée au plan : {action.label}.")
            return redirect("accompaniment:plan", public_id=accompaniment.public_id)
    return _action_page(request, accompaniment, objective, form, "Nouvelle action")


def _suggested_initial(objective, suggestion_id):
    if not (suggestion_id or "").isdigit():
        return {}
    suggestion = SuggestedAction.objects.filter(pk=suggestion_id, theme=objective.theme).first()
    if suggestion is None:
        return {}
    return {"action_type": suggestion.action_type, "label": suggestion.label}


@rule(perms.may_edit, load=perms.accompaniment_record)
def action_edit(request, public_id, action_id, record):
    accompaniment = record.accompaniment
    action = get_object_or_404(
        PlanAction.objects.select_related("objective"),
        public_id=action_id,
        objective__accompaniment=accompaniment,
    )
    form = ActionForm(request.POST or None, instance=action, accompaniment=accompaniment)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_action(
                action, data=model_values(form), actor=Actor.from_request(request)
            )
        except AccompanimentError as error:
            report(error, form=form)
        else:
            messages.success(request, f"Action enregistrée : {action.label}.")
            return redirect("accompaniment:plan", public_id=accompaniment.public_id)
    return _action_page(request, accompaniment, action.objective, form, "Modifier l'action")


def _action_page(request, accompaniment, objective, form, title):
    return render(
        request,
        "accompaniment/action_form.html",
        {
            "accompaniment": accompaniment,
            "objective": objective,
            "theme_label": vocabularies.labels(vocabularies.BARRIER_THEME).get(objective.theme),
            "form": form,
            "title": title,
            "breadcrumbs": _crumbs(
                accompaniment,
                ("Plan d'action", reverse("accompaniment:plan", args=[accompaniment.public_id])),
                (title, None),
            ),
        },
    )


# --- Exit and follow-up -----------------------------------------------------------------------


@rule(perms.may_edit, load=perms.accompaniment_record)
def record_exit(request, public_id, record):
    accompaniment = record.accompaniment
    form = ExitForm(request.POST or None, request.FILES or None, accompaniment=accompaniment)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            follow_up = services.record_exit(
                accompaniment,
                exit_date=data["exit_date"],
                exit_type=data["exit_type"],
                contract_type=data["contract_type"],
                employer=data["employer"],
                comment=data["comment"],
                gained_qualification=data["gained_qualification"],
                keep_appointments=data.get("keep_appointments", ()),
                proof=data["proof"],
                actor=Actor.from_request(request),
            )
        except AccompanimentError as error:
            report(error, form=form)
        else:
            messages.success(request, _exit_message(follow_up))
            return _to_detail(accompaniment, "sortie")
    return render(
        request,
        "accompaniment/exit.html",
        {
            "accompaniment": accompaniment,
            "form": form,
            "breadcrumbs": _crumbs(accompaniment, ("Sortie", None)),
        },
    )


def _exit_message(follow_up):
    message = f"Sortie enregistrée. Suivi à 6 mois prévu le {follow_up.due_on:%d/%m/%Y}."
    cancelled = follow_up.cancelled_appointments
    if cancelled:
        message += f" {cancelled} rendez-vous à venir annulé{'s' if cancelled > 1 else ''}."
    return message


@rule(perms.may_record_follow_up, load=perms.accompaniment_record)
def follow_up(request, public_id, record):
    accompaniment = record.accompaniment
    scheduled = get_object_or_404(SixMonthFollowUp, accompaniment=accompaniment)
    if scheduled.is_recorded:
        messages.info(request, "Le suivi à 6 mois est déjà enregistré.")
        return _to_detail(accompaniment, "sortie")
    form = FollowUpForm(
        request.POST or None,
        request.FILES or None,
        accompaniment=accompaniment,
        follow_up=scheduled,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_follow_up(
                scheduled,
                contacted_on=data["contacted_on"],
                situation=data["situation"],
                contract_type=data["contract_type"],
                employer=data["employer"],
                comment=data["comment"],
                proof=data["proof"],
                actor=Actor.from_request(request),
            )
        except AccompanimentError as error:
            report(error, form=form)
        else:
            messages.success(request, "Suivi à 6 mois enregistré.")
            return _to_detail(accompaniment, "sortie")
    return render(
        request,
        "accompaniment/follow_up.html",
        {
            "accompaniment": accompaniment,
            "follow_up": scheduled,
            "window_not_open": timezone.localdate() < scheduled.window_opens_on,
            "window_closed": timezone.localdate() > scheduled.window_closes_on,
            "form": form,
            "breadcrumbs": _crumbs(accompaniment, ("Suivi à 6 mois", None)),
        },
    )
