"""What the companies app adds to the socle: navigation, home cards, record sections, pickers,
portal entries, supporting documents, the landing of leaders, reference data and the demo
seeders — one module per part (the record, the relations, the clubs/GPEC/portal)."""

from tisserand.companies import (
    portal_registrations,
    records_registrations,
    relations_registrations,
)
from tisserand.companies import retention as companies_retention


def register_all():
    companies_retention.register_all()
    records_registrations.register_all()
    relations_registrations.register_all()
    portal_registrations.register_all()
