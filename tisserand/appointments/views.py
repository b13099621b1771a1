from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from tisserand.appointments import agenda as agenda_logic
from tisserand.appointments import feeds, ics, perms, services
from tisserand.appointments.forms import AppointmentForm, AttendanceForm, BookingForm, CancelForm
from tisserand.appointments.models import Appointment, CalendarFeed
from tisserand.core.access_log import log_record_access
from tisserand.core.actor import Actor
from tisserand.core.feedback import report
from tisserand.core.permissions import public, rule
from tisserand.core.timeline import events_for
from tisserand.people import perms as people_perms
from tisserand.people.models import CARING_ROLES, FollowUpMember
from tisserand.people.selectors import visible_persons

NEW_FEED_URL_SESSION_KEY = "appointments_new_feed_url"
ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"


def person_url(person):
    return reverse("people:detail", args=[person.public_id])


def _appointment(request, public_id):
    """The appointment the URL designates (404 when absent): the rules' loader."""
    return get_object_or_404(
        Appointment.objects.select_related("person", "counsellor", "structure"),
        public_id=public_id,
    )


def _safe_next(request, fallback):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _base_url(request):
    return request.build_absolute_uri("/").rstrip("/")


# --- Agenda -------------------------------------------------------------------------------


def _period_context(request, user, agenda_base):
    """What the agenda's period shows for ``user`` (the day or week asked for)."""
    today = timezone.localdate()
    period, error = agenda_logic.parse_period(
        request.GET.get("vue", ""), request.GET.get("date", ""), today
    )
    appointments = agenda_logic.appointments_of(user, request.membership.structure, period)
    return {
        "period": period,
        "days": agenda_logic.by_day(period, appointments),
        "count": sum(1 for a in appointments if not a.is_cancelled),
        "today": today,
        "now": timezone.now(),
        "views": agenda_logic.VIEWS,
        "period_error": error,
        "previous": period.shifted(-1),
        "next": period.shifted(1),
        "current": agenda_logic.Period.containing(period.view, today),
        "day_view": period.switched_to(agenda_logic.DAY, today),
        "week_view": period.switched_to(agenda_logic.WEEK, today),
        "agenda_base": agenda_base,
        "agenda_url": f"{agenda_base}?{period.query()}",
        "records_attendance": user == request.user,
    }


def _agenda_response(request, context, template, extra):
    """The period alone for htmx navigation, else the whole page with ``extra``."""
    if request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request:
        response = render(request, "appointments/_agenda_period.html", context)
    else:
        response = render(request, template, {**context, **extra})
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
@rule(perms.has_agenda)
def agenda(request):
    context = _period_context(request, request.user, reverse("appointments:agenda"))
    extra = {
        "feed": CalendarFeed.objects.filter(user=request.user).first(),
        "new_feed_url": request.session.pop(NEW_FEED_URL_SESSION_KEY, None),
        "colleagues": perms.agenda_colleagues(request.membership),
        "breadcrumbs": [("Mon agenda", None)],
    }
    return _agenda_response(request, context, "appointments/agenda.html", extra)


@require_GET
@rule(perms.may_open_agenda_of, load=perms.colleague_of)
def colleague_agenda(request, user_id, record):
    """A colleague's agenda (team agenda): read, and book in it for a person they follow."""
    colleague = record
    base = reverse("appointments:colleague_agenda", args=[colleague.public_id])
    context = _period_context(request, colleague, base)
    name = _name(colleague)
    extra = {
        "colleague": colleague,
        "colleague_name": name,
        "persons": _persons_followed_by(colleague, request.membership),
        "breadcrumbs": [
            ("Mon agenda", reverse("appointments:agenda")),
            (f"Agenda de {name}", None),
        ],
    }
    return _agenda_response(request, context, "appointments/colleague_agenda.html", extra)


def _name(user):
    return user.get_full_name() or user.email


def _persons_followed_by(colleague, membership):
    """The persons ``colleague`` follows for the structure that ``membership`` may see."""
    followed = FollowUpMember.objects.filter(
        user=colleague, structure_id=membership.structure_id, is_active=True, role__in=CARING_ROLES
    ).values("person_id")
    return visible_persons(membership).filter(pk__in=followed).order_by("last_name", "first_name")


