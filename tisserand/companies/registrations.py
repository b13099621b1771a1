"""What the companies app adds to the socle: navigation, home cards, record sections, portal
entries, supporting documents, the landing of leaders and the demo seeders."""

from tisserand.companies import portal_registrations


def register_all():
    portal_registrations.register_all()
