"""Imports of company records: the SIRENE establishment stock (real column names, NAF written
62.01Z) filtered to a territory, and the house's template (CSV or XLSX). A preview first; a
rejected file writes nothing; a re-import changes nothing."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.companies.factories import EstablishmentFactory, valid_siren, valid_siret
from tisserand.companies import imports
from tisserand.companies.models import Establishment, LegalUnit
from tisserand.core.models import TimelineEvent
from tisserand.core.timeline import events_about

SIREN = valid_siren(51_000_001)


def sirene_row(n=1, **more):
    siren = valid_siren(51_000_000 + n)
    siret = valid_siret(siren)
    row = {
        "siren": siren,
        "nic": siret[9:],
        "siret": siret,
        "statutDiffusionEtablissement": "O",
        "dateCreationEtablissement": "2015-03-01",
        "trancheEffectifsEtablissement": "11",
        "etablissementSiege": "true",
        "numeroVoieEtablissement": str(n),
        "typeVoieEtablissement": "RUE",
        "libelleVoieEtablissement": "DE LANNOY",
        "codePostalEtablissement": "59100",
        "libelleCommuneEtablissement": "ROUBAIX",
        "codeCommuneEtablissement": "59512",
        "etatAdministratifEtablissement": "A",
        "enseigne1Etablissement": f"ATELIER {n}",
        "denominationUsuelleEtablissement": "",
        "activitePrincipaleEtablissement": "62.01Z",
        # A column of the real file the import does not use.
        "activitePrincipaleRegistreMetiersEtablissement": "",
    }
    row.update(more)
    return row


def sirene_csv(rows, columns=None):
    buffer = io.StringIO()
    columns = columns or list(rows[0])
    writer = csv.DictWriter(buffer, columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def run(data, actor, **kwargs):
    result = imports.preview(data, "StockEtablissement_utf8.csv", **kwargs)
    if result.can_apply:
        imports.apply(result, actor=actor)
    return result


def test_a_sirene_file_creates_the_records(area, naf, actor):
    data = sirene_csv([sirene_row(1), sirene_row(2, statutDiffusionEtablissement="P")])
    result = imports.preview(data, "stock.csv")
    assert result.kind == imports.SIRENE
    assert result.counts[imports.CREATE] == 2 and result.can_apply
    assert not Establishment.objects.exists()  # the preview writes nothing
    assert imports.apply(result, actor=actor) == {"created": 2, "updated": 0}
    company = Establishment.objects.get(siret=sirene_row(1)["siret"])
    assert company.name == "ATELIER 1" and company.naf == naf["6201Z"]
    assert company.address_line == "1 rue DE LANNOY" and company.commune == area["roubaix"]
    assert company.headcount_band == "11" and company.is_head_office
    assert company.created_on.isoformat() == "2015-03-01"
    assert company.source == "sirene" and company.geocoding_precision == "commune"
    assert company.legal_unit.siren == sirene_row(1)["siren"]
    assert Establishment.objects.get(siret=sirene_row(2)["siret"]).hides_address
    assert [e.summary for e in events_about(company)] == [
        "Fiche entreprise créée par import (stock SIRENE)"
    ]


def test_a_re_import_changes_nothing(area, naf, actor):
    data = sirene_csv([sirene_row(1), sirene_row(2)])
    run(data, actor)
    events = TimelineEvent.objects.count()
    again = run(data, actor)
    assert again.counts[imports.UNCHANGED] == 2 and not again.can_apply
    assert Establishment.objects.count() == 2 and TimelineEvent.objects.count() == events


def test_an_update_and_a_closure_keep_the_record_and_its_history(area, naf, actor):
    run(sirene_csv([sirene_row(1), sirene_row(2)]), actor)
    changed = sirene_csv(
        [
            sirene_row(1, trancheEffectifsEtablissement="12"),
            sirene_row(2, etatAdministratifEtablissement="F"),
        ]
    )
    result = run(changed, actor)
    assert result.counts[imports.UPDATE] == 2
    assert result.lines[0].changes == ["tranche d'effectif"]
    first = Establishment.objects.get(siret=sirene_row(1)["siret"])
    closed = Establishment.objects.get(siret=sirene_row(2)["siret"])
    assert first.headcount_band == "12" and first.naf == naf["6201Z"]
    assert closed.state == "F" and not closed.is_active
    assert not Establishment.objects.active().filter(pk=closed.pk).exists()
    summaries = [e.summary for e in events_about(closed)]
    assert summaries == [
        "Établissement fermé (import stock SIRENE)",
        "Fiche entreprise créée par import (stock SIRENE)",
    ]


def test_a_closed_establishment_unknown_to_the_base_is_ignored(area, naf, actor):
    result = run(sirene_csv([sirene_row(1, etatAdministratifEtablissement="F")]), actor)
    assert result.counts[imports.IGNORE] == 1 and not Establishment.objects.exists()


def test_the_territory_keeps_its_communes_only(area, naf, actor):
    rows = [
        sirene_row(1),
        sirene_row(2, codeCommuneEtablissement="59367", codePostalEtablissement="59390"),
        sirene_row(3, codeCommuneEtablissement="59350", codePostalEtablissement="59000"),
        # Outside the territory, its errors do not matter.
        sirene_row(4, codeCommuneEtablissement="75056", activitePrincipaleEtablissement="99.99Z"),
    ]
    bassin = area["roubaix"].bassin
    result = run(sirene_csv(rows), actor, territory=imports.territory_of(bassin=bassin))
    assert result.counts == {"create": 2, "update": 0, "unchanged": 0, "ignore": 2, "reject": 0}
    assert Establishment.objects.count() == 2
    result = imports.preview(
        sirene_csv(rows[:3]), "x.csv", territory=imports.territory_of(epci=area["roubaix"].epci)
    )
    assert result.counts[imports.UNCHANGED] == 2 and result.counts[imports.CREATE] == 1
    result = imports.preview(
        sirene_csv(rows[:3]), "x.csv", territory=imports.territory_of(communes=[area["lys"]])
    )
    assert result.counts[imports.UNCHANGED] == 1 and result.counts[imports.IGNORE] == 2


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"siret": "51000001000010"},
            "Ligne 3, colonne « siret » : SIRET « 51000001000010 » invalide",
        ),
        ({"siret": ""}, "Ligne 3, colonne « siret » : SIRET manquant."),
        ({"nic": "00099"}, "Ligne 3, colonne « siret » : le SIRET"),
        (
            {"activitePrincipaleEtablissement": "99.99Z"},
            "colonne « activitePrincipaleEtablissement » : code NAF « 99.99Z » inconnu",
        ),
        (
            {"trancheEffectifsEtablissement": "77"},
            "colonne « trancheEffectifsEtablissement » : tranche d'effectif « 77 » inconnue",
        ),
        (
            {"etatAdministratifEtablissement": "X"},
            "colonne « etatAdministratifEtablissement » : état « X » inconnu",
        ),
        (
            {"statutDiffusionEtablissement": "Z"},
            "colonne « statutDiffusionEtablissement » : statut « Z » inconnu",
        ),
        (
            {"dateCreationEtablissement": "2015-13-45"},
            "colonne « dateCreationEtablissement » : date « 2015-13-45 » invalide",
        ),
        ({"dateCreationEtablissement": "2999-01-01"}, "dans le futur"),
        ({"etablissementSiege": "peut-être"}, "colonne « etablissementSiege »"),
        (
            {"codeCommuneEtablissement": "99999"},
            "colonne « codeCommuneEtablissement » : commune « 99999 » inconnue",
        ),
        ({"codeCommuneEtablissement": ""}, "code commune manquant"),
        ({"codePostalEtablissement": "5910"}, "code postal « 5910 » invalide"),
        ({"enseigne1Etablissement": "x" * 251}, "251 caractères, 250 au plus"),
    ],
)
def test_a_bad_line_is_named_and_the_file_writes_nothing(area, naf, actor, change, expected):
    rows = [sirene_row(1), sirene_row(2, **change)]
    result = run(sirene_csv(rows), actor)
    assert result.counts[imports.REJECT] == 1 and not result.can_apply
    assert any(expected in message for message in result.messages()), result.messages()
    assert not Establishment.objects.exists() and not LegalUnit.objects.exists()
    with pytest.raises(imports.ImportRefused):
        imports.apply(result, actor=actor)
    assert not Establishment.objects.exists()


def test_a_duplicate_line_is_rejected(area, naf, actor):
    result = run(sirene_csv([sirene_row(1), sirene_row(2), sirene_row(1)]), actor)
    assert result.messages() == [
        f"Ligne 4, colonne « siret » : SIRET {sirene_row(1)['siret']} en double dans le fichier "
        "(déjà ligne 2)."
    ]
    assert not Establishment.objects.exists()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "Le fichier est vide."),
        (b"\n\n", "Le fichier est vide."),
        (b";;\n1;2\n", "la ligne d'en-tête manque"),
        (
            b"siren,nic,siret\n1,2,3\n",
            "colonne obligatoire absente de l'en-tête : « statutDiffusionEtablissement",
        ),
        (
            "siret,denomination\n12,Café\n".encode("latin-1"),
            "Ligne 2, position 7 : caractère illisible en UTF-8 (octet 0xE9)",
        ),
        (b"siret,denomination\n", "aucune ligne après l'en-tête"),
        (b'siret,denomination\n"123,Caf\n', "guillemet"),
        (b"nom;adresse\nA;B\n", "colonne obligatoire absente de l'en-tête : « siret"),
        (b"PK\x03\x04pas un classeur", "Le classeur XLSX est tronqué ou endommagé."),
    ],
)
def test_a_malformed_file_is_refused_whole(area, naf, data, expected):
    with pytest.raises(imports.ImportRefused) as error:
        imports.preview(data, "fichier.csv")
    assert expected in str(error.value)


def test_a_line_of_the_wrong_width_is_rejected(area, naf, actor):
    data = sirene_csv([sirene_row(1)]) + b"1,2,3\n"
    result = run(data, actor)
    assert result.messages() == ["Ligne 3, colonne « ligne » : 3 valeurs au lieu de 18"]
    assert not Establishment.objects.exists()


# --- The house's template ---------------------------------------------------------------------


def template_row(n=1, **more):
    siret = valid_siret(valid_siren(52_000_000 + n))
    row = {
        "siret": siret,
        "denomination": f"Maison {n}",
        "enseigne": "",
        "code_naf": "47.11D",
        "tranche_effectif": "02",
        "adresse": f"{n} place de la Liberté",
        "code_postal": "59100",
        "code_commune": "59512",
        "structure_insertion": "",
        "entreprise_adaptee": "",
        "geiq": "non",
        "ess": "oui",
    }
    row.update(more)
    return row


def template_csv(rows, delimiter=";"):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, list(rows[0]), delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("encode", [template_csv, template_xlsx])
def test_the_template_creates_then_updates_only_what_it_gives(area, naf, actor, encode):
    result = run(encode([template_row(1, structure_insertion="ei"), template_row(2)]), actor)
    assert result.kind == imports.TEMPLATE and result.counts[imports.CREATE] == 2
    company = Establishment.objects.get(siret=template_row(1)["siret"])
    assert company.legal_unit.name == "Maison 1" and company.insertion_kind == "EI"
    assert (
        company.is_social_economy and company.naf == naf["4711D"] and company.source == "template"
    )
    # An empty NAF leaves the stored one; a new name renames the legal unit.
    result = run(
        encode([template_row(1, code_naf="", denomination="Maison Une", structure_insertion="EI")]),
        actor,
    )
    assert result.counts[imports.UPDATE] == 1
    company.refresh_from_db()
    assert company.naf == naf["4711D"] and company.legal_unit.name == "Maison Une"
    assert company.search_name == "maison une"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"denomination": ""}, "colonne « denomination » : dénomination manquante."),
        ({"code_naf": "00.00A"}, "colonne « code_naf » : code NAF « 00.00A » inconnu"),
        ({"geiq": "peut-être"}, "colonne « geiq » : « peut-être » : attendu oui ou non."),
        ({"structure_insertion": "XYZ"}, "colonne « structure_insertion »"),
        ({"siret": "123"}, "colonne « siret » : SIRET « 123 » invalide"),
    ],
)
def test_template_errors_name_the_line_and_the_field(area, naf, actor, change, expected):
    result = run(template_csv([template_row(1), template_row(2, **change)]), actor)
    assert any(m.startswith("Ligne 3, ") and expected in m for m in result.messages()), (
        result.messages()
    )
    assert not Establishment.objects.exists()


def test_the_template_downloads(client_for, officer, area, naf):
    client = client_for(officer)
    response = client.get(reverse("companies:import_template"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == list(imports.TEMPLATE_COLUMNS)
    csv_response = client.get(reverse("companies:import_template"), {"format": "csv"})
    assert csv_response.content.decode().startswith("siret;denomination;")
    # The template's example imports as it is.
    result = imports.preview(response.content, "modele.xlsx")
    assert result.counts[imports.REJECT] == 0, result.messages()


# --- Through the pages ------------------------------------------------------------------------


def _upload(client, data, name="stock.csv", **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("companies:import"), {"file": SimpleUploadedFile(name, data), **fields}
    )


def test_preview_then_confirm_through_the_pages(client_for, officer, area, naf):
    client = client_for(officer)
    response = _upload(client, sirene_csv([sirene_row(1), sirene_row(2)]), communes="59512")
    page = response.content.decode()
    assert "Aperçu de l" in page and "Confirmer l" in page
    assert not Establishment.objects.exists()
    token = response.context["token"]
    assert client.post(reverse("companies:import"), {"token": "autre"}).status_code == 302
    assert not Establishment.objects.exists()
    done = client.post(reverse("companies:import"), {"token": token})
    assert done.status_code == 302 and Establishment.objects.count() == 2
    # The token is used once.
    client.post(reverse("companies:import"), {"token": token})
    assert Establishment.objects.count() == 2


def test_a_rejected_file_offers_no_confirmation(client_for, officer, area, naf):
    client = client_for(officer)
    rows = [sirene_row(1), sirene_row(2, activitePrincipaleEtablissement="99.99Z")]
    response = _upload(client, sirene_csv(rows))
    page = response.content.decode()
    assert (
        "Lignes rejetées" in page and "Ligne 3, colonne « activitePrincipaleEtablissement »" in page
    )
    assert "Confirmer l" not in page and response.context["token"] == ""


def test_a_refused_file_says_why(client_for, officer, area, naf):
    response = _upload(client_for(officer), b"", name="vide.csv")
    assert response.status_code == 200
    # An empty upload is refused by the form itself.
    assert response.context["form"].errors or "vide" in response.content.decode()
    response = _upload(client_for(officer), "siret\n\xe9".encode("latin-1"))
    assert "caractère illisible en UTF-8" in response.content.decode()


def test_only_one_territory_at_a_time(client_for, officer, area, naf):
    response = _upload(
        client_for(officer),
        sirene_csv([sirene_row(1)]),
        communes="59512",
        bassin=area["roubaix"].bassin_id,
    )
    assert "Choisissez un seul territoire" in response.content.decode()
    response = _upload(client_for(officer), sirene_csv([sirene_row(1)]), communes="00000")
    assert "Code INSEE inconnu : 00000." in response.content.decode()


def test_an_import_does_not_touch_records_it_does_not_name(area, naf, actor):
    other = EstablishmentFactory(name="Hors fichier")
    run(sirene_csv([sirene_row(1)]), actor)
    other.refresh_from_db()
    assert other.name == "Hors fichier" and other.is_active


def test_abandoned_previews_leave_no_file(client_for, officer, area, naf, settings):
    import os
    import time
    from pathlib import Path

    client = client_for(officer)
    folder = Path(settings.MEDIA_ROOT) / "company-imports"
    first = _upload(client, sirene_csv([sirene_row(1)])).context["token"]
    stale = folder / "ancien"
    stale.write_bytes(b"x")
    old = time.time() - 2 * 24 * 3600
    os.utime(stale, (old, old))
    second = _upload(client, sirene_csv([sirene_row(2)])).context["token"]
    assert not (folder / first).exists() and not stale.exists()
    assert (folder / second).exists()
    client.post(reverse("companies:import"), {"token": second})
    assert not (folder / second).exists()