@require_POST
@rule(perms.has_agenda)
def feed_issue(request):
    token = feeds.issue(request.user)
    url = request.build_absolute_uri(reverse("appointments:feed", args=[token]))
    request.session[NEW_FEED_URL_SESSION_KEY] = url
    messages.success(
        request,
        "Votre lien d'agenda privé est prêt : copiez-le maintenant dans votre logiciel d'agenda, "
        "il ne sera plus affiché.",
    )
    return redirect(f"{reverse('appointments:agenda')}#flux")


@require_POST
@rule(perms.has_agenda)
def feed_revoke(request):
    if feeds.revoke(request.user):
        messages.success(request, "Votre lien d'agenda privé est révoqué : il ne fonctionne plus.")
    else:
        messages.info(request, "Vous n'aviez pas de lien d'agenda privé.")
    return redirect(f"{reverse('appointments:agenda')}#flux")


@require_GET
@public
def feed(request, token):
    """The private feed: no login (calendar software cannot log in), the secret token instead."""
    calendar_feed = feeds.feed_for(token)
    if calendar_feed is None:
        raise Http404("Lien d'agenda inconnu ou révoqué.")
    user = calendar_feed.user
    body = ics.calendar(
        feeds.appointments_in_feed(user),
        base_url=_base_url(request),
        name=f"Tisserand — rendez-vous de {user.get_full_name() or user.email}",
    )
    response = HttpResponse(body, content_type=ICS_CONTENT_TYPE)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# --- One appointment ----------------------------------------------------------------------


@rule(perms.may_book, load=people_perms.person_of)
def book(request, person_id, record):
    person = record.record
    counsellors = services.counsellors_for(person, request.membership.structure, request.user)
    breadcrumbs = [(str(person), person_url(person)), ("Fixer un rendez-vous", None)]
    return _booking_page(request, person, counsellors, request.user, breadcrumbs)


@rule(perms.may_book_in_agenda_of, load=perms.agenda_booking)
def book_in_agenda(request, user_id, record):
    """Booking from a colleague's agenda: the colleague holds the appointment by default."""
    person, colleague = record.record, record.colleague
    counsellors = services.counsellors_for(person, request.membership.structure, colleague)
    agenda_url = reverse("appointments:colleague_agenda", args=[colleague.public_id])
    breadcrumbs = [
        ("Mon agenda", reverse("appointments:agenda")),
        (f"Agenda de {_name(colleague)}", agenda_url),
        ("Fixer un rendez-vous", None),
    ]
    return _booking_page(request, person, counsellors, colleague, breadcrumbs)


