from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from tisserand.companies import portal
from tisserand.companies.models import Contact, Establishment
from tisserand.core.actor import Actor
from tisserand.core.feedback import report
from tisserand.core.permissions import public, rule
from tisserand.core.records import RecordContext
from tisserand.events import documents, feeds, ics, links, perms, selectors, services
from tisserand.events import forms as event_forms
from tisserand.events.models import (
    SEAT_STATUSES,
    Event,
    EventCandidate,
    EventCompany,
    InterviewSlot,
    MessageTemplate,
    ProgrammeBranding,
    Registration,
    SatisfactionAnswer,
    Session,
    Status,
)
from tisserand.events.ratelimit import rate_limited
from tisserand.people.models import FollowUpMember
from tisserand.people.selectors import visible_persons
from tisserand.referentials.geo import areas
from tisserand.referentials.geo.models import Commune
from tisserand.referentials.vocabularies import api as vocabularies
from tisserand.structures.models import Structure

ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"
PAGE_SIZE = 50
# The month view shows this many sessions a day, then « et N autres » (the day's list).
MONTH_PER_DAY = 6


def _agenda_crumb():
    return ("Événements", reverse("events:agenda"))


def _event_url(event):
    return reverse("events:detail", args=[event.public_id])


# --- Agenda --------------------------------------------------------------------------------


@require_GET
@rule(perms.sees_events)
def agenda(request):
    membership = request.membership
    events = perms.visible_events(membership)
    # The choices are the communes and structures that have events (not the 650 communes of
    # the département): a short list, and a page that stays light.
    communes = Commune.objects.filter(
        pk__in=Event.objects.filter(commune__isnull=False).values("commune_id")
    )
    structures = Structure.objects.filter(pk__in=Event.objects.values("structure_id")).order_by(
        "name"
    )
    form = event_forms.FilterForm(request.GET or None, communes=communes, structures=structures)
    filters, view, day = {}, selectors.LIST, timezone.localdate()
    if form.is_valid():
        data = form.cleaned_data
        if data["type"]:
            filters["event_type"] = data["type"]
        if data["audience"]:
            filters["audience"] = data["audience"]
        if data["commune"]:
            filters["commune"] = data["commune"]
        if data["structure"]:
            filters["structure"] = data["structure"]
        view = data["vue"] or selectors.LIST
        day = data["date"] or day
        events = areas.within(events, epci=data["epci"], bassin=data["bassin"])
    period = selectors.Period.of(view, day)
    sessions = selectors.agenda_sessions(events, period, filters=filters)
    labels = vocabularies.labels(vocabularies.EVENT_TYPE)
    context = {
        "form": form,
        "period": period,
        "labels": labels,
        "can_create": perms.may_create(membership),
        "can_configure": perms.may_edit_messages(membership),
        "breadcrumbs": [("Événements", None)],
        "query": request.GET.urlencode(),
    }
    if view == selectors.LIST:
        page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
        for session in page:
            session.type_label = labels.get(session.event.event_type, "")
        context["page_obj"] = page
    else:
        by_day = {}
        for session in sessions:
            by_day.setdefault(timezone.localdate(session.starts_at), []).append(session)
        shown = MONTH_PER_DAY if view == selectors.MONTH else None
        context["grid"] = [
            (
                grid_day,
                by_day.get(grid_day, [])[:shown],
                len(by_day.get(grid_day, [])[shown:]) if shown else 0,
                grid_day.month == period.first_day.month,
            )
            for grid_day in period.days
        ]
        params = request.GET.copy()
        for name, target in (("previous", period.shifted(-1)), ("next", period.shifted(1))):
            params["date"] = target.first_day.isoformat()
            params["vue"] = view
            context[name] = params.urlencode()
    return render(request, "events/agenda.html", context)


# --- The event page ------------------------------------------------------------------------


