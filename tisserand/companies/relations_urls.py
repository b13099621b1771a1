"""Where the journal, the needs and their routing live (``companies/urls.py`` includes them)."""

from django.urls import NoReverseMatch, reverse


def company_url(establishment):
    """The company's record page, or its journal while the record page is not installed."""
    try:
        return reverse("companies:detail", kwargs={"public_id": establishment.public_id})
    except NoReverseMatch:
        return reverse("companies:journal", kwargs={"public_id": establishment.public_id})