def _booking_page(request, person, counsellors, counsellor, breadcrumbs):
    membership = request.membership
    appointment = Appointment(person=person, structure=membership.structure)
    form = BookingForm(
        request.POST or None,
        instance=appointment,
        counsellors=counsellors,
        initial={"counsellor": counsellor.pk},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.book(
                form.instance, actor=Actor.from_request(request), confirmed=form.confirmed
            )
        except services.AppointmentError as error:
            report(error, form=form)
        else:
            messages.success(request, f"{form.instance} enregistré avec {person}.")
            return redirect("appointments:detail", public_id=form.instance.public_id)
    return render(
        request,
        "appointments/form.html",
        {
            "form": form,
            "person": person,
            "person_url": person_url(person),
            "title": f"Fixer un rendez-vous avec {person}",
            "submit_label": "Enregistrer le rendez-vous",
            "cancel_url": person_url(person),
            "breadcrumbs": breadcrumbs,
        },
    )


@require_GET
@rule(perms.can_view, load=_appointment)
def detail(request, public_id, record):
    appointment = record
    membership, person = request.membership, appointment.person
    can_change = perms.can_change(membership, appointment)
    log_record_access(
        request,
        person,
        owner_structure=person.owner_structure,
        label=f"{person} — {appointment}",
    )
    now = timezone.now()
    return render(
        request,
        "appointments/detail.html",
        {
            "appointment": appointment,
            "person": person,
            "person_url": person_url(person),
            "can_change": can_change and not appointment.is_cancelled,
            "can_record_attendance": can_change
            and not appointment.is_cancelled
            and appointment.has_started(now),
            "attendance_form": AttendanceForm(initial={"attendance": appointment.attendance}),
            "cancel_form": CancelForm(),
            "events": events_for(appointment)[:50],
            "breadcrumbs": [
                (str(person), person_url(person)),
                (str(appointment), None),
            ],
        },
    )


@rule(perms.can_change, load=_appointment)
def edit(request, public_id, record):
    appointment = record
    if appointment.is_cancelled:
        messages.error(request, "Ce rendez-vous est annulé : il ne peut plus être modifié.")
        return redirect("appointments:detail", public_id=appointment.public_id)
    form = AppointmentForm(
        request.POST or None,
        instance=appointment,
        counsellors=services.counsellors_for(
            appointment.person, appointment.structure, appointment.counsellor, request.user
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update(
                appointment,
                data=form.values(),
                actor=Actor.from_request(request),
                confirmed=form.confirmed,
            )
        except services.AppointmentError as error:
            report(error, form=form)
        else:
            messages.success(request, "Le rendez-vous est modifié.")
            return redirect("appointments:detail", public_id=appointment.public_id)
    person = appointment.person
    detail_url = reverse("appointments:detail", args=[appointment.public_id])
    return render(
        request,
        "appointments/form.html",
        {
            "form": form,
            "person": person,
            "person_url": person_url(person),
            "title": f"Modifier le rendez-vous avec {person}",
            "submit_label": "Enregistrer les modifications",
            "cancel_url": detail_url,
            "breadcrumbs": [
                (str(person), person_url(person)),
                (str(appointment), detail_url),
                ("Modifier", None),
            ],
        },
    )


@require_POST
@rule(perms.can_change, load=_appointment)
def cancel(request, public_id, record):
    appointment = record
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.cancel(
                appointment, reason=form.cleaned_data["reason"], actor=Actor.from_request(request)
            )
        except services.AppointmentError as error:
            report(error, request=request)
        else:
            messages.success(request, f"{appointment} annulé.")
    else:
        messages.error(request, "Le motif ne doit pas dépasser 300 caractères.")
    return redirect("appointments:detail", public_id=appointment.public_id)


@require_POST
@rule(perms.can_change, load=_appointment)
def attendance(request, public_id, record):
    """Records attendance from the appointment page, or from an agenda row (htmx: the row)."""
    appointment = record
    form = AttendanceForm(request.POST)
    error = None
    if not form.is_valid():
        error = form.errors["attendance"][0]
    else:
        try:
            services.record_attendance(
                appointment, form.cleaned_data["attendance"], actor=Actor.from_request(request)
            )
        except services.AppointmentError as exc:
            error = str(exc)
    if request.htmx:
        return render(
            request,
            "appointments/_agenda_row.html",
            {
                "appointment": appointment,
                "now": timezone.now(),
                "agenda_url": _safe_next(request, reverse("appointments:agenda")),
                "records_attendance": True,
                "row_message": error or "Présence enregistrée.",
                "row_error": bool(error),
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request, f"Présence enregistrée : {appointment.get_attendance_display().lower()}."
        )
    return redirect(
        _safe_next(request, reverse("appointments:detail", args=[appointment.public_id]))
    )


@require_GET
@rule(perms.can_view, load=_appointment)
def export(request, public_id, record):
    appointment = record
    body = ics.calendar(
        [appointment],
        base_url=_base_url(request),
        name="Tisserand — rendez-vous",
        with_subject=True,
    )
    response = HttpResponse(body, content_type=ICS_CONTENT_TYPE)
    local = timezone.localtime(appointment.starts_at)
    response["Content-Disposition"] = (
        f'attachment; filename="rendez-vous-{local:%Y-%m-%d-%Hh%M}.ics"'
    )
    return response
