"""The monthly activity report: a PDF (WeasyPrint) of the key figures of the month and of the
year to date, for one reader's perimeter (a director: their structure, the network for the
house's; a funder: its conventions, masked), e-mailed to directors and funders by a
background task once per month and recipient (``MonthlyReportDispatch``)."""

from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from tisserand.reporting import perms, progress, scopes
from tisserand.reporting.dashboards import key_figures
from tisserand.reporting.indicators import Period
from tisserand.structures.models import Membership
from tisserand.structures.roles import Role


def context(membership, year, month):
    period = Period.month(year, month)
    year_to_date = Period(date(year, 1, 1), period.end)
    sections = []
    for perimeter in scopes.perimeters(membership)[:6]:
        progressions = []
        if perimeter.convention is not None:
            progressions = progress.convention_progress(
                perimeter.convention,
                scope=perimeter.scope,
                today=period.end,
                mask=perms.masks_small_counts(membership),
            )
        sections.append(
            {
                "perimeter": perimeter,
                "month": key_figures(membership, perimeter.scope, period),
                "year": key_figures(membership, perimeter.scope, year_to_date),
                "progressions": progressions,
            }
        )
    return {"membership": membership, "period": period, "sections": sections}


def render_pdf(membership, year, month):
    from weasyprint import HTML

    html = render_to_string("reporting/pdf/monthly.html", context(membership, year, month))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def recipients():
    """Active directors and funders (with an e-mail address)."""
    return (
        Membership.objects.active()
        .filter(role__in=[Role.DIRECTOR, Role.FUNDER])
        .exclude(user__email="")
        .select_related("user", "structure")
        .order_by("pk")
    )


def send(membership_id, year, month):
    """Sends one report, once: the dispatch row is claimed first (unique per month and
    recipient), so a task run twice sends nothing the second time. Returns whether sent."""
    from tisserand.reporting.services import claim_dispatch

    membership = Membership.objects.select_related("user", "structure").get(pk=membership_id)
    if not claim_dispatch(date(year, month, 1), membership):
        return False
    pdf = render_pdf(membership, year, month)
    message = EmailMessage(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Rapport d'activité {month:02d}/{year} "
        f"— {membership.structure}",
        body=render_to_string(
            "reporting/email/monthly.txt",
            {"membership": membership, "month": f"{month:02d}/{year}"},
        ),
        to=[membership.user.email],
    )
    message.attach(f"rapport-{year}-{month:02d}.pdf", pdf, "application/pdf")
    message.send()
    return True
