from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.views.decorators.http import require_POST

from tisserand.core.access_log import log_record_access
from tisserand.core.actor import Actor
from tisserand.core.breadcrumbs import trail
from tisserand.core.permissions import rule
from tisserand.core.timeline import events_about
from tisserand.people import (
    consent_rules,
    consent_scopes,
    creation,
    perms,
    search,
    selectors,
    services,
)
from tisserand.people.breadcrumbs import person_trail, persons_step
from tisserand.people.duplicates import find_duplicates
from tisserand.people.forms import (
    ConsentForm,
    DuplicateConfirmationForm,
    NoteForm,
    PersonDocumentForm,
    PersonForm,
    PersonSearchForm,
    PublicStatusForm,
    QpvAttestationForm,
)
from tisserand.people.merging import MergeError, merge_persons
from tisserand.people.models import ConsentScope, FollowUpMember, PublicStatus
from tisserand.referentials.vocabularies.api import QUALIFICATION_LEVEL, labels

PAGE_SIZE = 25
TIMELINE_PAGE_SIZE = 20
LATEST_NOTES = 5


def _page(request, queryset, size=PAGE_SIZE, parameter="page"):
    return Paginator(queryset, size).get_page(request.GET.get(parameter))


def _to_person(person):
    return redirect("people:detail", public_id=person.public_id)


# --- List and creation -----------------------------------------------------------------------


def _matching(persons, query):
    """Persons whose names contain every word of ``query`` (accents, case, typos forgiven)."""
    return search.matching(persons, query)


@rule(perms.can_list_persons)
def person_list(request):
    form = PersonSearchForm(request.GET or None)
    persons = selectors.visible_persons(request.membership).select_related(
        "commune", "owner_structure"
    )
    query = form.cleaned_data["q"] if form.is_valid() else ""
    persons = _matching(persons, query)
    return render(
        request,
        "people/list.html",
        {
            "form": form,
            "query": query,
            "page_obj": _page(request, persons.order_by("last_name", "first_name", "pk")),
            "can_create": perms.can_create_person(request.membership),
            "breadcrumbs": [("Personnes", None)],
        },
    )


@rule(perms.can_create_person)
def person_create(request):
    form = PersonForm(request.POST or None)
    confirmation = DuplicateConfirmationForm(request.POST or None)
    person, warning = creation.create_checking_duplicates(request, form, confirmation)
    if person is not None:
        messages.success(request, f"La fiche de {person} est créée.")
        return _to_person(person)
    return render(
        request,
        "people/create.html",
        {
            "form": form,
            "warning": warning,
            "breadcrumbs": trail(persons_step(), ("Nouvelle personne", None)),
        },
    )


# --- The person page -------------------------------------------------------------------------


@rule(perms.may_view, load=perms.person_record)
def person_detail(request, public_id, record):
    person = record.record
    log_record_access(request, person, owner_structure=person.owner_structure)
    return render(request, "people/detail.html", _detail_context(request, record))


def _detail_context(request, record):
    person, access = record.record, record.access
    context = {
        "person": person,
        "access": access,
        "can_edit": access.can_edit,
        "can_merge": perms.may_merge(request.membership, record),
        "shows": {scope: access.sees_scope(scope) for scope in consent_scopes.codes()},
        "qualification_label": _qualification_label(person),
        "panels": record.rendered_sections(),
        "breadcrumbs": person_trail(person),
    }
    if access.sees_scope(ConsentScope.SITUATION):
        context["statuses"] = _statuses_shown(request, person, access)
    if access.sees_whole:
        context.update(_follow_up_context(request, person, access))
    return context


def _qualification_label(person):
    if not person.qualification_level:
        return ""
    return labels(QUALIFICATION_LEVEL).get(person.qualification_level, person.qualification_level)


def _follow_up_context(request, person, access):
    return {
        "team": FollowUpMember.objects.filter(person=person, is_active=True).select_related(
            "user", "structure"
        ),
        "consents": consent_rules.with_effect(person.consents)
        .select_related("structure", "recorded_by")
        .prefetch_related("documents"),
        "notes": list(services.notes_for(person, access.note_levels)[:LATEST_NOTES])
        if access.note_levels
        else None,
        "can_write_notes": access.cares,
        "events": _page(request, events_about(person), TIMELINE_PAGE_SIZE, parameter="historique"),
    }


# --- Changes ---------------------------------------------------------------------------------


