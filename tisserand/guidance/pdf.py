"""The synthesis document as PDF (WeasyPrint, imported only when a PDF is made)."""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

PDF_TEMPLATE = "guidance/pdf/synthesis.html"


def synthesis_pdf(synthesis, request=None, counsellor=None):
    """The PDF bytes of a ``services.Synthesis`` (``counsellor``: who made it, in counsellor
    mode — a ``services.Counsellor``)."""
    return render_pdf(PDF_TEMPLATE, {"synthesis": synthesis, "counsellor": counsellor}, request)


def render_pdf(template, context, request=None):
    """The PDF bytes of an HTML template."""
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    # A local base URL: the document embeds its styles and never fetches anything.
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def pdf_response(content, filename):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
