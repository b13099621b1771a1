"""iCalendar (RFC 5545) of sessions: the attachment of the messages and the private feeds."""

from datetime import UTC

from icalendar import Calendar
from icalendar import Event as IcsEvent

PRODUCT_ID = "-//Tisserand//Evenements//FR"
UID_DOMAIN = "tisserand.evenements"


def _utc(moment):
    return moment.astimezone(UTC)


def session_event(session, *, cancelled=False):
    event = session.event
    item = IcsEvent()
    item.add("uid", f"{session.public_id}@{UID_DOMAIN}")
    item.add("dtstamp", _utc(event.created_at))
    item.add("dtstart", _utc(session.starts_at))
    item.add("dtend", _utc(session.ends_at))
    item.add("summary", event.title)
    place = event.place_label()
    if session.room:
        place = f"{place} — salle {session.room}"
    item.add("location", place)
    if event.online_url:
        item.add("url", event.online_url)
    item.add("description", f"Organisé par {event.structure}")
    is_cancelled = cancelled or session.cancelled_at is not None or event.is_cancelled
    item.add("status", "CANCELLED" if is_cancelled else "CONFIRMED")
    return item


def calendar(sessions, *, name, cancelled=False):
    cal = Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "CANCEL" if cancelled else "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Paris")
    for session in sessions:
        cal.add_component(session_event(session, cancelled=cancelled))
    return cal.to_ical()
