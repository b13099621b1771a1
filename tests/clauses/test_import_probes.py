"""Many malformed variants of the declarations workbook and of DECP JSON files, through their
upload pages: each is read, or refused in French with nothing written."""

import codecs
import json

import pytest
from django.urls import reverse

from tests.upload_probes import (
    EITHER,
    READ,
    REFUSED,
    TableSpec,
    Variant,
    assert_french_page,
    file_variants,
    ids,
    json_variants,
    upload,
    xlsx_value_variants,
    xlsx_variants,
)
from tisserand.clauses import imports
from tisserand.clauses.forms import UploadForm
from tisserand.clauses.models import Contract, Declaration, Lot

PARTICIPANT = "00000000-0000-0000-0000-000000000000"  # replaced by the participant's id


def declarations(participant_id=PARTICIPANT):
    return TableSpec(
        columns=list(imports.COLUMNS),
        rows=[
            dict(zip(imports.COLUMNS, [participant_id, "", "", "2025-03", 100], strict=True)),
            dict(zip(imports.COLUMNS, [participant_id, "", "", "2025-04", "12,5"], strict=True)),
        ],
        required="heures",
        text_column="identifiant",
        text_limit=36,
        bad_values={
            "heures": ["-1", "1e309", "nan", "inf", "12.55", "100000", "12,5,1", -3, 1e309],
            "mois (aaaa-mm)": ["2025-13", "13/2025", "2030-01", 45717, "1e309"],
        },
        file_name="heures.xlsx",
    )


SPEC = declarations()
DECLARATION_VARIANTS = [
    *file_variants(),
    *xlsx_variants(SPEC, date_column="mois (aaaa-mm)", date_serial_ok=False),
    *xlsx_value_variants(SPEC),
]


@pytest.mark.parametrize("variant", DECLARATION_VARIANTS, ids=ids(DECLARATION_VARIANTS))
def test_a_declarations_workbook(client_for, facilitator, lot, participant, variant):
    client = client_for(facilitator)
    spec = declarations(str(participant.public_id))
    data = variant.data.replace(PARTICIPANT.encode(), str(participant.public_id).encode())
    if variant.name == "xlsx":
        data = spec.xlsx()
    url = reverse("clauses:lot_import", args=[lot.public_id])
    response = client.post(url, {"file": upload(Variant(variant.name, data, ""), "heures.xlsx")})
    page = assert_french_page(response)
    preview = response.context["preview"]
    assert Declaration.objects.count() == 0
    if variant.expected == READ and variant.name == "xlsx":
        assert preview.accepted, page
        assert_french_page(client.post(url, {"token": preview.token()}))
        assert Declaration.objects.count() == 2
    elif variant.expected == REFUSED:
        assert response.context["form"].errors or not preview.accepted, page
        assert_french_page(client.post(url, {"token": "pas-un-jeton"}))
        assert Declaration.objects.count() == 0


BUYER, HOLDER = "SIRET-ACHETEUR", "SIRET-TITULAIRE"  # replaced by the fixtures' SIRETs


def decp_records(buyer_siret=BUYER, holder_siret=HOLDER):
    return [
        {"id": f"2025-00{n}", "acheteur": {"id": buyer_siret}, "objet": "Espaces verts",
         "codeCPV": "77310000", "montant": 250000, "dureeMois": 24,
         "dateNotification": "2025-02-01",
         "titulaires": [{"typeIdentifiant": "SIRET", "id": holder_siret}],
         "considerationsSociales": {"considerationSociale": ["Clause sociale"]}}
        for n in (1, 2)
    ]  # fmt: skip


def with_sirets(data, lot):
    """The file with the fixtures' SIRETs in place of the placeholders (in UTF-16 too)."""
    if data.startswith(codecs.BOM_UTF16_LE):
        return with_sirets(data.decode("utf-16").encode(), lot).decode().encode("utf-16")
    for placeholder, siret in ((BUYER, lot.contract.buyer.siret), (HOLDER, lot.holder.siret)):
        data = data.replace(placeholder.encode(), siret.encode())
    return data


