import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tisserand.companies import portal
from tisserand.companies.models import Establishment, Need
from tisserand.companies.portal import leader_establishment
from tisserand.core import records
from tisserand.core.actor import Actor
from tisserand.core.breadcrumbs import trail
from tisserand.core.feedback import report
from tisserand.core.permissions import public, rule
from tisserand.core.timeline import events_about
from tisserand.opportunities import likely, maps, matching, perms, search, services
from tisserand.opportunities.forms import (
    AdvanceForm,
    CloseOfferForm,
    CompanyAnswerForm,
    ImportForm,
    LikelyForm,
    OfferForm,
    OptOutForm,
    ProposeForm,
    SaveSearchForm,
    SearchForm,
)
from tisserand.opportunities.importing import francetravail, partners, sync
from tisserand.opportunities.importing.errors import OfferFileRejected
from tisserand.opportunities.models import (
    ACTIVE_STATUSES,
    HiringOptOut,
    Introduction,
    IntroductionStatus,
    JobOffer,
    OfferImport,
    OfferSource,
    SavedSearch,
)
from tisserand.people import perms as people_perms
from tisserand.people.selectors import visible_persons

PAGE_SIZE = 20
IMPORT_SESSION_KEY = "opportunities_pending_import"


def _offers_step():
    return ("Offres d'emploi", reverse("opportunities:search"))


# --- Search ------------------------------------------------------------------------------------