@require_GET
@rule(perms.may_view, load=perms.event_of)
def detail(request, public_id, record):
    event = record
    context = RecordContext("event", event, request.membership, request)
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "type_label": vocabularies.labels(vocabularies.EVENT_TYPE).get(event.event_type, ""),
            "sections": context.rendered_sections(),
            "can_organise": perms.is_organiser(request.membership, event),
            "can_register": perms.may_register_persons(request.membership, event),
            "can_propose": event.is_job_dating
            and perms.may_propose_candidates(request.membership, event),
            "breadcrumbs": [_agenda_crumb(), (event.title, None)],
        },
    )


@rule(perms.may_create)
def create(request):
    actor = Actor.from_request(request)
    form = event_forms.NewEventForm(request.POST or None, structure=actor.structure)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.create_event(
                data=form.values(),
                actor=actor,
                partners=form.cleaned_data["partners"],
                sessions=[form.session_values()],
            )
        except services.EventError as error:
            report(error, form=form)
        else:
            messages.success(request, "L'événement est créé.")
            return redirect(_event_url(event))
    return render(
        request,
        "events/form.html",
        {
            "form": form,
            "title": "Nouvel événement",
            "breadcrumbs": [_agenda_crumb(), ("Nouvel événement", None)],
        },
    )


@rule(perms.may_organise, load=perms.event_of)
def edit(request, public_id, record):
    event = record
    form = event_forms.EventForm(request.POST or None, instance=event, structure=event.structure)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_event(
                event,
                data=form.values(),
                actor=Actor.from_request(request),
                partners=form.cleaned_data["partners"],
            )
        except services.EventError as error:
            report(error, form=form)
        else:
            messages.success(request, "L'événement est modifié.")
            return redirect(_event_url(event))
    return render(
        request,
        "events/form.html",
        {
            "form": form,
            "event": event,
            "title": f"Modifier « {event} »",
            "breadcrumbs": [_agenda_crumb(), (event.title, _event_url(event)), ("Modifier", None)],
        },
    )


@require_POST
@rule(perms.may_organise, load=perms.event_of)
def cancel(request, public_id, record):
    try:
        services.cancel_event(record, actor=Actor.from_request(request))
    except services.EventError as error:
        report(error, request=request)
    else:
        messages.success(request, "L'événement est annulé ; les inscrits sont prévenus.")
    return redirect(_event_url(record))


def _session_page(request, event, *, save, done, title, crumb, session=None):
    """The form of one session (new or changed): ``save(data, actor)`` runs the service, a
    broken rule shows on the form, success goes back to the event."""
    form = event_forms.SessionForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            save(form.values(), Actor.from_request(request))
        except services.EventError as error:
            report(error, form=form)
        else:
            messages.success(request, done)
            return redirect(_event_url(event))
    context = {
        "form": form,
        "event": event,
        "title": title,
        "breadcrumbs": [_agenda_crumb(), (event.title, _event_url(event)), (crumb, None)],
    }
    if session is not None:
        context["session"] = session
    return render(request, "events/session_form.html", context)


@rule(perms.may_organise, load=perms.event_of)
def session_add(request, public_id, record):
    return _session_page(
        request,
        record,
        save=lambda data, actor: services.add_session(record, data=data, actor=actor),
        done="La séance est ajoutée.",
        title="Nouvelle séance",
        crumb="Nouvelle séance",
    )


@rule(perms.may_organise_session, load=perms.session_of)
def session_edit(request, public_id, record):
    return _session_page(
        request,
        record.event,
        save=lambda data, actor: services.update_session(record, data=data, actor=actor),
        done="La séance est modifiée.",
        title=f"Modifier la séance du {record.label()}",
        crumb="Modifier la séance",
        session=record,
    )


# --- Registering and inviting persons ------------------------------------------------------


def _open_sessions(event):
    return event.sessions.filter(cancelled_at__isnull=True, starts_at__gt=timezone.now())


