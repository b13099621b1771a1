"""The sign-in sheet of a session (PDF, WeasyPrint) and the participants' list (XLSX)."""

from io import BytesIO

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from tisserand.events.models import SEAT_STATUSES, ProgrammeBranding, Registration


def seated(session):
    return (
        Registration.objects.filter(session=session, status__in=SEAT_STATUSES)
        .select_related("person", "contact__establishment")
        .order_by("last_name", "id")
    )


def _sorted(registrations):
    return sorted(registrations, key=lambda r: r.participant_name().lower())


def sign_in_sheet(session):
    """The PDF bytes of the session's *feuille d'émargement*."""
    from weasyprint import HTML

    event = session.event
    branding = (
        ProgrammeBranding.objects.filter(programme_code=event.programme_code).first()
        if event.programme_code
        else None
    )
    html = render_to_string(
        "events/pdf/sign_in_sheet.html",
        {
            "session": session,
            "event": event,
            "participants": _sorted(seated(session)),
            "branding": branding,
            "printed_at": timezone.localtime(),
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


HEADERS = ["Séance", "Participant", "Type", "Entreprise", "Adresse e-mail", "Statut", "Inscrit le"]


def participants_xlsx(event, registrations):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Participants")
    bold = Font(bold=True)
    header = []
    for title in HEADERS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for registration in registrations:
        kind = (
            "Personne"
            if registration.person_id
            else "Contact d'entreprise"
            if (registration.contact_id)
            else "Inscription publique"
        )
        sheet.append(
            [
                registration.session.label(),
                registration.participant_name(),
                kind,
                str(registration.contact.establishment) if registration.contact_id else "",
                registration.participant_email(),
                registration.get_status_display(),
                timezone.localtime(registration.created_at).strftime("%d/%m/%Y %H:%M"),
            ]
        )
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
