"""Many malformed variants of the SIRENE stock and of the house's template, through the upload
page: each is read and offered for confirmation, or refused in French with nothing written."""

import pytest
from django.urls import reverse

from tests.companies.records.test_imports import sirene_row, template_row
from tests.upload_probes import (
    READ,
    REFUSED,
    TableSpec,
    Variant,
    assert_french_page,
    csv_variants,
    ids,
    upload,
    xlsx_variants,
)
from tisserand.companies.forms import ImportForm
from tisserand.companies.models import Establishment, LegalUnit
from tisserand.core.models import TimelineEvent

SIRENE_ROW = sirene_row(1)
SIRENE = TableSpec(
    columns=list(SIRENE_ROW),
    rows=[SIRENE_ROW, sirene_row(2)],
    required="siret",
    text_column="enseigne1Etablissement",
    text_limit=Establishment._meta.get_field("name").max_length,
    bad_values={
        "dateCreationEtablissement": ["31/02/2015", "2015-13-01", "12,5", "9999-01-01"],
        "trancheEffectifsEtablissement": ["-1", "1e309", "12,5"],
        "siret": ["-" + SIRENE_ROW["siret"][1:], "1e309"],
        "codePostalEtablissement": ["-5910", "5910,0"],
        "etatAdministratifEtablissement": ["Z"],
    },
    delimiter=",",
    file_name="StockEtablissement_utf8.csv",
)
TEMPLATE = TableSpec(
    columns=list(template_row(1)),
    rows=[template_row(1), template_row(2)],
    required="denomination",
    text_column="denomination",
    text_limit=LegalUnit._meta.get_field("name").max_length,
    bad_values={"geiq": ["peut-être"], "tranche_effectif": ["-2", "1e309", "12,5"]},
    file_name="modele-entreprises.csv",
)


def state():
    return (Establishment.objects.count(), LegalUnit.objects.count(), TimelineEvent.objects.count())


def probe(client, variant, spec, kind):
    before = state()
    response = client.post(
        reverse("companies:import"), {"file": upload(variant, spec.file_name), "kind": kind}
    )
    page = assert_french_page(response)
    token = response.context["token"] if response.context else ""
    assert state() == before
    if variant.expected == READ:
        assert token, page
    elif variant.expected == REFUSED:
        assert not token
        form = response.context["form"]
        assert form.errors or "Rien n'a été importé" in page or "rejet" in page, page
    if token:
        done = client.post(reverse("companies:import"), {"token": token})
        assert_french_page(done)
        assert Establishment.objects.count() == before[0] + len(spec.rows)


@pytest.mark.parametrize("variant", csv_variants(SIRENE), ids=ids(csv_variants(SIRENE)))
def test_the_sirene_stock(client_for, officer, area, naf, variant):
    probe(client_for(officer), variant, SIRENE, "sirene")


TEMPLATE_VARIANTS = csv_variants(TEMPLATE) + xlsx_variants(TEMPLATE)


@pytest.mark.parametrize("variant", TEMPLATE_VARIANTS, ids=ids(TEMPLATE_VARIANTS))
def test_the_house_template(client_for, officer, area, naf, variant):
    probe(client_for(officer), variant, TEMPLATE, "template")


def test_a_file_over_the_limit_is_refused_next_to_the_field(
    client_for, officer, area, naf, monkeypatch
):
    monkeypatch.setattr(ImportForm.base_fields["file"], "max_bytes", 2048)
    big = Variant("trop-volumineux", TEMPLATE.csv() + b" " * 2048, REFUSED)
    response = client_for(officer).post(
        reverse("companies:import"), {"file": upload(big, "gros.csv"), "kind": ""}
    )
    page = assert_french_page(response)
    assert "Le fichier est trop volumineux (2 Ko au plus)." in page and state() == (0, 0, 0)
    assert not response.context["token"]
    # Just under the limit, the same file is read.
    monkeypatch.setattr(ImportForm.base_fields["file"], "max_bytes", len(big.data))
    response = client_for(officer).post(
        reverse("companies:import"), {"file": upload(big, "gros.csv"), "kind": ""}
    )
    assert response.context["token"]


def test_a_file_name_with_folders_keeps_its_last_part(client_for, officer, area, naf):
    variant = Variant("dossiers", TEMPLATE.csv(), READ, "..\\..\\secret/../modele.csv")
    response = client_for(officer).post(
        reverse("companies:import"), {"file": upload(variant, ""), "kind": ""}
    )
    assert_french_page(response)
    assert response.context["result"].filename == "modele.csv"
