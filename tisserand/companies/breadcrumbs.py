"""The breadcrumb steps of a company's record, for the pages of every app that hang on it."""

from django.urls import reverse

from tisserand.core.breadcrumbs import trail


def companies_step():
    return ("Entreprises", reverse("companies:list"))


def company_step(establishment):
    return (establishment.display_name, reverse("companies:detail", args=[establishment.public_id]))


def company_trail(establishment, *steps):
    """Entreprises › the company › ``steps``."""
    return trail(companies_step(), company_step(establishment), *steps)
