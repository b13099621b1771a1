"""iCalendar (RFC 5545) export of appointments: one appointment, or a counsellor's feed.

What leaves the application is kept to what the counsellor needs to find their way: the
person's first name and the initial of their last name, the time, the mode and the place. The
subject of the appointment is only in the export of one appointment (an explicit download by a
logged-in user), never in the feed that a calendar service keeps polling.
"""

from datetime import UTC

from django.urls import reverse
from icalendar import Calendar, Event

PRODUCT_ID = "-//Tisserand//Rendez-vous//FR"
UID_DOMAIN = "tisserand.rendez-vous"


def short_name(person):
    """'Léa M.': the first name and the initial of the last name."""
    initial = person.last_name.strip()[:1].upper()
    return f"{person.first_name} {initial}." if initial else person.first_name


def _utc(moment):
    return moment.astimezone(UTC)


def event_for(appointment, *, base_url, with_subject=False):
    event = Event()
    event.add("uid", f"{appointment.public_id}@{UID_DOMAIN}")
    event.add("dtstamp", _utc(appointment.updated_at))
    event.add("last-modified", _utc(appointment.updated_at))
    event.add("dtstart", _utc(appointment.starts_at))
    event.add("dtend", _utc(appointment.ends_at))
    event.add(
        "summary",
        f"RDV {short_name(appointment.person)} ({appointment.get_mode_display().lower()})",
    )
    if appointment.place:
        event.add("location", appointment.place)
    link = base_url + reverse("appointments:detail", args=[appointment.public_id])
    lines = [f"Objet : {appointment.subject}"] if with_subject else []
    lines.append(f"Fiche du rendez-vous (connexion requise) : {link}")
    event.add("description", "\n".join(lines))
    event.add("url", link)
    event.add("status", "CANCELLED" if appointment.is_cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if appointment.is_cancelled else "OPAQUE")
    return event


def calendar(appointments, *, base_url, name, with_subject=False):
    """The iCalendar bytes of ``appointments`` (whose person is loaded with them)."""
    cal = Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Paris")
    for appointment in appointments:
        cal.add_component(event_for(appointment, base_url=base_url, with_subject=with_subject))
    return cal.to_ical()