DECP_SPOILT = {
    "acheteur-texte": {"acheteur": "SIRET"},
    "acheteur-liste": {"acheteur": [1, 2]},
    "montant-infini": {"montant": 1e309},
    "montant-negatif": {"montant": -1},
    "montant-virgule": {"montant": "12,5"},
    "montant-enorme": {"montant": 10**14},
    "montant-nan": {"montant": "NaN"},
    "montant-objet": {"montant": {"a": 1}},
    "duree-enorme": {"dureeMois": 10**9},
    "duree-booleen": {"dureeMois": True},
    "duree-negative": {"dureeMois": -2},
    "date-invalide": {"dateNotification": "2025-02-31"},
    "date-nombre": {"dateNotification": 45717},
    "titulaires-texte": {"titulaires": "SIRET"},
    "titulaires-nombres": {"titulaires": [1, 2]},
    "considerations-nombre": {"considerationsSociales": 12},
    "considerations-objets": {"considerationsSociales": [{"a": 1}]},
    "id-trop-long": {"id": "9" * 61},
    "id-liste": {"id": ["a"]},
    "objet-trop-long": {"objet": "é" * 401},
    "cpv-trop-long": {"codeCPV": "7" * 13},
    "objet-liste": {"objet": ["Espaces verts"]},
}


def decp_variants():
    variants = json_variants(
        decp_records(),
        records_key="marches",
        required_key="id",
        text_key="objet",
        text_limit=400,
    )
    for variant in variants:
        if variant.name == "tout-nul":  # no social consideration: shown as ignored
            variant.expected = EITHER
    variants += [
        Variant(name, json.dumps({"marches": [change]}).encode(), REFUSED)
        for name, change in DECP_SPOILT.items()
    ]
    return variants


DECP_VARIANTS = decp_variants()


@pytest.mark.parametrize("variant", DECP_VARIANTS, ids=ids(DECP_VARIANTS))
def test_a_decp_file(client_for, facilitator, lot, variant):
    client = client_for(facilitator)
    records = decp_records()
    data = variant.data
    if variant.name in DECP_SPOILT:
        data = json.dumps({"marches": [{**records[0], **DECP_SPOILT[variant.name]}]}).encode()
    data = with_sirets(data, lot)
    before = (Contract.objects.count(), Lot.objects.count())
    url = reverse("clauses:decp_import", args=[lot.contract.operation.public_id])
    response = client.post(url, {"file": upload(Variant(variant.name, data, ""), "decp.json")})
    page = assert_french_page(response)
    preview = response.context["preview"]
    assert (Contract.objects.count(), Lot.objects.count()) == before
    if variant.expected == REFUSED:
        assert response.context["form"].errors or not preview.accepted, page
    if variant.expected == READ:
        assert preview.accepted and preview.counts["create"] == 2, page
        assert_french_page(client.post(url, {"token": preview.token}))
        assert Contract.objects.count() == before[0] + 2


def test_a_valid_decp_file_still_imports(client_for, facilitator, lot):
    client = client_for(facilitator)
    records = decp_records(lot.contract.buyer.siret, lot.holder.siret)
    data = json.dumps({"marches": records}).encode()
    url = reverse("clauses:decp_import", args=[lot.contract.operation.public_id])
    response = client.post(url, {"file": upload(Variant("ok", data, READ), "decp.json")})
    assert response.context["preview"].accepted
    client.post(url, {"token": response.context["preview"].token})
    assert Contract.objects.filter(decp_id__in=["2025-001", "2025-002"]).count() == 2


@pytest.mark.parametrize("view", ["lot_import", "decp_import"])
def test_a_file_over_the_limit_is_refused_next_to_the_field(
    client_for, facilitator, lot, monkeypatch, view
):
    monkeypatch.setattr(UploadForm.base_fields["file"], "max_bytes", 2048)
    public_id = lot.public_id if view == "lot_import" else lot.contract.operation.public_id
    response = client_for(facilitator).post(
        reverse(f"clauses:{view}", args=[public_id]),
        {"file": upload(Variant("gros", b"[" + b" " * 3000 + b"]", REFUSED), "f.json")},
    )
    assert "Le fichier est trop volumineux (2 Ko au plus)." in assert_french_page(response)
    assert response.context["preview"] is None
