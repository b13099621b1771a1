"""The rules of the company record that the services, the forms and the imports share: a
valid SIRET, the search key of a name, the companies of the same name in a commune."""

from stdnum.fr import siret

from tisserand.companies.models import Establishment
from tisserand.core.errors import DomainError
from tisserand.core.text import fold

SIRET_MESSAGE = "SIRET invalide : 14 chiffres dont le dernier est une clé de contrôle."


class InvalidSiret(DomainError):
    pass


def normalise_siret(value):
    """The SIRET as typed, without spaces, dots or dashes (« 123 456 789 00012 »)."""
    return "".join(ch for ch in (value or "") if ch not in " .-\u00a0\u202f")


def is_valid_siret(value):
    """14 digits whose Luhn check digit holds, and that of their SIREN (python-stdnum, which
    knows La Poste's own rule)."""
    return len(value) == 14 and value.isdigit() and siret.is_valid(value)


def check_siret(value):
    """The normalised SIRET, or ``InvalidSiret`` with its French message."""
    siret = normalise_siret(value)
    if not is_valid_siret(siret):
        raise InvalidSiret(SIRET_MESSAGE)
    return siret


def search_name_of(establishment):
    """The search key of a record: its names folded, never a hidden individual's name."""
    unit = establishment.legal_unit
    if unit.is_individual and (establishment.hides_address or unit.hides_identity):
        return ""
    names = dict.fromkeys(fold(n) for n in (establishment.name, unit.name) if n)
    return " ".join(names)[:500]


def similar_companies(name, commune, *, exclude=None):
    """The records of the same name (folded) in ``commune``, for the warning at creation."""
    key = fold(name)
    if not key or commune is None:
        return []
    found = Establishment.objects.filter(commune=commune).select_related("legal_unit")
    found = found.filter(search_name__contains=key)
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return [
        e
        for e in found[:20]
        if key in {fold(e.name), fold(e.legal_unit.name)} or e.search_name == key
    ][:5]
