"""Many malformed variants of France Travail's JSON and of the partners' CSV/XLSX template,
through the import page and through ``import_offers``: each is read, or refused in French with
nothing written."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.opportunities.factories import ft_offer
from tests.referentials.geo.factories import make_roubaix_area
from tests.upload_probes import (
    READ,
    REFUSED,
    TableSpec,
    Variant,
    assert_french,
    assert_french_page,
    csv_variants,
    ids,
    json_variants,
    upload,
    xlsx_variants,
)
from tisserand.opportunities.forms import ImportForm
from tisserand.opportunities.importing import partners
from tisserand.opportunities.models import JobOffer, OfferImport
from tisserand.structures.roles import Role

TITLE_LIMIT = JobOffer._meta.get_field("title").max_length
INFINITE = "__1e309__"


def ft_bytes(change):
    """One valid France Travail offer with ``change``; ``INFINITE`` written as 1e309."""
    text = json.dumps([{**ft_offer("X1"), **change}])
    return text.replace(f'"{INFINITE}"', "1e309").encode()


def partner_row(reference, **more):
    row = dict.fromkeys(partners.NAMES, "")
    row.update(reference=reference, intitule="Agent de propreté", code_insee="59512", **more)
    return row


PARTNER = TableSpec(
    columns=partners.NAMES,
    rows=[partner_row("R1", date_fin="31/01/2027"), partner_row("R2")],
    required="reference",
    text_column="intitule",
    text_limit=TITLE_LIMIT,
    bad_values={
        "nombre_postes": ["12,5", "-1", "1e309", "0", "1.5"],
        "date_fin": ["31/02/2027", "2027-13-01", "46022", "-1"],
        "alternance": ["peut-être"],
    },
    file_name="offres.csv",
)
PARTNER_VARIANTS = csv_variants(PARTNER) + xlsx_variants(
    PARTNER, date_column="date_fin", date_serial_ok=False
)
FT_VARIANTS = json_variants(
    [ft_offer("A1"), ft_offer("A2")],
    records_key="resultats",
    required_key="id",
    text_key="intitule",
    text_limit=TITLE_LIMIT,
) + [
    Variant(name, ft_bytes(change), REFUSED)
    for name, change in {
        "latitude-infinie": {"lieuTravail": {"latitude": INFINITE, "longitude": 3.18}},
        "competence-infinie": {"competences": [{"code": INFINITE}]},
        "postes-negatifs": {"nombrePostes": -3},
        "postes-infinis": {"nombrePostes": INFINITE},
        "postes-texte": {"nombrePostes": "12,5"},
        "date-invalide": {"dateCreation": "2026-02-31T10:00:00Z"},
        "date-nombre": {"dateCreation": 46022},
        "id-trop-long": {"id": "9" * 65},
        "appellation-objet": {"appellationCode": {"a": 1}},
        "entreprise-liste": {"entreprise": ["Boulangerie"]},
        "lieu-texte": {"lieuTravail": "Roubaix"},
        "alternance-texte": {"alternance": "oui"},
    }.items()
]


@pytest.fixture
def officer(client_for, make_member, structure):
    make_roubaix_area()
    return client_for(make_member(Role.BUSINESS, structure))


def state():
    return (JobOffer.objects.count(), OfferImport.objects.count())


def probe_page(officer, variant, kind, default_name, expected_rows):
    before = state()
    url = reverse("opportunities:imports")
    response = officer.post(
        url, {"kind": kind, "partner_name": "PLIE", "file": upload(variant, default_name)}
    )
    page = assert_french_page(response)
    assert state() == before
    preview = response.context["preview"]
    if variant.expected == READ:
        assert preview is not None, page
    elif variant.expected == REFUSED:
        assert preview is None
        assert response.context["errors"] or response.context["form"].errors, page
    if preview is not None:
        assert_french_page(officer.post(url, {"confirm": "1"}))
        assert JobOffer.objects.count() == before[0] + expected_rows


def probe_command(tmp_path, variant, default_name, *options):
    path = tmp_path / (variant.file_name or default_name)
    path.write_bytes(variant.data)
    before = state()
    try:
        call_command("import_offers", str(path), *options, stdout=StringIO(), stderr=StringIO())
    except CommandError as error:
        assert_french(str(error))
        assert state() == before
        assert variant.expected != READ, str(error)
    else:
        assert variant.expected != REFUSED


@pytest.mark.parametrize("variant", PARTNER_VARIANTS, ids=ids(PARTNER_VARIANTS))
def test_a_partner_file_through_the_page(officer, variant):
    probe_page(officer, variant, "partner", "offres.csv", len(PARTNER.rows))


@pytest.mark.parametrize("variant", PARTNER_VARIANTS, ids=ids(PARTNER_VARIANTS))
def test_a_partner_file_through_the_command(db, tmp_path, variant):
    make_roubaix_area()
    probe_command(tmp_path, variant, "offres.csv", "--partenaire", "PLIE")


@pytest.mark.parametrize("variant", FT_VARIANTS, ids=ids(FT_VARIANTS))
def test_a_france_travail_file_through_the_page(officer, variant):
    probe_page(officer, variant, "france_travail", "offres.json", 2)


@pytest.mark.parametrize("variant", FT_VARIANTS, ids=ids(FT_VARIANTS))
def test_a_france_travail_file_through_the_command(db, tmp_path, variant):
    make_roubaix_area()
    probe_command(tmp_path, variant, "offres.json")


def test_a_file_over_the_limit_is_refused_next_to_the_field(officer, monkeypatch):
    monkeypatch.setattr(ImportForm.base_fields["file"], "max_bytes", 2048)
    big = Variant("gros", PARTNER.csv() + b" " * 2048, REFUSED)
    response = officer.post(
        reverse("opportunities:imports"),
        {"kind": "partner", "partner_name": "PLIE", "file": upload(big, "offres.csv")},
    )
    page = assert_french_page(response)
    assert "Le fichier est trop volumineux (2 Ko au plus)." in page
    assert response.context["preview"] is None and state() == (0, 0)


def test_a_file_over_the_limit_is_refused_by_the_command(db, tmp_path, monkeypatch):
    from tisserand.opportunities.importing import reading

    monkeypatch.setattr(reading, "MAX_BYTES", 2048)
    path = tmp_path / "offres.json"
    path.write_bytes(b"[" + b" " * 2048 + b"]")
    errors = StringIO()
    with pytest.raises(CommandError, match="Le fichier est refusé"):
        call_command("import_offers", str(path), stdout=StringIO(), stderr=errors)
    assert "Le fichier est trop volumineux (2 Ko au plus)." in errors.getvalue()


def test_a_file_name_with_folders_is_kept_without_them(officer):
    variant = Variant("dossiers", PARTNER.csv(), READ, "..\\..\\" + "n" * 400 + "/../offres.csv")
    url = reverse("opportunities:imports")
    officer.post(url, {"kind": "partner", "partner_name": "PLIE", "file": upload(variant, "")})
    officer.post(url, {"confirm": "1"})
    assert OfferImport.objects.get().file_name == "offres.csv"
