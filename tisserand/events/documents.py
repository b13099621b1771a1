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


def sorted_by_name(registrations):
    return sorted(registrations, key=lambda r: r.participant_name().lower())


ROWS_PER_PAGE = 23
ROW_HEIGHT_MM = 9.5
# Blank lines on the last page, for participants who come without registering.
SPARE_ROWS = 5


def _one_line(text):
    return " ".join(str(text).split())


def sheet_pages(participants):
    """The pages of the sheet: per page, the names (numbered) and the organisations as lines
    of text, one per row. A column with nothing to say is left empty: every line costs."""
    rows = [
        (
            f"{number}. {_one_line(registration.participant_name())}",
            _one_line(registration.contact.establishment) if registration.contact_id else "",
        )
        for number, registration in enumerate(participants, start=1)
    ]
    free = (-len(rows)) % ROWS_PER_PAGE
    if not rows:
        free = ROWS_PER_PAGE
    elif free < SPARE_ROWS:
        free += ROWS_PER_PAGE
    rows += [("", "")] * free
    pages = []
    for first in range(0, len(rows), ROWS_PER_PAGE):
        chunk = rows[first : first + ROWS_PER_PAGE]
        organisations = [row[1] for row in chunk]
        pages.append(
            {
                "names": "\n".join(row[0] for row in chunk).rstrip("\n"),
                "organisations": "\n".join(organisations).rstrip("\n")
                if any(organisations)
                else "",
            }
        )
    return pages


def sign_in_sheet(session):
    """The PDF bytes of the session's *feuille d'émargement*: the names, the session, one
    signature box each, and the funders' mentions and logo of the event's programme."""
    from weasyprint import HTML

    event = session.event
    branding = (
        ProgrammeBranding.objects.filter(programme_code=event.programme_code).first()
        if event.programme_code
        else None
    )
    participants = sorted_by_name(seated(session))
    html = render_to_string(
        "events/pdf/sign_in_sheet.html",
        {
            "session": session,
            "event": event,
            "pages": sheet_pages(participants),
            "count": len(participants),
            "branding": branding,
            "logo": branding.logo_data_uri() if branding else "",
            "printed_at": timezone.localtime(),
            # CSS lengths as text: the French locale would write « 10,8 ».
            "row_height": f"{ROW_HEIGHT_MM:.1f}",
            "line_at": f"{ROW_HEIGHT_MM - 0.2:.1f}",
            # The rows and the labels' row.
            "grid_height": f"{ROW_HEIGHT_MM * (ROWS_PER_PAGE + 1):.1f}",
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
