"""The company record's pages: list, page, creation from a SIRET, edition, contacts, tags,
officer."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import salted_hmac

from tisserand.companies import lookup, perms, selectors, services
from tisserand.companies.breadcrumbs import companies_step, company_trail
from tisserand.companies.forms import (
    CompanySearchForm,
    ContactForm,
    CreationForm,
    EditForm,
    OfficerForm,
    SiretForm,
    TagsForm,
)
from tisserand.companies.location import AddressError
from tisserand.companies.models import Establishment, HeadcountBand
from tisserand.core.actor import Actor
from tisserand.core.breadcrumbs import trail
from tisserand.core.errors import DomainError
from tisserand.core.feedback import report
from tisserand.core.permissions import rule
from tisserand.core.timeline import events_about
from tisserand.referentials.rome.models import NafSection

PAGE_SIZE = 25
TIMELINE_PAGE_SIZE = 20


def _to_company(establishment, anchor=""):
    return redirect(reverse("companies:detail", args=[establishment.public_id]) + anchor)


# --- List -------------------------------------------------------------------------------------


@rule(perms.can_list)
def company_list(request):
    form = CompanySearchForm(request.GET or None)
    filters = form.filters()
    companies = filters.apply(selectors.visible_establishments(request.membership))
    page_obj = selectors.page_of(companies, request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "companies/list.html",
        {
            "form": form,
            "filters": filters,
            "page_obj": page_obj,
            "can_create": perms.can_create(request.membership),
            "can_import": perms.can_import(request.membership),
            "breadcrumbs": [("Entreprises", None)],
        },
    )


@rule(perms.can_count)
def company_counts(request):
    """Counts only (a funder's view of the companies): no name, no list; under 5 masked."""
    sections = dict(NafSection.objects.values_list("code", "label"))
    return render(
        request,
        "companies/counts.html",
        {
            "totals": selectors.count_by_state(),
            "by_section": selectors.counts_by("naf__section__code", sections),
            "by_band": selectors.counts_by("headcount_band", dict(HeadcountBand.choices)),
            "by_epci": selectors.counts_by(
                "commune__epci__name", {None: "Hors EPCI ou commune inconnue"}
            ),
            "masked_below": selectors.MASKED_BELOW,
            "breadcrumbs": [("Entreprises en chiffres", None)],
        },
    )


# --- The company page -------------------------------------------------------------------------


@rule(perms.may_view, load=perms.company_record)
def company_detail(request, public_id, record):
    establishment = record.record
    events = Paginator(events_about(establishment), TIMELINE_PAGE_SIZE).get_page(
        request.GET.get("historique")
    )
    return render(
        request,
        "companies/detail.html",
        {
            "company": establishment,
            "access": record.access,
            "panels": record.rendered_sections(),
            "events": events,
            "breadcrumbs": company_trail(establishment),
        },
    )


# --- Creation from a SIRET --------------------------------------------------------------------


def _known_from_base(siret):
    """What the base knows of the SIRET's legal unit (another establishment, the head office
    first)."""
    sibling = (
        Establishment.objects.filter(legal_unit__siren=siret[:9])
        .select_related("legal_unit", "naf")
        .order_by("-is_head_office", "siret")
        .first()
    )
    if sibling is None:
        return {}
    return {
        "legal_name": sibling.legal_unit.name,
        "is_individual": sibling.legal_unit.is_individual,
        "naf": sibling.naf.code if sibling.naf else "",
        "is_social_economy": sibling.is_social_economy,
        "diffusion": sibling.legal_unit.diffusion,
    }


def _similar_key(similar):
    return salted_hmac(
        "companies.similar", "|".join(str(e.public_id) for e in similar)
    ).hexdigest()[:32]


@rule(perms.can_create)
def company_create(request):
    """Step 1: the SIRET (Luhn-checked, refused when it has its record); step 2: the form,
    pre-filled from the base and from the configured lookup; a company of the same name in
    the same commune is warned about, and created once confirmed."""
    if request.method == "POST" and "legal_name" in request.POST:
        return _create_from_form(request)
    siret_form = SiretForm(request.POST or request.GET or None)
    existing = None
    if siret_form.is_bound and siret_form.is_valid():
        siret = siret_form.cleaned_data["siret"]
        existing = Establishment.objects.select_related("legal_unit").filter(siret=siret).first()
        if existing is None:
            known = lookup.lookup(siret)
            initial = {"siret": siret, **_known_from_base(siret)}
            if known is not None:
                initial = {**known.initial(), **initial}
            form = CreationForm(initial=initial)
            return _creation_page(request, form, known=known, from_base=len(initial) > 1)
        siret_form.add_error("siret", f"Ce SIRET a déjà sa fiche : {existing.display_name}.")
    return render(
        request,
        "companies/create_siret.html",
        {
            "form": siret_form,
            "existing": existing,
            "breadcrumbs": trail(companies_step(), ("Nouvelle entreprise", None)),
        },
    )


def _creation_page(request, form, *, known=None, from_base=False, similar=None, existing=None):
    return render(
        request,
        "companies/create.html",
        {
            "form": form,
            "known": known,
            "from_base": from_base,
            "similar": similar or [],
            "similar_key": _similar_key(similar) if similar else "",
            "existing": existing,
            "breadcrumbs": trail(companies_step(), ("Nouvelle entreprise", None)),
        },
    )


def _create_from_form(request):
    form = CreationForm(request.POST)
    if not form.is_valid():
        return _creation_page(request, form)
    # Whoever creates the record is its officer until someone else is named.
    data = {"siret": form.cleaned_data["siret"], **form.values(), "officer": request.user}
    actor = Actor.from_request(request)
    try:
        try:
            establishment = services.create_establishment(data=data, actor=actor)
        except services.SimilarCompanies as warning:
            confirmed = request.POST.get("confirm_similar") == "on" and request.POST.get(
                "similar_confirmed"
            ) == _similar_key(warning.similar)
            if not confirmed:
                return _creation_page(request, form, similar=warning.similar)
            establishment = services.create_establishment(data=data, actor=actor, confirmed=True)
    except services.DuplicateSiret as error:
        report(error, form=form, field="siret")
        return _creation_page(request, form, existing=error.existing)
    except AddressError as error:
        report(error, form=form, field=error.field)
        return _creation_page(request, form)
    except DomainError as error:
        report(error, form=form)
        return _creation_page(request, form)
    messages.success(request, f"La fiche de {establishment.display_name} est créée.")
    return _to_company(establishment)


# --- Edition ----------------------------------------------------------------------------------


@rule(perms.may_edit, load=perms.company_record)
def company_edit(request, public_id, record):
    establishment = record.record
    form = EditForm(request.POST or None, instance=establishment)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_establishment(
                establishment, data=form.values(), actor=Actor.from_request(request)
            )
        except AddressError as error:
            report(error, form=form, field=error.field)
        except services.CompanyError as error:
            report(error, form=form)
        else:
            messages.success(request, "La fiche de l'entreprise est enregistrée.")
            return _to_company(establishment)
    return render(
        request,
        "companies/edit.html",
        {
            "form": form,
            "company": establishment,
            "breadcrumbs": company_trail(establishment, ("Modifier", None)),
        },
    )


@rule(perms.may_edit, load=perms.company_record)
def company_tags(request, public_id, record):
    establishment = record.record
    current = ", ".join(tag.label for tag in establishment.tags.all())
    form = TagsForm(request.POST or None, initial={"tags": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_tags(establishment, data=form.values(), actor=Actor.from_request(request))
        except services.CompanyError as error:
            report(error, form=form, field="tags")
        else:
            messages.success(request, "Les étiquettes sont enregistrées.")
            return _to_company(establishment, "#panel-tags")
    return render(
        request,
        "companies/tags.html",
        {
            "form": form,
            "company": establishment,
            "breadcrumbs": company_trail(establishment, ("Étiquettes", None)),
        },
    )


@rule(perms.may_edit, load=perms.company_record)
def company_officer(request, public_id, record):
    establishment = record.record
    form = OfficerForm(
        request.POST or None,
        structure=request.membership.structure,
        initial={"officer": establishment.officer_id},
    )
    if request.method == "POST" and form.is_valid():
        services.assign_officer(
            establishment, data=form.values(), actor=Actor.from_request(request)
        )
        messages.success(request, "Le ou la chargé·e de relation est enregistré·e.")
        return _to_company(establishment, "#panel-officer")
    return render(
        request,
        "companies/officer.html",
        {
            "form": form,
            "company": establishment,
            "breadcrumbs": company_trail(establishment, ("Chargé·e de relation", None)),
        },
    )


# --- Contacts ---------------------------------------------------------------------------------


@rule(perms.may_edit, load=perms.company_record)
def contact_create(request, public_id, record):
    establishment = record.record
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_contact(
                establishment, data=form.values(), actor=Actor.from_request(request)
            )
        except services.CompanyError as error:
            report(error, form=form, field="consent_given_on")
        else:
            messages.success(request, "Le contact est ajouté.")
            return _to_company(establishment, "#panel-contacts")
    return render(
        request,
        "companies/contact_form.html",
        {
            "form": form,
            "company": establishment,
            "contact": None,
            "breadcrumbs": company_trail(establishment, ("Nouveau contact", None)),
        },
    )


@rule(perms.may_edit_contact, load=perms.company_contact)
def contact_edit(request, public_id, contact_id, record):
    company_record, contact = record
    establishment = company_record.record
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_contact(contact, data=form.values(), actor=Actor.from_request(request))
        except services.CompanyError as error:
            report(error, form=form, field="consent_given_on")
        else:
            messages.success(request, "Le contact est enregistré.")
            return _to_company(establishment, "#panel-contacts")
    return render(
        request,
        "companies/contact_form.html",
        {
            "form": form,
            "company": establishment,
            "contact": contact,
            "breadcrumbs": company_trail(establishment, (str(contact), None)),
        },
    )


@rule(perms.may_edit_contact, load=perms.company_contact)
def contact_deactivate(request, public_id, contact_id, record):
    """GET: the confirmation; POST: the contact leaves the active contacts (kept in history)."""
    company_record, contact = record
    if request.method != "POST":
        return render(
            request,
            "companies/contact_deactivate.html",
            {
                "company": company_record.record,
                "contact": contact,
                "breadcrumbs": company_trail(company_record.record, (str(contact), None)),
            },
        )
    try:
        services.deactivate_contact(contact, actor=Actor.from_request(request))
    except services.CompanyError as error:
        report(error, request=request)
    else:
        messages.success(request, f"{contact} n'est plus un contact actif.")
    return _to_company(company_record.record, "#panel-contacts")