@rule(perms.sees_offers)
def search_offers(request):
    form = SearchForm(request.GET or None)
    criteria = form.criteria() if form.is_valid() else search.Criteria()
    offers = search.search(criteria)
    page = Paginator(offers, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for offer in rows:
        offer.distance = search.distance_km(offer)
    searches = SavedSearch.objects.filter(
        user=request.user, structure=request.membership.structure
    ).order_by("label", "id")
    return render(
        request,
        "opportunities/search.html",
        {
            "form": form,
            "page_obj": page,
            "offers": rows,
            "map": maps.render(rows, search.point_of(criteria.commune)),
            "save_form": SaveSearchForm(),
            "query": request.GET.urlencode(),
            "searches": searches,
            "can_publish": perms.publishes_offers(request.membership),
            "breadcrumbs": trail(("Offres d'emploi", None)),
        },
    )


@require_POST
@rule(perms.sees_offers)
def save_search(request):
    form = SearchForm(request.GET or None)
    save_form = SaveSearchForm(request.POST)
    if not (form.is_valid() and save_form.is_valid()):
        messages.error(request, "Donnez un nom à la recherche pour l'enregistrer.")
        return redirect(reverse("opportunities:search") + "?" + request.GET.urlencode())
    params = form.criteria().to_params()
    params["query"] = request.GET.urlencode()
    try:
        services.save_search(
            data={**save_form.cleaned_data, "params": params}, actor=Actor.from_request(request)
        )
    except services.OpportunityError as error:
        report(error, request=request)
    else:
        messages.success(request, "Recherche enregistrée.")
    return redirect(reverse("opportunities:search") + "?" + request.GET.urlencode())


@require_POST
@rule(perms.owns_search, load=perms.saved_search_of)
def delete_search(request, public_id, record):
    services.delete_search(record, actor=Actor.from_request(request))
    messages.success(request, "Recherche supprimée.")
    return redirect("opportunities:search")


@public
def unsubscribe(request, token):
    search_row = services.unsubscribe(token) if request.method == "POST" else None
    return render(
        request,
        "opportunities/unsubscribe.html",
        {"done": search_row is not None, "asked": request.method == "POST"},
    )


# --- Offer pages -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfferAccess:
    can_edit: bool
    can_propose: bool
    follows_introductions: bool


def offer_access(membership, offer):
    return OfferAccess(
        can_edit=perms.can_edit_offer(membership, offer),
        can_propose=perms.may_match_for_offer(membership, offer),
        follows_introductions=perms.follows_introductions(membership),
    )


@rule(perms.may_view_offer, load=perms.offer_of)
def offer_detail(request, public_id, record):
    context = records.RecordContext("offer", record, request.membership, request)
    return render(
        request,
        "opportunities/offer_detail.html",
        {
            "offer": record,
            "access": context.access,
            "sections": context.rendered_sections(),
            "events": events_about(record)[:20],
            "breadcrumbs": trail(_offers_step(), (record.title, None)),
        },
    )


def _offer_form_page(
    request, form, *, title, offer=None, establishment=None, need=None, cancel_url=""
):
    return render(
        request,
        "opportunities/offer_form.html",
        {
            "form": form,
            "title": title,
            "offer": offer,
            "establishment": establishment,
            "need": need,
            "cancel_url": cancel_url or reverse("opportunities:search"),
            "breadcrumbs": trail(_offers_step(), (title, None)),
        },
    )


@rule(perms.publishes_offers)
def offer_create(request):
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.create_offer(data=form.values(), actor=Actor.from_request(request))
        except services.OpportunityError as error:
            report(error, form=form)
        else:
            messages.success(request, "Offre publiée.")
            return redirect("opportunities:detail", offer.public_id)
    return _offer_form_page(request, form, title="Nouvelle offre")


def need_of(request, need_id, **_):
    return get_object_or_404(
        Need.objects.select_related("subject", "establishment__legal_unit"), public_id=need_id
    )


def may_turn_need_into_offer(membership, need):
    return perms.publishes_offers(membership) and need.is_recruitment


@rule(may_turn_need_into_offer, load=need_of)
def offer_from_need(request, need_id, record):
    form = OfferForm(
        request.POST or None,
        initial={"title": record.subject.label, "description": record.description},
    )
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.offer_from_need(
                record, data=form.values(), actor=Actor.from_request(request)
            )
        except services.OpportunityError as error:
            report(error, form=form)
        else:
            messages.success(request, "Offre créée à partir du besoin de recrutement.")
            return redirect("opportunities:detail", offer.public_id)
    return _offer_form_page(
        request,
        form,
        title=f"Offre pour {record.establishment.display_name}",
        establishment=record.establishment,
        need=record,
    )


def _offer_initial(offer):
    return {
        "title": offer.title,
        "appellation": offer.appellation,
        "description": offer.description,
        "commune": offer.commune,
        "contract_type": offer.contract_type,
        "positions": offer.positions,
        "experience": offer.experience,
        "working_time": offer.working_time,
        "alternance": offer.alternance,
        "salary": offer.salary,
        "apply_url": offer.apply_url,
        "contact_email": offer.contact_email,
        "accessible_th": offer.accessible_th,
        "expires_on": offer.expires_on,
    }


@rule(perms.may_edit_offer, load=perms.offer_of)
def offer_edit(request, public_id, record):
    form = OfferForm(request.POST or None, initial=_offer_initial(record))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_offer(record, data=form.values(), actor=Actor.from_request(request))
        except services.OpportunityError as error:
            report(error, form=form)
        else:
            messages.success(request, "Offre modifiée.")
            return redirect("opportunities:detail", record.public_id)
    return _offer_form_page(
        request,
        form,
        title=f"Modifier : {record.title}",
        offer=record,
        cancel_url=reverse("opportunities:detail", args=[record.public_id]),
    )


@require_POST
@rule(perms.may_edit_offer, load=perms.offer_of)
def offer_close(request, public_id, record):
    form = CloseOfferForm(request.POST)
    form.is_valid()
    try:
        services.close_offer(record, data=form.cleaned_data, actor=Actor.from_request(request))
    except services.OpportunityError as error:
        report(error, request=request)
    else:
        messages.success(request, "Offre clôturée : elle ne paraît plus dans la recherche.")
    return redirect("opportunities:detail", record.public_id)


# --- Imports ------------------------------------------------------------------------------------


def _parse_upload(kind, name, content, partner_name):
    if kind == "france_travail":
        import io

        return francetravail.load_file(io.BytesIO(content)), OfferSource.FRANCE_TRAVAIL, ""
    return (
        partners.parse(name, content, partner_name=partner_name),
        OfferSource.PARTNER_FILE,
        partner_name,
    )


@rule(perms.publishes_offers)
def imports(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    preview = errors = None
    if request.method == "POST" and request.POST.get("confirm"):
        pending = request.session.pop(IMPORT_SESSION_KEY, None)
        if not pending:
            messages.error(request, "Aucun import en attente : déposez à nouveau le fichier.")
            return redirect("opportunities:imports")
        with default_storage.open(pending["path"], "rb") as handle:
            content = handle.read()
        default_storage.delete(pending["path"])
        try:
            drafts, source, partner_name = _parse_upload(
                pending["kind"], pending["name"], content, pending["partner"]
            )
            run = sync.sync(
                drafts,
                source=source,
                partner_name=partner_name,
                file_name=pending["name"],
                actor=Actor.from_request(request),
            )
        except OfferFileRejected as error:
            errors = error.errors
        else:
            messages.success(
                request,
                f"Import terminé : {run.created} créée(s), {run.updated} mise(s) à jour, "
                f"{run.unchanged} inchangée(s), {run.closed} clôturée(s).",
            )
            return redirect("opportunities:imports")
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            drafts, source, partner_name = _parse_upload(
                form.cleaned_data["kind"],
                upload.name,
                content,
                form.cleaned_data["partner_name"].strip(),
            )
            preview = sync.plan(drafts, source=source, partner_name=partner_name)
        except OfferFileRejected as error:
            errors = error.errors
        else:
            path = default_storage.save(f"offer_imports/{uuid.uuid4().hex}", _content_file(content))
            request.session[IMPORT_SESSION_KEY] = {
                "path": path,
                "name": upload.name,
                "kind": form.cleaned_data["kind"],
                "partner": partner_name,
            }
    return render(
        request,
        "opportunities/imports.html",
        {
            "form": form,
            "preview": preview,
            "errors": errors,
            "runs": OfferImport.objects.select_related("actor")[:20],
            "breadcrumbs": trail(_offers_step(), ("Importer des offres", None)),
        },
    )


def _content_file(content):
    from django.core.files.base import ContentFile

    return ContentFile(content)


@rule(perms.publishes_offers)
def import_template(request, extension):
    if extension == "xlsx":
        response = HttpResponse(
            partners.template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(partners.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="modele-offres-partenaire.{extension}"'
    return response


# --- Companies likely to hire -------------------------------------------------------------------


@rule(perms.sees_offers)
def likely_to_hire(request):
    form = LikelyForm(request.GET or None)
    results = None
    tension = None
    if form.is_valid():
        appellation = form.cleaned_data["metier"]
        commune = form.cleaned_data.get("commune")
        point = search.point_of(commune)
        results = likely.rank(
            appellation.fiche, point=point, radius_km=form.cleaned_data.get("rayon") or 20
        )
        bassin = commune.bassin.code if commune is not None and commune.bassin_id else "3217"
        tension = likely.tension_of(appellation.fiche, bassin)
    return render(
        request,
        "opportunities/likely.html",
        {
            "form": form,
            "results": results,
            "tension": tension,
            "can_opt_out": perms.may_record_opt_out(request.membership, None),
            "opt_out_form": OptOutForm(),
            "breadcrumbs": trail(_offers_step(), ("Entreprises qui recrutent", None)),
        },
    )


def establishment_of(request, public_id, **_):
    return get_object_or_404(Establishment, public_id=public_id)


@require_POST
@rule(perms.may_record_opt_out, load=establishment_of)
def opt_out(request, public_id, record):
    form = OptOutForm(request.POST)
    form.is_valid()
    HiringOptOut.objects.get_or_create(
        establishment=record,
        defaults={"reason": form.cleaned_data.get("reason", ""), "recorded_by": request.user},
    )
    messages.success(
        request, f"{record.display_name} n'apparaîtra plus dans les entreprises qui recrutent."
    )
    return redirect("opportunities:likely")


# --- Matching ------------------------------------------------------------------------------------


@rule(perms.may_match_person, load=people_perms.person_record)
def person_matches(request, public_id, record):
    person = record.record
    results = matching.offers_for_person(person)
    return render(
        request,
        "opportunities/person_matches.html",
        {
            "person": person,
            "results": results,
            "breadcrumbs": trail(
                ("Personnes", reverse("people:list")),
                (str(person), reverse("people:detail", args=[person.public_id])),
                ("Offres pour cette personne", None),
            ),
        },
    )


@rule(perms.may_match_for_offer, load=perms.offer_of)
def offer_matches(request, public_id, record):
    results = matching.persons_for_offer(record, request.membership)
    return render(
        request,
        "opportunities/offer_matches.html",
        {
            "offer": record,
            "results": results,
            "active": services.active_count(record),
            "cap": services.flood_cap(record),
            "breadcrumbs": trail(
                _offers_step(),
                (record.title, reverse("opportunities:detail", args=[record.public_id])),
                ("Personnes à proposer", None),
            ),
        },
    )


@dataclass(frozen=True)
class Proposal:
    offer: object
    person: object  # the person's RecordContext


def proposal_of(request, public_id, person_id, **_):
    return Proposal(
        perms.offer_of(request, public_id), people_perms.person_record(request, person_id)
    )


def may_propose_for_offer(membership, proposal):
    return perms.may_match_for_offer(membership, proposal.offer) and perms.may_propose(
        membership, proposal.person
    )


@rule(may_propose_for_offer, load=proposal_of)
def propose(request, public_id, person_id, record):
    form = ProposeForm(request.POST or None)
    offer, person = record.offer, record.person.record
    if request.method == "POST" and form.is_valid():
        try:
            introduction, token = services.propose(
                offer, person, data=form.cleaned_data, actor=Actor.from_request(request)
            )
        except services.OpportunityError as error:
            report(error, form=form)
        else:
            request.session[f"intro_link_{introduction.public_id}"] = token
            messages.success(request, "Mise en relation enregistrée.")
            return redirect("opportunities:introduction", introduction.public_id)
    return render(
        request,
        "opportunities/propose.html",
        {
            "form": form,
            "offer": offer,
            "person": person,
            "active": services.active_count(offer),
            "cap": services.flood_cap(offer),
            "breadcrumbs": trail(
                _offers_step(),
                (offer.title, reverse("opportunities:detail", args=[offer.public_id])),
                ("Proposer une personne", None),
            ),
        },
    )


# --- Introductions -------------------------------------------------------------------------------


@rule(perms.follows_introductions)
def introductions(request):
    membership = request.membership
    rows = (
        Introduction.objects.filter(structure=membership.structure)
        .select_related("person", "offer", "establishment__legal_unit", "need__subject")
        .order_by("-updated_at", "-id")
    )
    if not perms.oversees_introductions(membership):
        rows = rows.filter(
            Q(proposed_by_id=membership.user_id) | Q(person__in=visible_persons(membership))
        )
    if request.GET.get("etat") in IntroductionStatus.values:
        rows = rows.filter(status=request.GET["etat"])
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "opportunities/introductions.html",
        {
            "page_obj": page,
            "statuses": IntroductionStatus.choices,
            "current": request.GET.get("etat", ""),
            "breadcrumbs": trail(("Mises en relation", None)),
        },
    )


@rule(perms.may_view_introduction, load=perms.introduction_of)
def introduction_detail(request, public_id, record):
    token = request.session.get(f"intro_link_{record.public_id}")
    link = (
        request.build_absolute_uri(reverse("opportunities:company_answer", args=[token]))
        if token
        else ""
    )
    return render(
        request,
        "opportunities/introduction.html",
        {
            "introduction": record,
            "steps": record.steps.select_related("by_user"),
            "form": AdvanceForm(),
            "can_update": perms.may_update_introduction(request.membership, record)
            and record.is_active,
            "sees_person": people_perms.can_view_person(request.membership, record.person),
            "company_link": link,
            "events": events_about(record)[:20],
            "breadcrumbs": trail(
                ("Mises en relation", reverse("opportunities:introductions")), (str(record), None)
            ),
        },
    )


@require_POST
@rule(perms.may_update_introduction, load=perms.introduction_of)
def introduction_advance(request, public_id, record):
    form = AdvanceForm(request.POST)
    if form.is_valid():
        try:
            services.advance(record, data=form.cleaned_data, actor=Actor.from_request(request))
        except services.OpportunityError as error:
            report(error, request=request)
        else:
            messages.success(request, "Mise en relation mise à jour.")
    else:
        messages.error(request, "Choisissez le nouvel état.")
    return redirect("opportunities:introduction", record.public_id)


@public
def company_answer(request, token):
    """The company's personal link. Opening it changes nothing — a mail scanner or the
    counsellor checking the link opens it too — unless an active leader of the company opens it
    signed in; the company says it has seen the profile with a button, or by answering."""
    introduction = services.company_introduction(token)
    if introduction is None:
        raise Http404("Lien inconnu.")
    if request.method == "POST" and SEEN_BUTTON in request.POST:
        services.mark_seen(introduction)
        messages.success(
            request, "Merci : le conseiller ou la conseillère sait que vous avez vu ce profil."
        )
        return redirect("opportunities:company_answer", token)
    form = CompanyAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.company_answer(token, data=form.cleaned_data)
        except services.OpportunityError as error:
            report(error, form=form)
        else:
            return render(
                request, "opportunities/company_thanks.html", {"introduction": introduction}
            )
    elif request.method == "GET" and opened_by_the_company(request, introduction):
        services.mark_seen(introduction)
        introduction.refresh_from_db(fields=["status"])
    return render(
        request,
        "opportunities/company_answer.html",
        {
            "introduction": introduction,
            "profile": company_profile(introduction),
            "form": form,
            "seen_button": SEEN_BUTTON,
            "may_mark_seen": introduction.status in services.UNSEEN_STATUSES,
        },
    )


# The name of the answer page's « J'ai pris connaissance du profil » button.
SEEN_BUTTON = "vu"


def opened_by_the_company(request, introduction):
    """Whether the reader is an active leader of the introduction's company, signed in."""
    return (
        request.user.is_authenticated
        and introduction.establishment_id is not None
        and portal.leads(request.user, introduction.establishment)
    )


def company_profile(introduction):
    """What the company receives: the first name and initial, the occupation aimed at, the
    skills the person confirmed — never barriers, health or status data."""
    person = introduction.person
    [profile] = matching.profiles([person])
    labels = matching.skill_labels(profile.confirmed_skills)
    return {
        "name": f"{person.first_name} {person.last_name[:1]}.",
        "skills": sorted(labels.values())[:12],
        "counsellor": introduction.proposed_by,
        "structure": introduction.structure,
        "message": introduction.message,
    }


# --- Portal --------------------------------------------------------------------------------------


@rule(perms.leads, load=leader_establishment)
def portal_offers(request, public_id, record):
    offers = JobOffer.objects.filter(establishment=record).order_by("-published_at", "-id")
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {**form.values(), "establishment": record}
        try:
            offer = services.create_offer(data=data, actor=Actor(request.user))
        except services.OpportunityError as error:
            report(error, form=form)
        else:
            messages.success(
                request, f"Offre « {offer.title} » publiée : la Maison de l'Emploi la relaie."
            )
            return redirect("opportunities:portal_offers", record.public_id)
    intros = (
        Introduction.objects.filter(establishment=record, status__in=ACTIVE_STATUSES)
        .select_related("offer", "person")
        .order_by("-created_at")[:50]
    )
    return render(
        request,
        "opportunities/portal_offers.html",
        {"establishment": record, "offers": offers[:50], "form": form, "introductions": intros},
    )