@rule(perms.may_edit, load=perms.person_record)
def person_edit(request, public_id, record):
    person = record.record
    form = PersonForm(request.POST or None, instance=person)
    qpv_change = None
    if request.method == "POST" and form.is_valid():
        values = form.values()
        qpv_change = services.qpv_change(person, values)
        if qpv_change is None or request.POST.get("qpv_confirmed") == _change_key(qpv_change):
            services.update_person(person, data=values, actor=Actor.from_request(request))
            messages.success(request, "Les informations de la personne sont enregistrées.")
            return _to_person(person)
    return render(
        request,
        "people/edit.html",
        {
            "form": form,
            "person": person,
            "qpv_change": qpv_change,
            "qpv_change_key": _change_key(qpv_change) if qpv_change else "",
            "breadcrumbs": person_trail(person, ("Modifier", None)),
        },
    )


def _change_key(change):
    """A key of the QPV change shown, so that a confirmation covers exactly that change."""
    return salted_hmac("people.qpv_change", "→".join(change)).hexdigest()[:32]


@rule(perms.may_view_identity, load=perms.person_record)
def qpv_history(request, public_id, record):
    """The QPV status of the person, its dated history and the attestations that proved it."""
    person = record.record
    return render(
        request,
        "people/qpv_history.html",
        {
            "person": person,
            "history": person.qpv_history.select_related("changed_by"),
            "attestations": person.qpv_attestations.prefetch_related("documents")
            if record.access.sees_whole
            else None,
            "can_edit": record.access.can_edit,
            "breadcrumbs": person_trail(person, ("Statut QPV", None)),
        },
    )


@rule(perms.may_edit, load=perms.person_record)
def qpv_attestation(request, public_id, record):
    """An official attestation of residence in a QPV, with its document, sets the status."""
    person = record.record
    form = QpvAttestationForm(request.POST or None, request.FILES or None, person=person)
    if request.method == "POST" and form.is_valid():
        services.record_qpv_attestation(
            person, data=form.cleaned_data, actor=Actor.from_request(request)
        )
        messages.success(request, "L'attestation est enregistrée : le statut QPV en découle.")
        return _to_person(person)
    return render(
        request,
        "people/qpv_attestation.html",
        {
            "form": form,
            "person": person,
            "breadcrumbs": person_trail(person, ("Attestation QPV", None)),
        },
    )


@rule(perms.may_view_situation, load=perms.person_record)
def statuses(request, public_id, record):
    person, access = record.record, record.access
    form = None
    if access.can_edit:
        form = PublicStatusForm(
            request.POST or None,
            request.FILES or None,
            instance=PublicStatus(person=person),
            allow_special_category=access.cares,
        )
        if request.method == "POST" and form.is_valid():
            status = services.add_status(
                form.instance,
                actor=Actor.from_request(request),
                document=form.cleaned_data["document"],
            )
            messages.success(request, f"Statut enregistré : {status}.")
            return redirect("people:statuses", public_id=person.public_id)
    return render(
        request,
        "people/statuses.html",
        {
            "person": person,
            "statuses": _statuses_shown(request, person, access),
            "form": form,
            "can_edit": access.can_edit,
            "breadcrumbs": person_trail(person, ("Statuts", None)),
        },
    )


def _statuses_shown(request, person, access):
    """The derived and stored statuses ``access`` may see; a sensitive one shown is logged."""
    shown = services.statuses_shown(person, with_special_category=access.cares)
    if any(status.is_special_category for status in shown):
        services.log_special_category_display(request, person)
    return shown


@rule(perms.may_edit_status, load=perms.person_status)
def status_edit(request, public_id, status_id, record):
    person_part, status = record
    person, access = person_part.record, person_part.access
    form = PublicStatusForm(
        request.POST or None,
        request.FILES or None,
        instance=status,
        allow_special_category=access.cares,
    )
    if request.method == "POST" and form.is_valid():
        services.update_status(
            form.instance,
            actor=Actor.from_request(request),
            document=form.cleaned_data["document"],
        )
        messages.success(request, f"Statut modifié : {status}.")
        return redirect("people:statuses", public_id=person.public_id)
    if status.is_special_category:
        services.log_special_category_display(request, person)
    return render(
        request,
        "people/status_edit.html",
        {
            "person": person,
            "status": status,
            "form": form,
            "breadcrumbs": person_trail(
                person,
                ("Statuts", reverse("people:statuses", args=[person.public_id])),
                ("Modifier", None),
            ),
        },
    )


