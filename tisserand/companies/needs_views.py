"""The needs' pages: the inbox of my structure, recording a need on a company, a need's page
(assignments, statuses, history), routing with the suggestion, the answers of an assigned
structure; the satisfaction figures and the leader's answer page; each structure's routing
rules; the catalogue of subjects (Paramétrage)."""

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from tisserand.companies import hooks, need_catalogue, needs, needs_perms, routing, satisfaction
from tisserand.companies.models import Need, NeedAssignment, NeedSubject, RoutingRule
from tisserand.companies.relations_forms import (
    AnswerForm,
    InboxFilterForm,
    NeedForm,
    NeedSubjectForm,
    RouteForm,
    RoutingRuleForm,
    SatisfactionForm,
)
from tisserand.companies.relations_urls import company_url
from tisserand.companies.services import CompanyError
from tisserand.core import timeline
from tisserand.core.actor import Actor
from tisserand.core.breadcrumbs import trail
from tisserand.core.feedback import report
from tisserand.core.forms import model_values
from tisserand.core.permissions import public, rule

INBOX = ("Besoins des entreprises", None)
PAGE_SIZE = 25


def _inbox_crumb():
    return ("Besoins des entreprises", reverse("companies:needs_inbox"))


# --- Inbox -------------------------------------------------------------------------------------


def inbox_ids(membership, filters=None, now=None):
    """The ids of the needs ``membership`` sees, filtered, newest first (the rule of
    ``needs_perms.visible_needs`` and the status rule of ``needs.filter_status``, both as
    uncorrelated subqueries)."""
    filters = filters or {}
    now = now or timezone.now()
    rows = needs_perms.visible_needs(membership)
    if filters.get("status"):
        rows = needs.filter_status(rows, filters["status"])
    if filters.get("subject"):
        rows = rows.filter(subject=filters["subject"])
    if filters.get("age"):
        rows = rows.filter(created_at__lte=now - timedelta(days=int(filters["age"])))
    return rows.order_by("-created_at", "-pk").values_list("pk", flat=True)


def inbox_page_rows(ids):
    """The needs of one page (``ids`` in order), with what a row shows: a fixed number of
    queries (the page's needs, their assignments with their structures)."""
    ids = list(ids)
    rows = (
        Need.objects.filter(pk__in=ids)
        .select_related("establishment__legal_unit", "subject")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=NeedAssignment.objects.select_related("structure").order_by(
                    "assigned_at", "pk"
                ),
            )
        )
    )
    by_id = {need.pk: need for need in rows}
    ordered = [by_id[pk] for pk in ids if pk in by_id]
    for need in ordered:
        # The status from the prefetched assignments: the rule in Python, no subquery.
        need.computed_status = needs.status_of(need).value
        need.status_label = needs.status_label(need.computed_status)
    return ordered


