"""Eligibility zones: data·inclusion's ``zone_eligibilite`` codes (communes, EPCI, départements,
all France), each checked against the geo referential before it is stored."""

import re
from dataclasses import dataclass

from tisserand.referentials.geo.models import Commune, Departement, Epci
from tisserand.referrals.models import ZoneKind

FRANCE_CODES = {"france", "99100"}
COMMUNE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
EPCI = re.compile(r"^\d{9}$")
DEPARTEMENT = re.compile(r"^(\d{2}|2[AB]|97\d)$")


@dataclass(frozen=True)
class Zone:
    kind: str
    code: str
    label: str


class ZoneError(ValueError):
    pass


def _clean(codes):
    cleaned = [str(code).strip().upper() for code in codes if str(code).strip()]
    return ["france" if code.lower() in FRANCE_CODES else code for code in cleaned]


def lookup(codes):
    """The referential's names of ``codes``: (communes, EPCI, départements), three queries
    whatever the number of codes (an import looks up all its lines' codes at once)."""
    cleaned = _clean(codes)
    communes = dict(
        Commune.objects.filter(insee_code__in=cleaned, is_former=False).values_list(
            "insee_code", "name"
        )
    )
    epcis = dict(Epci.objects.filter(siren__in=cleaned).values_list("siren", "name"))
    departements = dict(Departement.objects.filter(code__in=cleaned).values_list("code", "name"))
    return communes, epcis, departements


def parse(codes, known=None):
    """The ``Zone``s of ``codes`` (strings): raises ``ZoneError`` naming every unknown code.
    ``known`` is what ``lookup`` found (looked up here when absent)."""
    cleaned = _clean(codes)
    communes, epcis, departements = known or lookup(cleaned)
    zones, unknown = [], []
    for code in dict.fromkeys(cleaned):
        if code == "france":
            zones.append(Zone(ZoneKind.FRANCE, "france", "France entière"))
        elif COMMUNE.match(code) and code in communes:
            zones.append(Zone(ZoneKind.COMMUNE, code, communes[code]))
        elif EPCI.match(code) and code in epcis:
            zones.append(Zone(ZoneKind.EPCI, code, epcis[code] or f"EPCI {code}"))
        elif DEPARTEMENT.match(code) and code in departements:
            zones.append(Zone(ZoneKind.DEPARTEMENT, code, f"{departements[code]} ({code})"))
        else:
            unknown.append(code)
    if unknown:
        listed = ", ".join(f"« {code} »" for code in unknown)
        plural = "s" if len(unknown) > 1 else ""
        raise ZoneError(
            f"code{plural} de zone inconnu{plural} : {listed} (attendu : un code INSEE de "
            "commune, un SIREN d'EPCI, un numéro de département ou « france »)."
        )
    return zones


def covering(commune):
    """The (kind, code) pairs whose zone covers ``commune``."""
    pairs = [(ZoneKind.FRANCE, "france"), (ZoneKind.COMMUNE, commune.insee_code)]
    if commune.epci_id:
        pairs.append((ZoneKind.EPCI, commune.epci.siren))
    if commune.departement_id:
        pairs.append((ZoneKind.DEPARTEMENT, commune.departement.code))
    return pairs
