"""The pages, through the views: the facilitator, a reader without identities, the holder's
contact in the portal (own lots only, first names), a buyer's representative (figures only)."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.clauses.factories import BuyerFactory, LotFactory
from tests.companies.factories import EstablishmentFactory, LeaderAccountFactory
from tests.core.matrix import PDF
from tests.http import release
from tisserand.clauses import services
from tisserand.clauses.models import (
    BuyerRepresentative,
    Contract,
    Declaration,
    DeclarationStatus,
    Lot,
    Operation,
    Participant,
)
from tisserand.structures.roles import Role

MARCH = datetime.date(2025, 3, 1)


@pytest.fixture
def declared(lot, participant, actor):
    return services.declare(
        data={"participant": participant, "lot": lot, "month": MARCH, "hours": Decimal(120)},
        actor=actor,
    )


def test_the_facilitator_creates_an_operation_a_contract_and_a_lot(client_for, facilitator):
    client = client_for(facilitator)
    buyer = BuyerFactory(structure=facilitator.structure)
    response = client.post(
        reverse("clauses:operation_create"),
        {"programme": "npnru", "name": "NPNRU Alma", "starts_on": "2025-01-01",
         "ends_on": "2029-12-31", "qpv_codes": "QN05912M", "qpv_share": "0.5",
         "buyers": [buyer.pk]},
    )  # fmt: skip
    operation = Operation.objects.get()
    assert response.status_code == 302
    client.post(
        reverse("clauses:contract_create", args=[operation.public_id]),
        {"buyer": buyer.pk, "reference": "M-1", "object": "Voirie", "amount": "1000000",
         "nature": "works", "starts_on": "2025-01-01", "ends_on": "2026-12-31"},
    )  # fmt: skip
    contract = Contract.objects.get()
    holder = EstablishmentFactory()
    preview = client.post(
        reverse("clauses:lot_hours_preview", args=[contract.public_id]),
        {"amount": "1000000", "labour_share": "0,5", "insertion_rate": "0.05",
         "hourly_cost": "30", "hours_mode": "computed"},
    )  # fmt: skip
    assert "833,3 h" in preview.content.decode() and "416,7 h" in preview.content.decode()
    response = client.post(
        reverse("clauses:lot_create", args=[contract.public_id]),
        {"number": 1, "label": "Terrassement", "holder": holder.pk, "amount": "1000000",
         "legal_form": "L2112-2", "hours_mode": "computed", "labour_share": "0.5",
         "insertion_rate": "0.05", "hourly_cost": "30"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    lot = Lot.objects.get()
    assert lot.hours_owed == Decimal("833.3") and lot.qpv_hours_owed == Decimal("416.7")
    page = client.get(reverse("clauses:lot", args=[lot.public_id])).content.decode()
    assert "÷ 30,00 € de l&#x27;heure = 833,3 h" in page


def test_refused_inputs_show_a_french_message_and_change_nothing(
    client_for, facilitator, lot, participant, ineligible
):
    client = client_for(facilitator)
    url = reverse("clauses:declare", args=[lot.public_id])
    response = client.post(
        url, {"participant": participant.pk, "month": "2027-02", "hours": "10"}, follow=True
    )
    assert "hors de la période du marché" in response.content.decode()
    response = client.post(
        url, {"participant": participant.pk, "month": "2025-02", "hours": "-3"}, follow=True
    )
    assert "ne sont pas négatives" in response.content.decode()
    # An ineligible participant is not even offered; forcing it is refused.
    response = client.post(
        url, {"participant": ineligible.pk, "month": "2025-02", "hours": "3"}, follow=True
    )
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert Declaration.objects.count() == 0


def test_the_participant_page_proposes_what_the_record_knows(client_for, facilitator, person):
    from tests.people.factories import follow

    follow(person, facilitator)
    person.birth_date = datetime.date(2003, 1, 1)
    person.save()
    client = client_for(facilitator)
    response = client.post(
        reverse("clauses:participant_from_person", args=[person.public_id]),
        {"level": "none", "modality": "cdd", "starts_on": "2025-03-01"},
    )
    participant = Participant.objects.get()
    assert response.status_code == 302
    assert (participant.first_name, participant.person) == ("Amina", person)
    page = client.get(reverse("clauses:participant", args=[participant.public_id])).content.decode()
    assert "Ses heures ne comptent pas" in page
    assert "22 ans au début du contrat" in page
    from tisserand.clauses.models import EligibilityCriterion

    young = EligibilityCriterion.objects.get(code="young_unqualified")
    client.post(
        reverse("clauses:criterion_add", args=[participant.public_id]),
        {"criterion": young.pk, "source": "record", "assessed_on": "2025-03-01"},
    )
    participant.refresh_from_db()
    assert participant.is_eligible
    proof = SimpleUploadedFile("caf.pdf", PDF, content_type="application/pdf")
    rsa = EligibilityCriterion.objects.get(code="rsa")
    client.post(
        reverse("clauses:criterion_add", args=[participant.public_id]),
        {"criterion": rsa.pk, "source": "document", "assessed_on": "2025-02-01", "proof": proof},
    )
    row = participant.criteria.get(criterion=rsa)
    document = row.documents.get()
    opened = client.get(reverse("core:document", args=[document.public_id]))
    release(opened)
    assert opened.status_code == 200


def test_validation_and_reopening_through_the_lot_page(client_for, facilitator, declared):
    client = client_for(facilitator)
    client.post(reverse("clauses:declaration_validate", args=[declared.public_id]))
    declared.refresh_from_db()
    assert declared.status == DeclarationStatus.VALIDATED
    client.post(reverse("clauses:declaration_reopen", args=[declared.public_id]), {"reason": ""})
    declared.refresh_from_db()
    assert declared.status == DeclarationStatus.VALIDATED
    client.post(
        reverse("clauses:declaration_reopen", args=[declared.public_id]), {"reason": "Erreur"}
    )
    declared.refresh_from_db()
    assert declared.status == DeclarationStatus.DECLARED


def test_a_reader_sees_figures_not_identities(client_for, make_member, structure, declared):
    director = make_member(Role.DIRECTOR, structure)
    client = client_for(director)
    page = client.get(reverse("clauses:lot", args=[declared.lot.public_id])).content.decode()
    assert "120,0 h" in page
    assert declared.participant.last_name.upper() not in page
    assert declared.participant.first_name not in page
    assert (
        client.get(
            reverse("clauses:participant", args=[declared.participant.public_id])
        ).status_code
        == 403
    )
    assert client.get(reverse("clauses:participants")).status_code == 403
    assert (
        client.post(reverse("clauses:declaration_validate", args=[declared.public_id])).status_code
        == 403
    )


def test_a_funder_reads_aggregates_only(client_for, make_member, structure, declared):
    funder = make_member(Role.FUNDER, structure)
    client = client_for(funder)
    assert client.get(reverse("clauses:home")).status_code == 403
    assert client.get(reverse("clauses:lot", args=[declared.lot.public_id])).status_code == 403
    page = client.get(reverse("clauses:aggregates") + "?annee=2025").content.decode()
    assert "NPNRU (ANRU 2)" in page and "120 h" in page and "&lt; 5" in page
    assert declared.participant.first_name not in page


def test_the_holder_declares_in_the_portal_and_sees_first_names_only(
    client, lot, participant, facilitator, client_for
):
    leader = LeaderAccountFactory(establishment=lot.holder)
    other_lot = LotFactory(contract=lot.contract, number=2)
    client.force_login(leader.user)
    listing = client.get(reverse("clauses:portal_lots", args=[lot.holder.public_id]))
    assert listing.status_code == 200
    assert str(lot) in listing.content.decode() and str(other_lot) not in listing.content.decode()
    url = reverse("clauses:portal_lot", args=[lot.holder.public_id, lot.public_id])
    response = client.post(url, {"participant": participant.pk, "month": "2025-03", "hours": "70"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert participant.first_name in page and participant.last_name.upper() not in page
    declaration = Declaration.objects.get()
    assert declaration.source == "portal" and declaration.status == "declared"
    refused = client.post(url, {"participant": participant.pk, "month": "2024-01", "hours": "7"})
    assert "hors de la période" in refused.content.decode()
    # Not their lot: 404.
    assert (
        client.get(
            reverse("clauses:portal_lot", args=[lot.holder.public_id, other_lot.public_id])
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("clauses:portal_lot", args=[other_lot.holder.public_id, other_lot.public_id])
        ).status_code
        == 404
    )
    # The facilitator validates it.
    facilitator_client = client_for(facilitator)
    facilitator_client.post(reverse("clauses:lot_validate_all", args=[lot.public_id]))
    declaration.refresh_from_db()
    assert declaration.status == "validated"


def test_a_buyers_representative_reads_figures_only(client, client_for, facilitator, declared):
    buyer = declared.lot.contract.buyer
    from tests.factories import UserFactory

    user = UserFactory()
    manager = client_for(facilitator)
    url = reverse("clauses:representative_add", args=[buyer.public_id])
    refused = manager.post(url, {"email": "inconnu@exemple.invalid"}, follow=True)
    assert "Aucun compte" in refused.content.decode()
    manager.post(url, {"email": user.email})
    assert BuyerRepresentative.objects.get().user == user
    client.logout()
    client.force_login(user)
    page = client.get(reverse("clauses:buyer_portal", args=[buyer.public_id])).content.decode()
    assert "120 h" in page and declared.participant.first_name not in page
    other = BuyerFactory()
    assert client.get(reverse("clauses:buyer_portal", args=[other.public_id])).status_code == 404


def test_documents_certificate_reports_and_national_export(client_for, facilitator, declared):
    client = client_for(facilitator)
    lot, operation = declared.lot, declared.lot.contract.operation
    response = client.get(reverse("clauses:certificate", args=[lot.public_id]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    for fmt in ("pdf", "xlsx"):
        response = client.get(
            reverse("clauses:operation_report", args=[operation.public_id, fmt]) + "?annee=2025"
        )
        assert response.status_code == 200
        response = client.get(
            reverse("clauses:buyer_report", args=[lot.contract.buyer.public_id, fmt])
            + "?annee=2025"
        )
        assert response.status_code == 200
    page = client.get(
        reverse("clauses:operation_report_page", args=[operation.public_id]) + "?annee=2025"
    )
    text = page.content.decode()
    assert "<svg" in text and "Heures par modalité" in text and "&lt; 5" in text
    export = client.get(reverse("clauses:national_export") + "?annee=2025")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "annee" and len(rows) == 2
    assert rows[1][rows[0].index("heures_comptees")] == 120
    assert declared.participant.last_name not in str(rows)


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["identifiant", "prénom", "nom", "mois (aaaa-mm)", "heures"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("heures.xlsx", buffer.getvalue())


def test_xlsx_import_preview_rejection_and_idempotence(client_for, facilitator, lot, participant):
    client = client_for(facilitator)
    url = reverse("clauses:lot_import", args=[lot.public_id])
    pid = str(participant.public_id)
    bad = client.post(
        url,
        {
            "file": _xlsx(
                [
                    [pid, "", "", "2025-03", 100],
                    [pid, "", "", "2030-01", 5],
                    [pid, "", "", "2025-04", "beaucoup"],
                ]
            )
        },
    )
    text = bad.content.decode()
    assert "Ligne 3, colonne mois" in text and "Ligne 4, colonne heures" in text
    assert Declaration.objects.count() == 0
    good = client.post(
        url, {"file": _xlsx([[pid, "", "", "2025-03", 100], [pid, "", "", "2025-04", 80]])}
    )
    assert "Lignes à créer : 2" in good.content.decode()
    assert Declaration.objects.count() == 0  # a preview writes nothing
    token = good.context["preview"].token()
    client.post(url, {"token": token})
    assert Declaration.objects.count() == 2
    again = client.post(
        url, {"file": _xlsx([[pid, "", "", "2025-03", 100], [pid, "", "", "2025-04", 80]])}
    )
    assert "Lignes inchangées : 2" in again.content.decode()
    client.post(url, {"token": again.context["preview"].token()})
    assert Declaration.objects.count() == 2
    assert client.get(reverse("clauses:import_template", args=[lot.public_id])).status_code == 200


def test_decp_import(client_for, facilitator, lot):
    client = client_for(facilitator)
    operation = lot.contract.operation
    buyer = lot.contract.buyer
    holder = lot.holder
    payload = {"marches": [
        {"id": "2025-001", "acheteur": {"id": buyer.siret}, "objet": "Espaces verts",
         "codeCPV": "77310000", "montant": 250000, "dureeMois": 24,
         "dateNotification": "2025-02-01", "lieuExecution": {"code": "59512"},
         "titulaires": [{"typeIdentifiant": "SIRET", "id": holder.siret}],
         "considerationsSociales": {"considerationSociale": ["Clause sociale"]}},
        {"id": "2025-002", "acheteur": {"id": buyer.siret}, "objet": "Fournitures",
         "codeCPV": "30190000", "montant": 1000, "dureeMois": 12,
         "dateNotification": "2025-02-01", "titulaires": [],
         "considerationsSociales": {"considerationSociale": ["Pas de considération sociale"]}},
    ]}  # fmt: skip
    url = reverse("clauses:decp_import", args=[operation.public_id])
    upload = lambda data: SimpleUploadedFile("decp.json", json.dumps(data).encode())  # noqa: E731
    bad = {"marches": [{**payload["marches"][0], "acheteur": {"id": "12345678900011"}}]}
    response = client.post(url, {"file": upload(bad)})
    assert "champ acheteur.id" in response.content.decode()
    response = client.post(url, {"file": upload(payload)})
    assert "Marchés à créer : 1" in response.content.decode()
    client.post(url, {"token": response.context["preview"].token})
    contract = Contract.objects.get(decp_id="2025-001")
    assert contract.ends_on == datetime.date(2027, 2, 1) and contract.lots.get().holder == holder
    response = client.post(url, {"file": upload(payload)})
    assert "Déjà importés : 1" in response.content.decode()


def test_every_page_renders(client_for, facilitator, declared, person):
    from tests.people.factories import follow

    follow(person, facilitator)
    client = client_for(facilitator)
    lot = declared.lot
    for url in (
        reverse("clauses:home"),
        reverse("clauses:operation", args=[lot.contract.operation.public_id]),
        reverse("clauses:buyer", args=[lot.contract.buyer.public_id]),
        reverse("clauses:contract", args=[lot.contract.public_id]),
        reverse("clauses:lot", args=[lot.public_id]),
        reverse("clauses:lot_create", args=[lot.contract.public_id]),
        reverse("clauses:participants"),
        reverse("clauses:participant", args=[declared.participant.public_id]),
        reverse("clauses:participant_create"),
        reverse("clauses:buyer_create"),
        reverse("clauses:operation_create"),
        reverse("clauses:contract_create", args=[lot.contract.operation.public_id]),
        reverse("people:detail", args=[person.public_id]),
    ):
        assert client.get(url).status_code == 200, url


def test_objects_of_another_structure_answer_404(
    client_for, make_member, other_structure, declared
):
    stranger = make_member(Role.CLAUSE_FACILITATOR, other_structure)
    client = client_for(stranger)
    assert client.get(reverse("clauses:lot", args=[declared.lot.public_id])).status_code == 404
    assert (
        client.post(reverse("clauses:declaration_validate", args=[declared.public_id])).status_code
        == 404
    )


def test_the_clause_need_becomes_a_recruitment_need_of_the_holder(client_for, facilitator, lot):
    from tisserand.companies.models import Need

    client = client_for(facilitator)
    client.post(reverse("clauses:lot_need", args=[lot.public_id]))
    client.post(reverse("clauses:lot_need", args=[lot.public_id]))
    need = Need.objects.get()
    lot.refresh_from_db()
    assert need.establishment == lot.holder and lot.need == need
    assert need.subject.kind == "recruitment"


def test_the_criteria_list_is_editable(client_for, facilitator, participant):
    from tisserand.clauses.models import EligibilityCriterion

    client = client_for(facilitator)
    client.post(reverse("clauses:criteria"), {"label": "Sortant de détention", "code": "justice"})
    added = EligibilityCriterion.objects.get(code="justice")
    refused = client.post(reverse("clauses:criteria"), {"label": "Doublon", "code": "justice"})
    assert "existe déjà" in refused.content.decode()
    client.post(reverse("clauses:criterion_toggle", args=[added.pk]))
    added.refresh_from_db()
    assert not added.is_active
    kept = participant.criteria.get().criterion
    client.post(reverse("clauses:criterion_toggle", args=[kept.pk]))
    participant.refresh_from_db()
    assert participant.is_eligible and participant.criteria.count() == 1


def test_the_lot_offers_the_participants_of_its_companies(
    client_for, facilitator, lot, participant
):
    from tests.clauses.factories import ParticipantFactory, make_eligible

    elsewhere = make_eligible(
        ParticipantFactory(structure=facilitator.structure, employer=EstablishmentFactory())
    )
    free = make_eligible(ParticipantFactory(structure=facilitator.structure, first_name="Lina"))
    response = client_for(facilitator).get(reverse("clauses:lot", args=[lot.public_id]))
    offered = set(response.context["form"].fields["participant"].queryset)
    assert offered == {participant, free}
    assert elsewhere not in offered
