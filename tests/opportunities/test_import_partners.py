"""Partners' CSV/XLSX files made from the template: preview, per-line French errors naming
the line and the column, nothing written for a rejected file, each partner's offers closed
only by that partner's next file."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from tests.companies.factories import EstablishmentFactory
from tests.referentials.geo.factories import make_roubaix_area
from tisserand.opportunities.importing import partners, sync
from tisserand.opportunities.importing.errors import OfferFileRejected
from tisserand.opportunities.models import JobOffer, OfferSource, OfferStatus

PARTNER = OfferSource.PARTNER_FILE


def csv_bytes(rows, header=None, delimiter=";"):
    header = header or partners.NAMES
    lines = [delimiter.join(header)]
    for row in rows:
        cells = dict.fromkeys(partners.NAMES, "")
        cells.update(row)
        lines.append(delimiter.join(cells[name] for name in header))
    return ("\n".join(lines) + "\n").encode()


def line(ref="R1", **more):
    return {"reference": ref, "intitule": "Agent de propreté", "code_insee": "59512", **more}


def import_rows(rows, partner="PLIE"):
    drafts = partners.parse("offres.csv", csv_bytes(rows), partner_name=partner)
    return sync.sync(drafts, source=PARTNER, partner_name=partner)


@pytest.fixture
def area():
    return make_roubaix_area()


def test_the_csv_template_imports_as_is(area):
    drafts = partners.parse("modele.csv", partners.template_csv().encode(), partner_name="PLIE")
    run = sync.sync(drafts, source=PARTNER, partner_name="PLIE")
    assert run.created == 1
    offer = JobOffer.objects.get()
    assert offer.partner_name == "PLIE" and offer.positions == 2
    assert offer.working_time == "part_time" and offer.accessible_th is True
    assert offer.expires_on.isoformat() == "2027-01-31"


def test_the_xlsx_template_has_the_columns_and_imports(area):
    content = partners.template_xlsx()
    book = load_workbook(io.BytesIO(content))
    assert [c.value for c in book["Offres"][1]] == partners.NAMES
    drafts = partners.parse("modele.xlsx", content, partner_name="PLIE")
    assert drafts[0]["external_id"] == "R-2026-001"


def test_an_xlsx_file(area):
    book = Workbook()
    book.active.append(partners.NAMES)
    cells = dict.fromkeys(partners.NAMES, "") | line("X1", nombre_postes="3")
    book.active.append([cells[name] for name in partners.NAMES])
    out = io.BytesIO()
    book.save(out)
    drafts = partners.parse("f.xlsx", out.getvalue(), partner_name="PLIE")
    assert drafts[0]["positions"] == 3


def test_a_comma_separated_file_with_columns_in_another_order(area):
    header = list(reversed(partners.NAMES))
    drafts = partners.parse(
        "f.csv", csv_bytes([line()], header=header, delimiter=","), partner_name="P"
    )
    assert drafts[0]["title"] == "Agent de propreté"


BAD_LINES = [
    ({"reference": ""}, "reference", "valeur obligatoire"),
    ({"intitule": ""}, "intitule", "valeur obligatoire"),
    ({"code_rome": "K22"}, "code_rome", "une lettre et 4 chiffres"),
    ({"siret": "12345678901234"}, "siret", "SIRET invalide"),
    ({"code_insee": "5951"}, "code_insee", "5 caractères"),
    ({"type_contrat": "STAGE"}, "type_contrat", "type inconnu"),
    ({"nombre_postes": "0"}, "nombre_postes", "entier de 1 à 999"),
    ({"nombre_postes": "1,5"}, "nombre_postes", "entier de 1 à 999"),
    ({"nombre_postes": "beaucoup"}, "nombre_postes", "entier de 1 à 999"),
    ({"experience": "X"}, "experience", "D, S ou E"),
    ({"alternance": "peut-être"}, "alternance", "oui ou non"),
    ({"temps_travail": "mi-temps"}, "temps_travail", "plein, partiel ou vide"),
    ({"date_fin": "31/13/2026"}, "date_fin", "date illisible"),
    ({"lien_candidature": "ftp://x"}, "lien_candidature", "lien http(s)"),
    ({"email_contact": "pas une adresse"}, "email_contact", "adresse e-mail invalide"),
    ({"accessible_th": "bof"}, "accessible_th", "oui ou non"),
    ({"intitule": "x" * 251}, "intitule", "texte trop long"),
]


@pytest.mark.parametrize(("changes", "column", "message"), BAD_LINES)
def test_a_bad_line_names_its_line_and_column_and_nothing_is_written(
    area, changes, column, message
):
    with pytest.raises(OfferFileRejected) as error:
        partners.parse("f.csv", csv_bytes([line("OK"), line("R2", **changes)]), partner_name="P")
    assert any(
        text.startswith(f"Ligne 3, colonne « {column} »") and message in text
        for text in error.value.errors
    ), error.value.errors
    assert JobOffer.objects.count() == 0


def test_every_error_of_the_file_is_listed(area):
    with pytest.raises(OfferFileRejected) as error:
        partners.parse(
            "f.csv",
            csv_bytes([line("A", experience="X"), line("B", nombre_postes="0")]),
            partner_name="P",
        )
    assert len(error.value.errors) == 2


def test_duplicate_reference_and_missing_columns(area):
    with pytest.raises(OfferFileRejected) as error:
        partners.parse("f.csv", csv_bytes([line("A"), line("A")]), partner_name="P")
    assert "Ligne 3, colonne « reference » : déjà utilisée à la ligne 2." in error.value.errors
    with pytest.raises(OfferFileRejected) as error:
        partners.parse("f.csv", b"reference;intitule\nA;B\n", partner_name="P")
    assert error.value.errors[0].startswith("Colonnes manquantes : description")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("f.csv", b"", "vide"),
        ("f.csv", "é".encode("latin-1"), "UTF-8"),
        ("f.xlsx", b"pas un classeur", "pas un classeur XLSX"),
        (
            "f.csv",
            b'reference;intitule\n"A;B\n',
            "Ligne 2, colonne 1 : fichier tronqué ou guillemet non fermé",
        ),
    ],
)
def test_unreadable_partner_files(name, content, message):
    with pytest.raises(OfferFileRejected) as error:
        partners.parse(name, content, partner_name="P")
    assert message in " ".join(error.value.errors)


def test_each_partner_closes_only_its_own_offers(area):
    import_rows([line("A"), line("B")], partner="PLIE")
    import_rows([line("A")], partner="Mission locale")
    import_rows([line("A")], partner="PLIE")
    assert JobOffer.objects.get(partner_name="PLIE", external_id="B").status == OfferStatus.CLOSED
    assert JobOffer.objects.get(partner_name="Mission locale").status == OfferStatus.OPEN


def test_the_preview_writes_nothing_and_the_reimport_is_idempotent(area):
    establishment = EstablishmentFactory(commune=area["roubaix"])
    rows = [line("A", siret=establishment.siret), line("B")]
    drafts = partners.parse("f.csv", csv_bytes(rows), partner_name="P")
    preview = sync.plan(drafts, source=PARTNER, partner_name="P")
    assert (len(preview.created), preview.tied_companies) == (2, 1)
    assert JobOffer.objects.count() == 0
    sync.apply(preview, source=PARTNER, partner_name="P")
    again = import_rows(rows, partner="P")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert JobOffer.objects.get(external_id="A").establishment == establishment