@rule(perms.may_register_persons, load=perms.event_of)
def register_persons(request, public_id, record):
    """A counsellor (or a partner professional) invites or registers persons they see."""
    event = record
    membership = request.membership
    communes = Commune.objects.filter(insee_code__startswith="59").order_by("name")
    search = event_forms.PersonSearchForm(request.GET or None, communes=communes)
    persons = visible_persons(membership).select_related("commune")
    if search.is_valid():
        query = search.cleaned_data
        if query["q"]:
            for word in query["q"].split():
                persons = persons.filter(search_name__icontains=word.lower())
        if query["commune"]:
            persons = persons.filter(commune=query["commune"])
        if query["mine"]:
            persons = persons.filter(
                pk__in=FollowUpMember.objects.filter(
                    user_id=membership.user_id,
                    structure_id=membership.structure_id,
                    is_active=True,
                ).values("person_id")
            )
    persons = persons.order_by("last_name", "first_name")[:200]
    form = event_forms.RegisterPersonsForm(
        request.POST or None,
        sessions=_open_sessions(event),
        persons=visible_persons(membership).order_by("last_name", "first_name"),
    )
    if request.method == "POST" and form.is_valid():
        invite = form.cleaned_data["action"] == "invite"
        done, refused = services.register_many(
            form.cleaned_data["session"],
            form.cleaned_data["persons"],
            actor=Actor.from_request(request),
            by_organiser=perms.is_organiser(membership, event),
            invite=invite,
        )
        if done:
            waiting = sum(1 for r in done if r.status == Status.WAITING)
            verb = "invitée" if invite else "inscrite"
            plural = "s" if len(done) > 1 else ""
            text = f"{len(done)} personne{plural} {verb}{plural}"
            if waiting:
                text += f", dont {waiting} en liste d'attente"
            messages.success(request, text + ".")
        for refusal in refused:
            messages.error(request, refusal)
        return redirect(_event_url(event))
    return render(
        request,
        "events/register_persons.html",
        {
            "event": event,
            "form": form,
            "search": search,
            "persons": persons,
            "breadcrumbs": [
                _agenda_crumb(),
                (event.title, _event_url(event)),
                ("Inviter ou inscrire", None),
            ],
        },
    )


@require_POST
@rule(perms.may_organise, load=perms.event_of)
def remind(request, public_id, record):
    count = services.remind_invited(record, actor=Actor.from_request(request))
    if count:
        messages.success(
            request, f"{count} relance{'s' if count > 1 else ''} envoyée{'s' if count > 1 else ''}."
        )
    else:
        messages.info(request, "Aucune invitation sans réponse à relancer.")
    return redirect(_event_url(record))


@require_POST
@rule(perms.may_organise, load=perms.event_of)
def ask_satisfaction(request, public_id, record):
    from tisserand.events import tasks

    count = tasks.ask_satisfaction(record)
    if count:
        messages.success(request, f"Questionnaire envoyé à {count} participant(s) présent(s).")
    else:
        messages.info(
            request,
            "Aucun questionnaire envoyé : chaque participant présent l'a déjà reçu, a déjà "
            "répondu ou ne souhaite plus recevoir de messages.",
        )
    return redirect(_event_url(record))


def _contacts_for(event):
    contacts = Contact.objects.filter(is_active=True).select_related("establishment")
    if event.hr_club_id:
        contacts = contacts.filter(
            establishment__club_memberships__club_id=event.hr_club_id,
            establishment__club_memberships__left_on__isnull=True,
        )
    else:
        contacts = contacts.filter(establishment__officer_structure_id=event.structure_id)
    return contacts.order_by("last_name", "first_name")


