"""What the companies app adds to the socle: navigation, home cards, record sections, portal
entries, reference data and the demo seeders — one module per part."""

from tisserand.companies import relations_registrations


def register_all():
    relations_registrations.register_all()
