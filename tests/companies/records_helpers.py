"""What the company-record tests share: a few NAF codes and sections, valid SIRETs, the data
of a company creation (the fixtures are in ``tests/companies/records/conftest.py``)."""

from tests.companies.factories import valid_siren, valid_siret
from tisserand.referentials.rome.models import NafSection, NafSubclass

NAF = {
    "6201Z": ("J", "Programmation informatique"),
    "1310Z": ("C", "Préparation de fibres textiles et filature"),
    "4711D": ("G", "Supermarchés"),
    "5229A": ("H", "Messagerie, fret express"),
}
SECTIONS = {
    "C": "Industrie manufacturière",
    "G": "Commerce ; réparation d'automobiles et de motocycles",
    "H": "Transports et entreposage",
    "J": "Information et communication",
}


def make_naf():
    sections = {
        code: NafSection.objects.get_or_create(code=code, defaults={"label": label})[0]
        for code, label in SECTIONS.items()
    }
    return {
        code: NafSubclass.objects.get_or_create(
            code=code,
            defaults={"label": label, "section": sections[section], "search_text": label.lower()},
        )[0]
        for code, (section, label) in NAF.items()
    }


def siret_of(n, nic=1):
    return valid_siret(valid_siren(n), nic)


def creation_data(area, naf, **more):
    return {
        "siret": siret_of(42_000_001),
        "legal_name": "Filature du Trichon",
        "is_individual": False,
        "name": "",
        "naf": naf["1310Z"],
        "headcount_band": "12",
        "is_head_office": True,
        "created_on": None,
        "diffusion": "O",
        "address_line": "12 rue du Trichon",
        "postal_code": "59100",
        "commune": area["roubaix"],
        "insertion_kind": "",
        "adapted_kind": "",
        "is_geiq": False,
        "is_social_economy": False,
        **more,
    }