@rule(perms.may_organise, load=perms.event_of)
def register_contacts(request, public_id, record):
    event = record
    form = event_forms.ContactRegistrationForm(
        request.POST or None, sessions=_open_sessions(event), contacts=_contacts_for(event)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.register(
                form.cleaned_data["session"],
                participant={"contact": form.cleaned_data["contact"]},
                actor=Actor.from_request(request),
                by_organiser=True,
            )
        except services.EventError as error:
            report(error, form=form)
        else:
            messages.success(request, "Le contact est inscrit.")
            return redirect(_event_url(event))
    return render(
        request,
        "events/register_contacts.html",
        {
            "event": event,
            "form": form,
            "breadcrumbs": [
                _agenda_crumb(),
                (event.title, _event_url(event)),
                ("Inscrire un contact d'entreprise", None),
            ],
        },
    )


@require_POST
@rule(perms.may_cancel_registration, load=perms.registration_of)
def registration_cancel(request, public_id, record):
    try:
        promoted = services.cancel_registration(record, actor=Actor.from_request(request))
    except services.EventError as error:
        report(error, request=request)
    else:
        text = "L'inscription est annulée."
        if promoted:
            text += " " + ", ".join(r.participant_name() for r in promoted)
            text += " sort de la liste d'attente et en est prévenu(e)."
        messages.success(request, text)
    return redirect(_event_url(record.session.event))


# --- Attendance, sign-in sheet, export -----------------------------------------------------


@rule(perms.may_organise_session, load=perms.session_of)
def attendance(request, public_id, record):
    session = record
    participants = documents.sorted_by_name(documents.seated(session))
    if request.method == "POST":
        statuses = {
            str(registration.public_id): request.POST.get(f"p-{registration.public_id}")
            for registration in participants
            if request.POST.get(f"p-{registration.public_id}")
        }
        try:
            changed = services.record_attendance(
                session, statuses, actor=Actor.from_request(request)
            )
        except services.EventError as error:
            report(error, request=request)
        else:
            messages.success(request, f"Présences enregistrées ({changed} changement(s)).")
            return redirect(reverse("events:attendance", args=[session.public_id]))
    return render(
        request,
        "events/attendance.html",
        {
            "session": session,
            "event": session.event,
            "participants": participants,
            "choices": event_forms.ATTENDANCE_CHOICES,
            "started": session.has_started(),
            "breadcrumbs": [
                _agenda_crumb(),
                (session.event.title, _event_url(session.event)),
                (f"Présences du {session.label()}", None),
            ],
        },
    )


@require_GET
@rule(perms.may_organise_session, load=perms.session_of)
def sign_in_sheet(request, public_id, record):
    content = documents.sign_in_sheet(record)
    response = HttpResponse(content, content_type="application/pdf")
    day = timezone.localtime(record.starts_at).strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="emargement-{day}.pdf"'
    return response


@require_GET
@rule(perms.may_organise, load=perms.event_of)
def export(request, public_id, record):
    registrations = (
        Registration.objects.filter(session__event=record)
        .select_related("session", "person", "contact__establishment")
        .order_by("session__starts_at", "last_name", "id")
    )
    response = HttpResponse(
        documents.participants_xlsx(record, registrations),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="participants.xlsx"'
    return response


# --- Job datings ---------------------------------------------------------------------------


def _establishments_for(event):
    return Establishment.objects.select_related("legal_unit").order_by("name")[:500]


@require_POST
@rule(perms.may_organise, load=perms.event_of)
def company_add(request, public_id, record):
    event = record
    form = event_forms.CompanyForm(request.POST, establishments=Establishment.objects.all())
    if form.is_valid():
        try:
            services.add_company(
                event,
                establishment=form.cleaned_data["establishment"],
                needs=form.cleaned_data["needs"],
                actor=Actor.from_request(request),
            )
        except services.EventError as error:
            report(error, request=request)
        else:
            messages.success(request, "L'entreprise participe ; ses créneaux sont créés.")
    else:
        messages.error(request, "Choisissez une entreprise.")
    return redirect(reverse("events:companies", args=[event.public_id]))


@require_GET
@rule(perms.may_view, load=perms.event_of)
def companies(request, public_id, record):
    """The slot matrix (company × time slot × candidate) and the participating companies."""
    event = record
    membership = request.membership
    organiser = perms.is_organiser(membership, event)
    event_companies = list(
        EventCompany.objects.filter(event=event)
        .select_related("establishment")
        .prefetch_related(
            Prefetch(
                "slots",
                queryset=InterviewSlot.objects.select_related("candidate__person").order_by(
                    "starts_at"
                ),
            )
        )
    )
    candidates = list(
        EventCandidate.objects.filter(event=event).select_related("person", "structure")
    )
    visible = set(
        visible_persons(membership)
        .filter(pk__in=[c.person_id for c in candidates])
        .values_list("pk", flat=True)
    )
    if not organiser:
        candidates = [c for c in candidates if c.person_id in visible]
    starts = sorted({slot.starts_at for company in event_companies for slot in company.slots.all()})
    rows = []
    for start in starts:
        cells = []
        for company in event_companies:
            cell = next((s for s in company.slots.all() if s.starts_at == start), None)
            cells.append(cell)
        rows.append((start, cells))
    return render(
        request,
        "events/companies.html",
        {
            "event": event,
            "companies": event_companies,
            "rows": rows,
            "candidates": candidates,
            "organiser": organiser,
            "company_form": event_forms.CompanyForm(establishments=_establishments_for(event)),
            "candidate_form": event_forms.CandidateForm(
                persons=visible_persons(membership).order_by("last_name", "first_name")
            ),
            "outcomes": event_forms.Outcome.choices,
            "can_propose": perms.may_propose_candidates(membership, event),
            "breadcrumbs": [
                _agenda_crumb(),
                (event.title, _event_url(event)),
                ("Entreprises et entretiens", None),
            ],
        },
    )


@require_POST
@rule(perms.may_propose_candidates, load=perms.event_of)
def propose(request, public_id, record):
    form = event_forms.CandidateForm(request.POST, persons=visible_persons(request.membership))
    if form.is_valid():
        try:
            services.propose_candidate(
                record, person=form.cleaned_data["person"], actor=Actor.from_request(request)
            )
        except services.EventError as error:
            report(error, request=request)
        else:
            messages.success(request, "La candidature est proposée.")
    else:
        messages.error(request, "Choisissez une personne que vous suivez.")
    return redirect(reverse("events:companies", args=[record.public_id]))


@require_POST
@rule(perms.may_fill_slot, load=perms.slot_of)
def slot(request, pk, record):
    event = record.company.event
    candidate = None
    candidate_id = request.POST.get("candidate", "")
    if candidate_id:
        candidate = (
            EventCandidate.objects.filter(event=event, pk=candidate_id)
            .select_related("person")
            .first()
        )
        if candidate is None:
            messages.error(request, "Choisissez un candidat proposé pour cet événement.")
            return redirect(reverse("events:companies", args=[event.public_id]))
    try:
        services.assign_slot(record, candidate=candidate, actor=Actor.from_request(request))
    except services.EventError as error:
        report(error, request=request)
    else:
        messages.success(request, "Le créneau est enregistré.")
    return redirect(reverse("events:companies", args=[event.public_id]))


@require_POST
@rule(perms.may_fill_slot, load=perms.slot_of)
def slot_outcome(request, pk, record):
    event = record.company.event
    try:
        services.record_outcome(
            record, outcome=request.POST.get("outcome", ""), actor=Actor.from_request(request)
        )
    except services.EventError as error:
        report(error, request=request)
    else:
        messages.success(request, "Le résultat de l'entretien est enregistré.")
    return redirect(reverse("events:companies", args=[event.public_id]))


# --- Satisfaction ----------------------------------------------------------------------------


@require_GET
@rule(perms.may_see_satisfaction)
def satisfaction(request):
    from django.db.models import Avg, Count

    answers = SatisfactionAnswer.objects.filter(
        registration__session__event__structure_id=request.membership.structure_id
    )
    by_type = (
        answers.values("registration__session__event__event_type")
        .annotate(n=Count("id"), average=Avg("rating"))
        .order_by("registration__session__event__event_type")
    )
    labels = vocabularies.labels(vocabularies.EVENT_TYPE)
    rows = [
        {
            "label": labels.get(row["registration__session__event__event_type"], "—"),
            "n": row["n"],
            "average": row["average"],
        }
        for row in by_type
    ]
    return render(
        request,
        "events/satisfaction.html",
        {"rows": rows, "breadcrumbs": [_agenda_crumb(), ("Satisfaction", None)]},
    )


# --- Feeds -----------------------------------------------------------------------------------


@require_POST
@rule(perms.sees_events)
def feed_issue(request):
    token = feeds.issue(request.user)
    url = request.build_absolute_uri(reverse("events:feed", args=[token]))
    messages.success(request, f"Votre lien d'agenda des événements (à copier maintenant) : {url}")
    return redirect(reverse("events:agenda"))


@require_GET
@public
def feed(request, token):
    user = feeds.user_for(token)
    if user is None:
        raise Http404
    return HttpResponse(
        ics.calendar(feeds.sessions_for(user), name="Mes événements (Tisserand)"),
        content_type=ICS_CONTENT_TYPE,
    )


# --- Paramétrage (administrator) -----------------------------------------------------------


@rule(perms.may_edit_messages)
def message_templates(request):
    structure = request.membership.structure
    form = event_forms.MessageTemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        MessageTemplate.objects.update_or_create(
            structure=structure,
            event_type=form.cleaned_data["event_type"],
            kind=form.cleaned_data["kind"],
            defaults={
                "subject": form.cleaned_data["subject"],
                "body": form.cleaned_data["body"],
            },
        )
        messages.success(request, "Le modèle de message est enregistré.")
        return redirect(reverse("events:message_templates"))
    from tisserand.events.notices import DEFAULTS

    return render(
        request,
        "events/message_templates.html",
        {
            "form": form,
            "templates": MessageTemplate.objects.filter(structure=structure),
            "labels": vocabularies.labels(vocabularies.EVENT_TYPE),
            "defaults": [(kind.label, subject, body) for kind, (subject, body) in DEFAULTS.items()],
            "breadcrumbs": [("Paramétrage des événements", None)],
        },
    )


@rule(perms.may_edit_messages)
def brandings(request):
    form = event_forms.BrandingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        branding, _ = ProgrammeBranding.objects.update_or_create(
            programme_code=form.cleaned_data["programme_code"],
            defaults={
                "label": form.cleaned_data["label"],
                "mentions": form.cleaned_data["mentions"],
            },
        )
        if form.cleaned_data.get("logo_file"):
            branding.logo, branding.logo_type = form.cleaned_data["logo_file"]
            branding.save(update_fields=["logo", "logo_type"])
        messages.success(request, "Les mentions du programme sont enregistrées.")
        return redirect(reverse("events:brandings"))
    return render(
        request,
        "events/brandings.html",
        {
            "form": form,
            "brandings": ProgrammeBranding.objects.all(),
            "breadcrumbs": [("Mentions des financeurs", None)],
        },
    )


# --- Public pages ----------------------------------------------------------------------------


@require_GET
@public
@rate_limited("pages")
def public_list(request):
    events = selectors.upcoming_public()[:100]
    return render(
        request,
        "events/public_list.html",
        {"events": events, "labels": vocabularies.labels(vocabularies.EVENT_TYPE)},
    )


def _public_event(public_id):
    event = (
        Event.objects.active()
        .filter(public_id=public_id, visibility="public")
        .select_related("structure", "commune")
        .first()
    )
    if event is None:
        raise Http404
    return event


@public
@rate_limited("pages")
def public_detail(request, public_id):
    event = _public_event(public_id)
    sessions = _open_sessions(event)
    form = event_forms.PublicRegistrationForm(request.POST or None, sessions=sessions)
    if request.method == "POST" and form.is_valid():
        from tisserand.events import ratelimit

        refusal = ratelimit.registration_refusal(request, form.cleaned_data)
        if refusal:
            form.add_error(None, refusal)
        else:
            try:
                registration = services.register(
                    form.cleaned_data["session"], participant=form.participant()
                )
            except services.EventError as error:
                report(error, form=form)
            else:
                ratelimit.count_registration(request, form.cleaned_data)
                return redirect(links.personal_url(registration))
    return render(
        request,
        "events/public_detail.html",
        {
            "event": event,
            "sessions": sessions,
            "form": form,
            "open": event.registration_open() and sessions.exists(),
            "type_label": vocabularies.labels(vocabularies.EVENT_TYPE).get(event.event_type, ""),
        },
    )


@public
@rate_limited("pages")
def personal(request, token):
    """The participant's own page (no account): confirm or decline, cancel, stop messages."""
    registration = links.registration_for(token)
    if registration is None:
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("confirm", "decline"):
                services.answer_invitation(registration, accept=action == "confirm")
            elif action == "cancel":
                services.cancel_registration(registration)
            elif action == "opt_out":
                services.opt_out(registration)
            else:
                raise services.EventError("Action inconnue.")
        except services.EventError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "C'est enregistré, merci.")
        return redirect(reverse("events:personal", args=[token]))
    return render(
        request,
        "events/personal.html",
        {
            "registration": registration,
            "session": registration.session,
            "event": registration.session.event,
            "token": token,
            "can_cancel": registration.status in (Status.REGISTERED, Status.WAITING)
            and not registration.session.has_started(),
            "answered": SatisfactionAnswer.objects.filter(registration=registration).exists(),
        },
    )


@require_GET
@public
@rate_limited("pages")
def personal_ics(request, token):
    registration = links.registration_for(token)
    if registration is None:
        raise Http404
    sessions = [registration.session]
    if registration.person_id:
        sessions = [
            r.session
            for r in Registration.objects.filter(
                person_id=registration.person_id, status__in=[*SEAT_STATUSES, Status.WAITING]
            ).select_related("session__event__structure", "session__event__commune")
        ]
    response = HttpResponse(
        ics.calendar(sessions, name="Mes événements"), content_type=ICS_CONTENT_TYPE
    )
    response["Content-Disposition"] = 'attachment; filename="evenements.ics"'
    return response


@public
@rate_limited("pages")
def personal_satisfaction(request, token):
    registration = links.registration_for(token)
    if registration is None:
        raise Http404
    form = event_forms.SatisfactionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_satisfaction(registration, data=form.cleaned_data)
        except services.EventError as error:
            report(error, form=form)
        else:
            messages.success(request, "Merci pour votre avis !")
            return redirect(reverse("events:personal", args=[token]))
    return render(
        request,
        "events/satisfaction_form.html",
        {"form": form, "event": registration.session.event, "token": token},
    )


# --- Leader portal ---------------------------------------------------------------------------


@rule(perms.leads, load=portal.leader_establishment)
def portal_events(request, public_id, record):
    """A company leader's registrations to the meetings of the HR clubs their company is in."""
    establishment = record
    account = portal.leader_accounts(request.user).filter(establishment=establishment).first()
    contact = account.contact if account else None
    clubs = establishment.club_memberships.filter(left_on__isnull=True).values("club_id")
    sessions = (
        Session.objects.filter(
            event__hr_club_id__in=clubs,
            event__cancelled_at__isnull=True,
            cancelled_at__isnull=True,
            starts_at__gt=timezone.now(),
        )
        .select_related("event__hr_club", "event__commune", "event__structure")
        .order_by("starts_at")
    )
    mine = {}
    if contact is not None:
        mine = {
            r.session_id: r
            for r in Registration.objects.filter(contact=contact, session__in=sessions)
        }
    if request.method == "POST":
        target = sessions.filter(public_id=request.POST.get("session", "")).first()
        if target is None or contact is None:
            messages.error(request, "Choisissez une réunion de votre club.")
        else:
            try:
                existing = mine.get(target.pk)
                if request.POST.get("action") == "cancel" and existing is not None:
                    services.cancel_registration(existing)
                else:
                    services.register(target, participant={"contact": contact})
            except services.EventError as error:
                report(error, request=request)
            else:
                messages.success(request, "C'est enregistré.")
        return redirect(reverse("events:portal", args=[establishment.public_id]))
    return render(
        request,
        "events/portal.html",
        {
            "establishment": establishment,
            "rows": [(session, mine.get(session.pk)) for session in sessions],
            "contact": contact,
        },
    )