@rule(perms.may_view_whole, load=perms.person_record)
def consents(request, public_id, record):
    person, access = record.record, record.access
    form = (
        ConsentForm(request.POST or None, request.FILES or None, person=person)
        if access.can_edit
        else None
    )
    if form is not None and request.method == "POST" and form.is_valid():
        consent = services.record_consent(
            form.instance,
            actor=Actor.from_request(request),
            document=form.cleaned_data["document"],
        )
        messages.success(request, f"Consentement enregistré : partage avec {consent.structure}.")
        return redirect("people:consents", public_id=person.public_id)
    return render(
        request,
        "people/consents.html",
        {
            "person": person,
            "consents": consent_rules.with_effect(person.consents)
            .select_related("structure", "recorded_by")
            .prefetch_related("documents"),
            "form": form,
            "can_edit": access.can_edit,
            "breadcrumbs": person_trail(person, ("Consentements", None)),
        },
    )


@require_POST
@rule(perms.may_edit, load=perms.person_record)
def consent_withdraw(request, public_id, consent_id, record):
    person = record.record
    consent = get_object_or_404(person.consents.select_related("structure"), pk=consent_id)
    services.withdraw_consent(consent, actor=Actor.from_request(request))
    messages.success(request, f"Consentement retiré : plus de partage avec {consent.structure}.")
    return redirect("people:consents", public_id=person.public_id)


@rule(perms.may_view_whole, load=perms.person_record)
def person_documents(request, public_id, record):
    """The person's supporting documents; those who may change the record add one."""
    person, access = record.record, record.access
    form = None
    if access.can_edit:
        form = PersonDocumentForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            document = services.add_person_document(
                person, data=form.cleaned_data, actor=Actor.from_request(request)
            )
            messages.success(request, f"Pièce ajoutée : {document.label}.")
            return redirect("people:documents", public_id=person.public_id)
    return render(
        request,
        "people/documents.html",
        {
            "person": person,
            "groups": services.documents_seen(person, access),
            "form": form,
            "breadcrumbs": person_trail(person, ("Pièces justificatives", None)),
        },
    )


@rule(perms.may_keep_journal, load=perms.person_record)
def notes(request, public_id, record):
    person, access = record.record, record.access
    form = NoteForm(request.POST or None, can_restrict=access.is_referent)
    form.instance.person = person
    if request.method == "POST" and form.is_valid():
        services.add_note(form.instance, actor=Actor.from_request(request))
        messages.success(request, "La note est ajoutée au journal.")
        return redirect("people:notes", public_id=person.public_id)
    return render(
        request,
        "people/notes.html",
        {
            "person": person,
            "form": form,
            "page_obj": _page(request, services.notes_for(person, access.note_levels)),
            "breadcrumbs": person_trail(person, ("Journal", None)),
        },
    )


# --- Merge -----------------------------------------------------------------------------------


@rule(perms.may_merge, load=perms.person_record)
def merge_choose(request, public_id, record):
    person = record.record
    same_structure = (
        selectors.visible_persons(request.membership)
        .filter(owner_structure_id=person.owner_structure_id)
        .exclude(pk=person.pk)
    )
    form = PersonSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    found = _matching(same_structure, query).select_related("commune")[:PAGE_SIZE] if query else []
    return render(
        request,
        "people/merge_choose.html",
        {
            "person": person,
            "suggested": _merge_suggestions(person, same_structure),
            "form": form,
            "query": query,
            "found": found,
            "breadcrumbs": person_trail(person, ("Fusionner", None)),
        },
    )


def _merge_suggestions(person, mergeable):
    """The probable duplicates of ``person`` among the ``mergeable`` persons."""
    candidates = find_duplicates(
        person.first_name, person.last_name, person.birth_date, person.birth_name, exclude=person
    )
    allowed = set(
        mergeable.filter(pk__in=[c.person.pk for c in candidates]).values_list("pk", flat=True)
    )
    return [c.person for c in candidates if c.person.pk in allowed]


@rule(perms.may_merge_pair, load=perms.merge_pair)
def merge_confirm(request, public_id, other_id, record):
    person, other = (each.record for each in record)
    error = None
    if request.method == "POST":
        try:
            merge_persons(person, other, actor=Actor.from_request(request))
        except MergeError as failure:
            error = str(failure)
        else:
            messages.success(request, f"Les deux fiches sont fusionnées : {person} est conservée.")
            return _to_person(person)
    return render(
        request,
        "people/merge_confirm.html",
        {
            "person": person,
            "other": other,
            "error": error,
            "breadcrumbs": person_trail(
                person,
                ("Fusionner", reverse("people:merge", args=[person.public_id])),
                ("Confirmer", None),
            ),
        },
    )
