"""The edit pages and their rules: hours owed recomputed and explained, never below the hours
already validated; a contract's period keeps every declared month; a participant's new start
date checks the criteria's dates again; each refusal a French message with nothing changed;
each change a diff on the timeline. And proposing candidates for a lot's clause job."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.clauses.factories import BuyerFactory, ParticipantFactory, criterion
from tests.companies.factories import EstablishmentFactory
from tests.people.factories import PersonFactory, follow
from tisserand.clauses import services
from tisserand.clauses.models import (
    Contract,
    CriterionSource,
    HoursMode,
    Lot,
    ParticipantCriterion,
)
from tisserand.companies import hooks as company_hooks
from tisserand.core.models import TimelineEvent
from tisserand.structures.roles import Role

MARCH = datetime.date(2025, 3, 1)


def _declare(lot, participant, actor, month=MARCH, hours="120", validate=False):
    declaration = services.declare(
        data={"participant": participant, "lot": lot, "month": month, "hours": Decimal(hours)},
        actor=actor,
    )
    if validate:
        services.validate(declaration, actor=actor)
    return declaration


def _lot_data(lot, **more):
    return {
        "number": lot.number,
        "label": lot.label,
        "holder": lot.holder,
        "amount": lot.amount,
        "legal_form": lot.legal_form,
        "hours_mode": lot.hours_mode,
        "labour_share": lot.labour_share,
        "insertion_rate": lot.insertion_rate,
        "hourly_cost": lot.hourly_cost,
        **more,
    }


def _stored(obj):
    return type(obj).objects.get(pk=obj.pk)


# --- Lots ------------------------------------------------------------------------------------


def test_changing_a_lots_parameters_recomputes_its_hours_and_explains_them(lot, actor):
    services.update_lot(lot, data=_lot_data(lot, insertion_rate=Decimal("0.1")), actor=actor)
    lot = _stored(lot)
    assert lot.hours_owed == Decimal("1666.7") and lot.qpv_hours_owed == Decimal("833.4")
    assert "10,0 % d'insertion" in lot.explanation
    event = TimelineEvent.objects.filter(verb="changed").latest("id")
    assert "taux d'insertion" in event.summary and "1666.7 h" in event.summary
    fields = {change["field"] for change in event.changes}
    assert {"taux d'insertion", "heures dues"} <= fields


def test_a_lots_partners_change_with_a_trace(lot, actor):
    partner = EstablishmentFactory(name="Insertion Plus")
    services.update_lot(lot, data=_lot_data(lot, subcontractors=[partner]), actor=actor)
    assert list(lot.subcontractors.all()) == [partner]
    assert TimelineEvent.objects.filter(summary__startswith="Sous-traitants du Lot 1").exists()
    services.update_lot(lot, data=_lot_data(lot, subcontractors=[partner]), actor=actor)
    assert TimelineEvent.objects.filter(summary__startswith="Sous-traitants").count() == 1


def test_hours_owed_never_fall_below_the_hours_already_validated(lot, participant, actor):
    _declare(lot, participant, actor, hours="500", validate=True)
    before = (lot.hours_owed, lot.hourly_cost)
    with pytest.raises(services.ClauseError, match="inférieures aux heures déjà validées"):
        # 1,000,000 × 50 % × 5 % ÷ 60 = 416.7 h < 500 h validated
        services.update_lot(lot, data=_lot_data(lot, hourly_cost=Decimal(60)), actor=actor)
    with pytest.raises(services.ClauseError, match="inférieures aux heures déjà validées"):
        services.update_lot(
            lot,
            data=_lot_data(lot, hours_mode=HoursMode.ENTERED, hours_owed=Decimal("499.9")),
            actor=actor,
        )
    stored = _stored(lot)
    assert (stored.hours_owed, stored.hourly_cost) == before
    # Exactly the validated hours is allowed.
    services.update_lot(
        lot,
        data=_lot_data(lot, hours_mode=HoursMode.ENTERED, hours_owed=Decimal(500)),
        actor=actor,
    )
    stored = _stored(lot)
    assert stored.hours_owed == Decimal(500) and stored.hourly_cost is None


def test_declared_but_not_validated_hours_do_not_hold_the_hours_owed(lot, participant, actor):
    _declare(lot, participant, actor, hours="500")
    services.update_lot(lot, data=_lot_data(lot, hourly_cost=Decimal(60)), actor=actor)
    assert _stored(lot).hours_owed == Decimal("416.7")


def test_a_lot_edit_refuses_bad_parameters_and_changes_nothing(lot, actor):
    for bad in (
        {"labour_share": Decimal("1.5")},
        {"hourly_cost": Decimal(0)},
        {"amount": Decimal(-1)},
        {"hours_mode": HoursMode.ENTERED, "hours_owed": Decimal(-3)},
    ):
        with pytest.raises(services.ClauseError):
            services.update_lot(lot, data=_lot_data(lot, **bad), actor=actor)
    other = Lot.objects.create(
        contract=lot.contract, number=2, label="Second œuvre", holder=lot.holder,
        amount=Decimal(0), legal_form=lot.legal_form, hours_mode=HoursMode.ENTERED,
        hours_owed=Decimal(0), qpv_hours_owed=Decimal(0),
    )  # fmt: skip
    with pytest.raises(services.ClauseError, match="déjà un lot 1"):
        services.update_lot(other, data=_lot_data(other, number=1), actor=actor)
    assert _stored(lot).hours_owed == Decimal("833.3") and _stored(other).number == 2
    assert not TimelineEvent.objects.filter(verb="changed").exists()


def test_the_holder_of_a_lot_with_a_recruitment_need_stays(lot, actor):
    services.record_clause_need(lot, actor=actor)
    with pytest.raises(services.ClauseError, match="titulaire ne se change plus"):
        services.update_lot(lot, data=_lot_data(lot, holder=EstablishmentFactory()), actor=actor)
    assert _stored(lot).holder == lot.holder


# --- Contracts and operations ----------------------------------------------------------------


def _contract_data(contract, **more):
    return {
        key: getattr(contract, key)
        for key in services.EDITABLE_CONTRACT_FIELDS
    } | more  # fmt: skip


def test_a_contract_period_keeps_every_declared_month(lot, participant, actor):
    contract = lot.contract
    _declare(lot, participant, actor, month=MARCH)
    with pytest.raises(services.MonthOutsideContract, match="03/2025"):
        services.update_contract(
            contract, data=_contract_data(contract, starts_on=datetime.date(2025, 4, 1)),
            actor=actor,
        )  # fmt: skip
    with pytest.raises(services.MonthOutsideContract, match="03/2025"):
        services.update_contract(
            contract, data=_contract_data(contract, ends_on=datetime.date(2025, 2, 28)),
            actor=actor,
        )  # fmt: skip
    assert _stored(contract).starts_on == datetime.date(2025, 1, 1)
    # Within the month (the 31st of March) is still fine.
    services.update_contract(
        contract, data=_contract_data(contract, starts_on=datetime.date(2025, 3, 31)),
        actor=actor,
    )  # fmt: skip
    assert _stored(contract).starts_on == datetime.date(2025, 3, 31)
    event = TimelineEvent.objects.filter(verb="changed").latest("id")
    assert event.summary.startswith("Marché modifié") and "début" in event.summary


def test_a_contract_edit_refuses_what_creation_refuses(lot, actor):
    contract = lot.contract
    outsider = BuyerFactory(structure=contract.operation.structure)
    for bad, message in (
        ({"ends_on": datetime.date(2024, 1, 1)}, "précède son début"),
        ({"amount": Decimal(-1)}, "pas négatif"),
        ({"buyer": outsider}, "ne participe pas"),
    ):
        with pytest.raises(services.ClauseError, match=message):
            services.update_contract(contract, data=_contract_data(contract, **bad), actor=actor)
    twin = Contract.objects.create(
        operation=contract.operation, buyer=contract.buyer, reference="AUTRE", object="x",
        amount=Decimal(1), nature="works", starts_on=contract.starts_on, ends_on=contract.ends_on,
    )  # fmt: skip
    with pytest.raises(services.ClauseError, match="même|déjà un marché"):
        services.update_contract(
            twin, data=_contract_data(twin, reference=contract.reference), actor=actor
        )
    assert _stored(twin).reference == "AUTRE"


def test_an_operations_qpv_share_recomputes_its_lots(lot, actor):
    operation = lot.contract.operation
    data = {key: getattr(operation, key) for key in services.OPERATION_FIELDS}
    services.update_operation(operation, data={**data, "qpv_share": Decimal("0.25")}, actor=actor)
    assert _stored(lot).qpv_hours_owed == Decimal("208.3")
    services.update_operation(operation, data={**data, "programme": "charter"}, actor=actor)
    assert _stored(lot).qpv_hours_owed == Decimal(0)
    summaries = list(TimelineEvent.objects.values_list("summary", flat=True))
    assert any("recalculées pour 1 lot" in summary for summary in summaries)


def test_a_buyer_with_contracts_stays_in_the_operation(lot, actor):
    operation = lot.contract.operation
    data = {key: getattr(operation, key) for key in services.OPERATION_FIELDS}
    with pytest.raises(services.ClauseError, match="il en reste donneur d'ordre"):
        services.update_operation(operation, data={**data, "buyers": []}, actor=actor)
    with pytest.raises(services.ClauseError, match="précède son début"):
        services.update_operation(
            operation, data={**data, "ends_on": datetime.date(2000, 1, 1)}, actor=actor
        )
    assert list(operation.buyers.all()) == [lot.contract.buyer]
    assert _stored(operation).ends_on == operation.ends_on


# --- Participants ----------------------------------------------------------------------------


def _participant_data(participant, **more):
    return {key: getattr(participant, key) for key in services.PARTICIPANT_FIELDS} | more


def test_a_linked_participants_identity_comes_from_the_record(structure, actor, person):
    participant = services.create_participant(
        data={"modality": "cdd", "starts_on": datetime.date(2025, 3, 1), "level": "none"},
        actor=actor,
        person=person,
    )
    services.update_participant(
        participant,
        data=_participant_data(participant, first_name="Autre", modality="cdi"),
        actor=actor,
    )
    stored = _stored(participant)
    assert (stored.first_name, stored.modality) == (person.first_name, "cdi")


def test_a_participant_created_for_the_clause_has_an_editable_identity(participant, actor):
    services.update_participant(
        participant, data=_participant_data(participant, first_name="Karima"), actor=actor
    )
    assert _stored(participant).first_name == "Karima"
    event = TimelineEvent.objects.filter(verb="changed").latest("id")
    assert event.changes == [{"field": "prénom", "before": "Karim", "after": "Karima"}]


def _with_document_proof(participant, assessed_on):
    participant.criteria.all().delete()
    row = ParticipantCriterion.objects.create(
        participant=participant, criterion=criterion("rsa"), assessed_on=assessed_on,
        source=CriterionSource.DOCUMENT,
    )  # fmt: skip
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tisserand.core import documents
    from tisserand.core.actor import Actor

    documents.attach(
        row,
        SimpleUploadedFile("preuve.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
        actor=Actor.of(_facilitator_of(participant)),
        label="Justificatif",
        issued_on=assessed_on,
    )
    services.refresh_eligibility(participant)
    return row


def _facilitator_of(participant):
    from tisserand.structures.models import Membership

    return Membership.objects.filter(
        structure=participant.structure, role=Role.CLAUSE_FACILITATOR
    ).first()


def test_an_earlier_start_rechecks_the_proofs_dates(structure, holder, lot, actor):
    participant = ParticipantFactory(
        structure=structure, employer=holder, starts_on=datetime.date(2025, 3, 1)
    )
    _with_document_proof(participant, datetime.date(2025, 2, 15))
    assert _stored(participant).is_eligible
    _declare(lot, participant, actor, month=MARCH)
    # Starting on 1 February, the proof of 15 February comes too late: with hours declared,
    # refused, nothing changed.
    with pytest.raises(services.NotEligible, match="ne compteraient plus"):
        services.update_participant(
            participant,
            data=_participant_data(participant, starts_on=datetime.date(2025, 2, 1)),
            actor=actor,
        )
    stored = _stored(participant)
    assert stored.starts_on == datetime.date(2025, 3, 1) and stored.is_eligible
    # A later start still holds.
    services.update_participant(
        participant,
        data=_participant_data(participant, starts_on=datetime.date(2025, 3, 10)),
        actor=actor,
    )
    assert _stored(participant).is_eligible


def test_without_hours_an_earlier_start_makes_the_participant_ineligible(structure, holder, actor):
    participant = ParticipantFactory(
        structure=structure, employer=holder, starts_on=datetime.date(2025, 3, 1)
    )
    _with_document_proof(participant, datetime.date(2025, 2, 15))
    services.update_participant(
        participant,
        data=_participant_data(participant, starts_on=datetime.date(2025, 2, 1)),
        actor=actor,
    )
    stored = _stored(participant)
    assert not stored.is_eligible
    assert "le 01/02/2025" in services.ineligibility_reason(stored)


def test_a_contract_never_starts_after_its_declared_hours(lot, participant, actor):
    _declare(lot, participant, actor, month=MARCH)
    with pytest.raises(services.ClauseError, match="03/2025"):
        services.update_participant(
            participant,
            data=_participant_data(participant, starts_on=datetime.date(2025, 4, 1)),
            actor=actor,
        )
    with pytest.raises(services.ClauseError, match="précède son début"):
        services.update_participant(
            participant,
            data=_participant_data(participant, ends_on=datetime.date(2000, 1, 1)),
            actor=actor,
        )
    assert _stored(participant).starts_on == participant.starts_on


def test_a_record_criterion_no_longer_proven_on_the_new_start_does_not_count(structure, actor):
    # Born on 1 June 1999: under 26 until 31 May 2025, as the record proves.
    person = PersonFactory(owner_structure=structure, birth_date=datetime.date(1999, 6, 1))
    participant = services.create_participant(
        data={"modality": "cdd", "starts_on": datetime.date(2025, 3, 1), "level": "none"},
        actor=actor,
        person=person,
    )
    services.add_criterion(
        participant,
        data={"criterion": criterion("young_unqualified"), "assessed_on": datetime.date(2025, 3, 1),
              "source": CriterionSource.RECORD},
        actor=actor,
    )  # fmt: skip
    assert _stored(participant).is_eligible
    services.update_participant(
        participant,
        data=_participant_data(participant, starts_on=datetime.date(2025, 7, 1)),
        actor=actor,
    )
    assert not _stored(participant).is_eligible


# --- Through the views -----------------------------------------------------------------------


def test_the_facilitator_edits_a_lots_hours_parameters(client_for, facilitator, lot):
    client = client_for(facilitator)
    url = reverse("clauses:lot_edit", args=[lot.public_id])
    page = client.get(url).content.decode()
    assert "Modifier le Lot 1" in page and "833,3 h" in page
    response = client.post(
        url,
        {"number": 1, "label": "Terrassement", "holder": lot.holder.pk, "amount": "1000000",
         "legal_form": "L2112-2", "hours_mode": "computed", "labour_share": "0.4",
         "insertion_rate": "0.05", "hourly_cost": "30"},
    )  # fmt: skip
    assert response.status_code == 302
    lot = _stored(lot)
    assert (lot.label, lot.hours_owed) == ("Terrassement", Decimal("666.7"))
    page = client.get(reverse("clauses:lot", args=[lot.public_id])).content.decode()
    assert "= 666,7 h" in page and "Lot modifié" in page


def test_a_refused_lot_edit_shows_why_and_changes_nothing(
    client_for, facilitator, lot, participant, actor
):  # noqa: E501
    _declare(lot, participant, actor, hours="500", validate=True)
    response = client_for(facilitator).post(
        reverse("clauses:lot_edit", args=[lot.public_id]),
        {"number": 1, "label": "x", "holder": lot.holder.pk, "amount": "1000000",
         "legal_form": "L2112-2", "hours_mode": "entered", "hours_owed": "10"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "inférieures aux heures déjà validées" in response.content.decode()
    assert _stored(lot).label == "Gros œuvre"


def test_the_edit_pages_answer_the_facilitator(client_for, facilitator, lot, participant):
    client = client_for(facilitator)
    contract, operation = lot.contract, lot.contract.operation
    for url in (
        reverse("clauses:operation_edit", args=[operation.public_id]),
        reverse("clauses:contract_edit", args=[contract.public_id]),
        reverse("clauses:buyer_edit", args=[contract.buyer.public_id]),
        reverse("clauses:participant_edit", args=[participant.public_id]),
    ):
        assert client.get(url).status_code == 200, url
    response = client.post(
        reverse("clauses:contract_edit", args=[contract.public_id]),
        {"buyer": contract.buyer.pk, "reference": contract.reference, "object": "Voirie neuve",
         "amount": "1000000", "nature": "works", "starts_on": "2025-01-01",
         "ends_on": "2026-12-31"},
    )  # fmt: skip
    assert response.status_code == 302 and _stored(contract).object == "Voirie neuve"


def test_a_reader_and_another_structure_cannot_edit(
    client_for, make_member, structure, other_structure, lot, participant
):
    director = client_for(make_member(Role.DIRECTOR, structure))
    url = reverse("clauses:lot_edit", args=[lot.public_id])
    assert director.get(url).status_code == 403
    response = director.post(url, {"number": 1, "label": "x", "holder": lot.holder.pk,
                                   "amount": "1", "legal_form": "L2112-2",
                                   "hours_mode": "entered", "hours_owed": "1"})  # fmt: skip
    assert response.status_code == 403 and _stored(lot).label == "Gros œuvre"
    stranger = client_for(make_member(Role.CLAUSE_FACILITATOR, other_structure))
    assert stranger.get(url).status_code == 404
    assert (
        stranger.get(reverse("clauses:participant_edit", args=[participant.public_id])).status_code
        == 404
    )


# --- Proposing candidates --------------------------------------------------------------------


def test_the_facilitator_proposes_a_person_they_follow(client_for, facilitator, lot, person):
    from tisserand.opportunities.models import Introduction

    follow(person, facilitator)
    client = client_for(facilitator)
    url = reverse("clauses:lot_propose", args=[lot.public_id])
    page = client.get(url, {"q": person.last_name}).content.decode()
    assert str(person) in page
    response = client.post(url, {"person": person.public_id, "message": "Motivée"})
    assert "Recueillez l&#x27;accord" in response.content.decode()
    assert not Introduction.objects.exists()
    response = client.post(url, {"person": person.public_id, "consent": "on", "message": "Motivée"})
    assert response.status_code == 302
    introduction = Introduction.objects.get()
    lot = _stored(lot)
    assert (introduction.person, introduction.need) == (person, lot.need)
    assert "clause sociale" in introduction.consent_text and introduction.message == "Motivée"
    page = client.get(reverse("clauses:lot", args=[lot.public_id])).content.decode()
    assert "Candidats proposés" in page and str(person) in page
    # Twice while the first is pending: refused with the reason.
    response = client.post(url, {"person": person.public_id, "consent": "on"})
    assert "déjà proposée" in response.content.decode()
    assert Introduction.objects.count() == 1


def test_a_person_the_facilitator_does_not_see_is_not_proposed(
    client_for, facilitator, lot, structure
):
    from tisserand.opportunities.models import Introduction

    hidden = PersonFactory(owner_structure=structure, last_name="Invisible")
    client = client_for(facilitator)
    url = reverse("clauses:lot_propose", args=[lot.public_id])
    page = client.get(url, {"q": "Invisible"}).content.decode()
    assert str(hidden.public_id) not in page and "Aucune personne que vous suivez" in page
    response = client.post(url, {"person": hidden.public_id, "consent": "on"})
    assert "pas parmi celles que vous suivez" in response.content.decode()
    assert not Introduction.objects.exists() and _stored(lot).need is None


def test_proposing_is_for_facilitators_only(client_for, make_member, structure, lot, person):
    from tisserand.opportunities.models import Introduction

    director = make_member(Role.DIRECTOR, structure)
    client = client_for(director)
    url = reverse("clauses:lot_propose", args=[lot.public_id])
    assert client.get(url).status_code == 403
    assert client.post(url, {"person": person.public_id, "consent": "on"}).status_code == 403
    assert not Introduction.objects.exists()


def test_need_introductions_through_the_hook_and_its_fallback(
    lot, facilitator, actor, person, monkeypatch
):
    follow(person, facilitator)
    introduction = services.propose_candidate(lot, person, actor=actor, consent_text="Accord.")
    need = _stored(lot).need
    assert company_hooks.need_introductions(need) == [introduction]
    providers = dict(company_hooks.hooks._providers)
    providers.pop(company_hooks.NEED_INTRODUCTIONS)
    monkeypatch.setattr(company_hooks.hooks, "_providers", providers)
    assert company_hooks.need_introductions(need) == []


def test_the_facilitator_edits_an_operation_and_a_participant_through_their_pages(
    client_for, facilitator, lot, participant
):
    client = client_for(facilitator)
    operation = lot.contract.operation
    response = client.post(
        reverse("clauses:operation_edit", args=[operation.public_id]),
        {"programme": "npnru", "name": "NPNRU Alma-Gare", "starts_on": "2024-01-01",
         "ends_on": "2030-12-31", "qpv_codes": "QN05912M", "qpv_share": "0.2",
         "buyers": [lot.contract.buyer.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    assert _stored(operation).name == "NPNRU Alma-Gare"
    assert _stored(lot).qpv_hours_owed == Decimal("166.7")
    # Removing the buyer that holds the contract: refused on the form, nothing changed.
    response = client.post(
        reverse("clauses:operation_edit", args=[operation.public_id]),
        {"programme": "npnru", "name": "Autre nom", "starts_on": "2024-01-01",
         "ends_on": "2030-12-31", "qpv_share": "0.2"},
    )  # fmt: skip
    assert response.status_code == 200
    assert _stored(operation).name == "NPNRU Alma-Gare"
    response = client.post(
        reverse("clauses:participant_edit", args=[participant.public_id]),
        {"first_name": "Karim", "last_name": "Haddad", "birth_date": "1990-05-04",
         "gender": participant.gender, "qpv_at_start": participant.qpv_at_start,
         "level": "3", "modality": "etti", "starts_on": participant.starts_on.isoformat()},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = _stored(participant)
    assert (stored.last_name, stored.modality, stored.level) == ("Haddad", "etti", "3")
    page = client.get(reverse("clauses:participant", args=[participant.public_id])).content
    assert "participant modifié" in page.decode()


def test_the_lot_pages_introductions_cost_no_query_per_candidate(
    client_for, facilitator, lot, actor
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(facilitator)
    url = reverse("clauses:lot", args=[lot.public_id])

    def propose(count):
        for _ in range(count):
            person = PersonFactory(owner_structure=facilitator.structure)
            follow(person, facilitator)
            services.propose_candidate(lot, person, actor=actor, consent_text="Accord.")

    propose(1)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    propose(4)
    with CaptureQueriesContext(connection) as five:
        assert "Candidats proposés" in client.get(url).content.decode()
    assert len(five) == len(one)