@require_GET
@rule(needs_perms.may_open_inbox)
def inbox(request):
    membership = request.membership
    form = InboxFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(inbox_ids(membership, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = inbox_page_rows(page.object_list)
    return render(
        request,
        "companies/needs/inbox.html",
        {
            "form": form,
            "page_obj": page,
            "needs": rows,
            "manages": needs_perms.manages_companies(membership),
            "reads_figures": needs_perms.may_read_figures(membership),
            "breadcrumbs": trail(INBOX),
        },
    )


# --- One need ----------------------------------------------------------------------------------


def _need_context(request, need, **more):
    membership = request.membership
    assignments = list(
        need.assignments.select_related("structure", "user", "assigned_by").order_by(
            "assigned_at", "pk"
        )
    )
    status = needs.need_status(a.status for a in assignments)
    for assignment in assignments:
        assignment.answerable = needs_perms.may_answer(membership, assignment)
        assignment.choices = [
            (code, label)
            for code, label in AnswerForm.base_fields["status"].choices
            if code in needs.ALLOWED_CHANGES[assignment.status]
        ]
    actions = (
        hooks.hooks.call(hooks.RECRUITMENT_NEED_ACTIONS, need, membership)
        if need.is_recruitment
        else []
    )
    establishment = need.establishment
    return {
        "need": need,
        "establishment": establishment,
        "company_url": company_url(establishment),
        "assignments": assignments,
        "status": status,
        "status_label": status.label,
        "may_route": needs_perms.may_route(membership, need),
        "recruitment_actions": actions,
        "events": timeline.events_for(need)[:30],
        "breadcrumbs": trail(_inbox_crumb(), (str(need.subject), None)),
        **more,
    }


@require_GET
@rule(needs_perms.may_view_need, load=needs_perms.need_record)
def need_detail(request, public_id, record):
    return render(request, "companies/needs/detail.html", _need_context(request, record))


@rule(needs_perms.may_record_need, load=needs_perms.company)
def need_create(request, public_id, record):
    form = NeedForm(request.POST or None, establishment=record)
    if request.method == "POST" and form.is_valid():
        try:
            need = needs.record_need(
                record, data=model_values(form), actor=Actor.from_request(request)
            )
        except CompanyError as error:
            report(error, form=form)
        else:
            messages.success(request, "Besoin enregistré : orientez-le maintenant.")
            return redirect("companies:need_route", public_id=need.public_id)
    return render(
        request,
        "companies/needs/create.html",
        {
            "form": form,
            "establishment": record,
            "company_url": company_url(record),
            "breadcrumbs": trail((str(record), company_url(record)), ("Nouveau besoin", None)),
        },
    )


@rule(needs_perms.may_route, load=needs_perms.need_record)
def need_route(request, public_id, record):
    membership = request.membership
    assigned = list(record.assignments.values_list("structure_id", flat=True))
    suggestions = routing.suggest(record)
    form = RouteForm(request.POST or None, membership=membership, exclude_ids=assigned)
    if request.method == "POST" and form.is_valid():
        try:
            needs.route(record, data=form.cleaned_data, actor=Actor.from_request(request))
        except CompanyError as error:
            report(error, form=form)
        else:
            messages.success(request, "Besoin orienté.")
            return redirect("companies:need_detail", public_id=record.public_id)
    context = _need_context(request, record, form=form, suggestions=suggestions)
    context["breadcrumbs"] = trail(
        _inbox_crumb(),
        (str(record.subject), reverse("companies:need_detail", args=[record.public_id])),
        ("Orienter", None),
    )
    return render(request, "companies/needs/route.html", context)


@require_POST
@rule(needs_perms.may_answer, load=needs_perms.assignment_record)
def assignment_answer(request, public_id, record):
    form = AnswerForm(request.POST)
    need = record.need
    if form.is_valid():
        try:
            needs.set_status(record, data=form.cleaned_data, actor=Actor.from_request(request))
        except CompanyError as error:
            report(error, request=request)
        else:
            messages.success(request, "Réponse enregistrée.")
    else:
        messages.error(request, "Choisissez une réponse.")
    return redirect("companies:need_detail", public_id=need.public_id)


# --- Satisfaction ------------------------------------------------------------------------------


@require_GET
@rule(needs_perms.may_read_figures)
def needs_figures(request):
    return render(
        request,
        "companies/needs/figures.html",
        {
            "rows": satisfaction.by_structure(),
            "status_counts": satisfaction.status_counts(),
            "breadcrumbs": trail(("Besoins : chiffres et satisfaction", None)),
        },
    )


@public
def satisfaction_answer(request, token):
    try:
        asked = satisfaction.find(token)
    except CompanyError as error:
        return render(
            request, "companies/needs/satisfaction.html", {"refused": str(error)}, status=404
        )
    form = SatisfactionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            satisfaction.answer(token, data=form.cleaned_data)
        except CompanyError as error:
            return render(
                request, "companies/needs/satisfaction.html", {"refused": str(error)}, status=404
            )
        return render(request, "companies/needs/satisfaction.html", {"thanks": True})
    return render(
        request,
        "companies/needs/satisfaction.html",
        {"form": form, "need": asked.need, "refused": ""},
    )


# --- Routing rules of my structure -------------------------------------------------------------


def _rules_crumb():
    return ("Règles d'orientation", reverse("companies:routing_rules"))


@rule(needs_perms.may_set_rules)
def routing_rules(request):
    membership = request.membership
    form = RoutingRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            routing.save_rule(None, data=form.cleaned_data, actor=Actor.from_request(request))
        except CompanyError as error:
            report(error, form=form)
        else:
            messages.success(request, "Règle d'orientation ajoutée.")
            return redirect("companies:routing_rules")
    rules = (
        RoutingRule.objects.filter(structure=membership.structure)
        .prefetch_related("subjects", "communes", "epcis", "bassins", "naf_sections")
        .order_by("label", "pk")
    )
    return render(
        request,
        "companies/needs/rules.html",
        {"rules": rules, "form": form, "breadcrumbs": trail(("Règles d'orientation", None))},
    )


@rule(needs_perms.may_edit_rule, load=needs_perms.own_rule)
def routing_rule_edit(request, public_id, record):
    form = RoutingRuleForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        try:
            routing.save_rule(record, data=form.cleaned_data, actor=Actor.from_request(request))
        except CompanyError as error:
            report(error, form=form)
        else:
            messages.success(request, "Règle d'orientation modifiée.")
            return redirect("companies:routing_rules")
    return render(
        request,
        "companies/needs/rule_edit.html",
        {
            "form": form,
            "rule": record,
            "breadcrumbs": trail(_rules_crumb(), (f"Modifier « {record.label} »", None)),
        },
    )


@require_POST
@rule(needs_perms.may_edit_rule, load=needs_perms.own_rule)
def routing_rule_delete(request, public_id, record):
    label = record.label
    routing.delete_rule(record, actor=Actor.from_request(request))
    messages.success(request, f"Règle « {label} » supprimée.")
    return redirect("companies:routing_rules")


# --- Paramétrage: the catalogue of subjects ----------------------------------------------------


def _subjects_crumb():
    return ("Paramétrage : sujets de besoin", reverse("companies:settings_subjects"))


@rule(needs_perms.may_edit_catalogue)
def settings_subjects(request):
    form = NeedSubjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subject = need_catalogue.add_subject(
                data=form.cleaned_data, actor=Actor.from_request(request)
            )
        except CompanyError as error:
            report(error, form=form)
        else:
            messages.success(request, f"Sujet ajouté : « {subject} ».")
            return redirect("companies:settings_subjects")
    subjects = NeedSubject.objects.annotate(need_count=Count("needs")).order_by(
        "kind", "order", "label"
    )
    return render(
        request,
        "companies/needs/settings_subjects.html",
        {
            "subjects": subjects,
            "form": form,
            "breadcrumbs": trail(("Paramétrage : sujets de besoin", None)),
        },
    )


@rule(needs_perms.may_edit_subject, load=needs_perms.subject_record)
def settings_subject_edit(request, pk, record):
    name = str(record)
    form = NeedSubjectForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        try:
            subject = need_catalogue.update_subject(
                record, data=model_values(form), actor=Actor.from_request(request)
            )
        except CompanyError as error:
            report(error, form=form)
        else:
            messages.success(request, f"Sujet modifié : « {subject} ».")
            return redirect("companies:settings_subjects")
    return render(
        request,
        "companies/needs/settings_subject_edit.html",
        {
            "form": form,
            "subject": record,
            "title": f"Modifier le sujet « {name} »",
            "events": timeline.events_for(record)[:20],
            "breadcrumbs": trail(_subjects_crumb(), (f"Modifier « {name} »", None)),
        },
    )


@require_POST
@rule(needs_perms.may_edit_subject, load=needs_perms.subject_record)
def settings_subject_offer(request, pk, record):
    offer = request.POST.get("proposer") == "oui"
    need_catalogue.set_offered(record, offered=offer, actor=Actor.from_request(request))
    messages.success(request, f"« {record} » {'est proposé' if offer else 'n’est plus proposé'}.")
    return redirect("companies:settings_subjects")
