"""Pages of the directory and of the referrals. Thin: rules in ``perms``, operations in
``services``, reads in ``selectors``."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tisserand.core.access_log import log_record_access
from tisserand.core.actor import Actor
from tisserand.core.breadcrumbs import trail
from tisserand.core.feedback import report
from tisserand.core.permissions import public, rule
from tisserand.core.timeline import events_for
from tisserand.people import hooks as people_hooks
from tisserand.people.breadcrumbs import person_trail
from tisserand.referrals import importing, perms, selectors, services
from tisserand.referrals import thematics as thematic_data
from tisserand.referrals.forms import (
    AnswerForm,
    ImportForm,
    InformationForm,
    LinkAnswerForm,
    ReferralForm,
    SearchForm,
    ServiceForm,
)
from tisserand.referrals.models import (
    DirectoryImport,
    Notice,
    Referral,
    ReferralState,
    Service,
    Thematic,
)

PAGE_SIZE = 20


def _base_url(request):
    return request.build_absolute_uri("/").rstrip("/")


def _directory_step():
    return ("Annuaire des services", reverse("referrals:search"))


# --- Search ------------------------------------------------------------------------------------


def _filters(form):
    # The valid criteria apply even when one is not (an unknown commune is shown as an error
    # next to its field; the others still narrow the search).
    form.is_valid()
    data = form.cleaned_data
    return selectors.Filters(
        thematics=[data["thematique"]] if data.get("thematique") else [],
        commune=data.get("commune"),
        public=data.get("public") or "",
        on_site=bool(data.get("sur_place")),
        remote=bool(data.get("a_distance")),
        text=data.get("q") or "",
    )


def _results(request, filters):
    services_found = selectors.search_services(filters)
    page = Paginator(services_found, PAGE_SIZE).get_page(request.GET.get("page"))
    return page, selectors.page_rows(page)


@rule(perms.uses_directory)
def search(request):
    form = SearchForm(request.GET or None)
    filters = _filters(form) if request.GET else selectors.Filters()
    page, rows = _results(request, filters)
    return render(
        request,
        "referrals/search.html",
        {
            "form": form if request.GET else SearchForm(),
            "page_obj": page,
            "rows": rows,
            "person": None,
            "breadcrumbs": trail(_directory_step()),
        },
    )


@rule(perms.may_search_for, load=perms.person_search)
def person_search(request, person_id, record):
    """The search from a person's record: their commune, and the thematics their diagnosis
    proposes (the first one chosen unless the counsellor picks another)."""
    person = record.record
    suggested = thematic_data.suggested_for(people_hooks.current_barriers(person))
    thematics = {t.code: t for t in Thematic.objects.filter(code__in=suggested)}
    suggestions = [thematics[code] for code in suggested if code in thematics]
    if request.GET:
        form = SearchForm(request.GET)
        filters = _filters(form)
    else:
        initial = {"thematique": suggested[0] if suggested else ""}
        if person.commune_id:
            initial["commune"] = person.commune
        form = SearchForm(initial=initial)
        filters = selectors.Filters(
            thematics=suggested[:1], commune=person.commune if person.commune_id else None
        )
    page, rows = _results(request, filters)
    return render(
        request,
        "referrals/search.html",
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "person": person,
            "suggestions": suggestions,
            "breadcrumbs": person_trail(person, ("Orienter vers un service", None)),
        },
    )


# --- Services ----------------------------------------------------------------------------------


@rule(perms.may_view_service, load=perms.service_of)
def service_detail(request, public_id, record):
    service = record
    person_id = request.GET.get("personne", "")
    return render(
        request,
        "referrals/service_detail.html",
        {
            "service": service,
            "thematics": service.thematics.select_related("parent").order_by("order"),
            "zones": service.zones.all(),
            "can_edit": perms.may_edit_service(request.membership, service),
            "can_refer": perms.refers_persons(request.membership),
            "person_id": person_id if _is_uuid(person_id) else "",
            "stale": service.is_stale(),
            "hidden": service.is_hidden(),
            "events": events_for(service),
            "breadcrumbs": trail(_directory_step(), (service.name, None)),
        },
    )


def _is_uuid(value):
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _service_form_page(request, form, service=None):
    return render(
        request,
        "referrals/service_form.html",
        {
            "form": form,
            "service": service,
            "breadcrumbs": trail(
                _directory_step(),
                ("Mes services", reverse("referrals:my_services")),
                (service.name if service else "Nouveau service", None),
            ),
        },
    )


@rule(perms.edits_services)
def service_create(request):
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service = services.save_service(data=form.values(), actor=Actor.from_request(request))
        except services.ReferralError as error:
            report(error, form=form)
        else:
            messages.success(request, f"Service « {service} » publié dans l'annuaire.")
            return redirect("referrals:service", service.public_id)
    return _service_form_page(request, form)


@rule(perms.may_edit_service, load=perms.service_of)
def service_edit(request, public_id, record):
    form = ServiceForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_service(
                data=form.values(), actor=Actor.from_request(request), service=record
            )
        except services.ReferralError as error:
            report(error, form=form)
        else:
            messages.success(request, "Service mis à jour.")
            return redirect("referrals:service", record.public_id)
    return _service_form_page(request, form, record)


@require_POST
@rule(perms.may_edit_service, load=perms.service_of)
def service_confirm(request, public_id, record):
    services.confirm_up_to_date(record, actor=Actor.from_request(request))
    messages.success(request, "Merci : le service est confirmé à jour.")
    return redirect("referrals:my_services")


@rule(perms.edits_services)
def my_services(request):
    membership = request.membership
    rows = (
        Service.objects.filter(structure__network_structure_id=membership.structure_id)
        .select_related("structure")
        .order_by("updated_on", "name")
    )
    today = timezone.localdate()
    return render(
        request,
        "referrals/my_services.html",
        {
            "rows": [
                (service, service.is_stale(today), service.is_hidden(today)) for service in rows
            ],
            "notices": Notice.objects.filter(
                recipient_id=membership.user_id,
                structure_id=membership.structure_id,
                service__isnull=False,
                read_at__isnull=True,
            ).select_related("service")[:20],
            "breadcrumbs": trail(_directory_step(), ("Mes services", None)),
        },
    )


# --- Import ------------------------------------------------------------------------------------


@rule(perms.imports_services)
def import_upload(request):
    """Checks the whole file; only a file without a problem waits for its confirmation."""
    form = ImportForm(request.POST or None, request.FILES or None)
    plan = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text = importing.text_of(upload.read(importing.MAX_BYTES + 1))
            plan = importing.read(text, upload.name)
        except importing.ImportRefused as error:
            form.add_error("file", f"{upload.name} : {error}")
        else:
            if plan.ok:
                batch = DirectoryImport.objects.create(
                    file_name=upload.name, content=text, imported_by=request.user
                )
                return redirect("referrals:import_preview", batch.token)
    return render(
        request,
        "referrals/import.html",
        {
            "form": form,
            "plan": plan,
            "breadcrumbs": trail(_directory_step(), ("Importer", None)),
        },
    )


def import_of(request, token, **_other):
    return get_object_or_404(DirectoryImport, token=token)


def may_open_import(membership, batch):
    return perms.imports_services(membership) and batch.imported_by_id == membership.user_id


@rule(may_open_import, load=import_of)
def import_preview(request, token, record):
    batch = record
    try:
        plan = importing.read(batch.content, batch.file_name)
    except importing.ImportRefused as error:
        plan, refused = None, str(error)
    else:
        refused = ""
    if request.method == "POST" and batch.applied_at is None and plan is not None:
        try:
            summary = importing.apply(plan)
        except importing.ImportRefused as error:
            refused = str(error)
        else:
            batch.applied_at = timezone.now()
            batch.summary = summary
            batch.save(update_fields=["applied_at", "summary"])
            messages.success(request, "Import terminé.")
            return redirect("referrals:import_preview", batch.token)
    return render(
        request,
        "referrals/import_preview.html",
        {
            "batch": batch,
            "plan": plan,
            "refused": refused,
            "summary": plan.summary() if plan else {},
            "breadcrumbs": trail(
                _directory_step(),
                ("Importer", reverse("referrals:import")),
                (batch.file_name, None),
            ),
        },
    )


# --- Referring ---------------------------------------------------------------------------------


@rule(perms.may_refer, load=perms.person_and_service)
def refer(request, person_id, service_id, record):
    person, service = record.record, record.service
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral, _token = services.send_referral(
                person=person,
                service=service,
                data=form.cleaned_data,
                actor=Actor.from_request(request),
            )
        except services.ReferralError as error:
            report(error, form=form)
        else:
            messages.success(request, f"Orientation envoyée à « {service.structure} ».")
            return redirect("referrals:detail", referral.public_id)
    return render(
        request,
        "referrals/refer.html",
        {
            "form": form,
            "person": person,
            "service": service,
            "breadcrumbs": person_trail(
                person,
                (
                    "Orienter vers un service",
                    reverse("referrals:person_search", args=[person.public_id]),
                ),
                (service.name, None),
            ),
        },
    )


@rule(perms.may_view_referral, load=perms.referral_of)
def detail(request, public_id, record):
    referral = record
    membership = request.membership
    receiver = perms.is_receiver(membership, referral)
    log_record_access(request, referral.person, owner_structure=referral.person.owner_structure)
    Notice.objects.filter(
        recipient_id=membership.user_id, referral=referral, read_at__isnull=True
    ).update(read_at=timezone.now())
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "steps": referral.steps.select_related("by"),
            "receiver": receiver,
            "sender_side": perms.is_sender_side(membership, referral),
            "answer_form": AnswerForm() if receiver and referral.is_open else None,
            "information_form": InformationForm() if referral.is_open else None,
            "breadcrumbs": trail(
                ("Orientations", reverse("referrals:received" if receiver else "referrals:sent")),
                (str(referral), None),
            ),
        },
    )


@require_POST
@rule(perms.may_answer, load=perms.referral_of)
def answer(request, public_id, record):
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer(
                record,
                data=form.cleaned_data,
                actor=Actor.from_request(request),
                base_url=_base_url(request),
            )
        except services.ReferralError as error:
            report(error, request=request)
        else:
            messages.success(request, "Réponse enregistrée ; la personne qui oriente est prévenue.")
    else:
        messages.error(request, "Choisissez votre réponse.")
    return redirect("referrals:detail", record.public_id)


@require_POST
@rule(perms.may_add_information, load=perms.referral_of)
def add_information(request, public_id, record):
    form = InformationForm(request.POST)
    if form.is_valid():
        try:
            services.add_information(
                record,
                data=form.cleaned_data,
                actor=Actor.from_request(request),
                base_url=_base_url(request),
            )
        except services.ReferralError as error:
            report(error, request=request)
        else:
            messages.success(request, "Précisions transmises au service.")
    else:
        messages.error(request, "Écrivez les précisions à transmettre.")
    return redirect("referrals:detail", record.public_id)


def _list_page(request, referrals, title, url_name):
    state = request.GET.get("etat", "")
    if state in ReferralState.values:
        referrals = referrals.filter(state=state)
    page = Paginator(selectors.listed(referrals), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "referrals/list.html",
        {
            "title": title,
            "page_obj": page,
            "state": state,
            "states": ReferralState.choices,
            "url_name": url_name,
            "breadcrumbs": trail(("Orientations", None), (title, None)),
        },
    )


@rule(perms.answers_referrals)
def received(request):
    return _list_page(
        request,
        selectors.referrals_received(request.membership),
        "Orientations reçues",
        "referrals:received",
    )


@rule(perms.refers_persons)
def sent(request):
    referrals = selectors.referrals_sent(request.membership)
    if not perms.has_capability(request.membership, perms.Capability.OVERSEE_STRUCTURE):
        referrals = referrals.filter(sender_id=request.user.pk)
    return _list_page(request, referrals, "Orientations envoyées", "referrals:sent")


@rule(perms.follows_referrals)
def follow_up(request):
    membership = request.membership
    received_rows = selectors.referrals_received(membership)
    sent_rows = selectors.referrals_sent(membership)
    return render(
        request,
        "referrals/follow_up.html",
        {
            "received": selectors.figures(received_rows),
            "sent": selectors.figures(sent_rows),
            "unmet": selectors.unmet_demand(received_rows | sent_rows),
            "window": selectors.WINDOW_DAYS,
            "breadcrumbs": trail(("Orientations", None), ("Suivi de la structure", None)),
        },
    )


@rule(perms.reads_territory)
def territory(request):
    all_referrals = Referral.objects.all()
    figures = selectors.figures(all_referrals)
    unmet = selectors.unmet_demand(all_referrals)
    masked = selectors.masked
    return render(
        request,
        "referrals/territory.html",
        {
            "figures": {
                "total": masked(figures.total),
                "waiting": masked(figures.waiting),
                "accepted": masked(figures.accepted),
                "refused": masked(figures.refused),
                "expired": masked(figures.expired),
            },
            "median_hours": figures.median_hours
            if figures.answered >= selectors.MASK_UNDER
            else None,
            "rate": figures.acceptance_rate if figures.total >= selectors.MASK_UNDER else None,
            "unmet": [
                {
                    "family": row["family"],
                    "total": masked(row["total"]),
                    "unmet": masked(row["unmet"]),
                }
                for row in unmet
            ],
            "window": selectors.WINDOW_DAYS,
            "breadcrumbs": trail(("Orientations", None), ("Territoire", None)),
        },
    )


@rule(perms.sees_referrals)
def notices(request):
    membership = request.membership
    rows = list(
        Notice.objects.filter(
            recipient_id=membership.user_id, structure_id=membership.structure_id
        ).select_related("referral", "service")[:50]
    )
    services.mark_notices_read(membership)
    return render(
        request,
        "referrals/notices.html",
        {"rows": rows, "breadcrumbs": trail(("Orientations", None), ("Avis", None))},
    )


# --- The personal link of a partner outside the network ----------------------------------------


@public
def link(request, token):
    """Opens one referral, and nothing else, for the partner the link was sent to: not after it
    expired or was answered (the link then answers 404, saying why in French)."""
    referral = services.referral_for_link(token)
    if referral is None:
        raise Http404("Ce lien n'est plus valable : l'orientation a reçu une réponse ou a expiré.")
    form = LinkAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer(
                referral,
                data=form.cleaned_data,
                by_name=form.cleaned_data["name"],
                base_url=_base_url(request),
            )
        except services.ReferralError as error:
            report(error, form=form)
        else:
            return render(
                request,
                "referrals/link_done.html",
                {"referral": Referral.objects.get(pk=referral.pk)},
            )
    response = render(
        request,
        "referrals/link.html",
        {"referral": referral, "form": form, "steps": referral.steps.all()},
    )
    response["Cache-Control"] = "no-store"
    return response
