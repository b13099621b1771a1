"""What the companies app adds to the socle: navigation, home cards, record sections, portal
entries, supporting documents, the landing of leaders, reference data and the demo seeders —
one module per part."""

from tisserand.companies import portal_registrations, relations_registrations


def register_all():
    relations_registrations.register_all()
    portal_registrations.register_all()
