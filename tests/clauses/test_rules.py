"""The invariants of the figures, each tried: by the services (French message, nothing
written) and straight at the database (its constraints refuse)."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.clauses.factories import DeclarationFactory, LotFactory, criterion
from tests.core.matrix import PDF
from tests.people.factories import PersonFactory, follow
from tisserand.clauses import progress, services
from tisserand.clauses.models import (
    Declaration,
    DeclarationStatus,
    HoursMode,
    LegalForm,
    Lot,
    Modality,
    compute_hours,
    explain_hours,
)
from tisserand.core.errors import DomainError
from tisserand.core.timeline import TimelineEvent

MARCH = datetime.date(2025, 3, 1)


def _declare(lot, participant, actor, month=MARCH, hours=Decimal("120")):
    return services.declare(
        data={"participant": participant, "lot": lot, "month": month, "hours": hours}, actor=actor
    )


def test_the_usual_formula_explained():
    assert compute_hours(1_000_000, Decimal("0.5"), Decimal("0.05"), 30) == Decimal("833.3")
    text = explain_hours(1_000_000, Decimal("0.5"), Decimal("0.05"), 30)
    assert "1\u202f000\u202f000 € × 50,0 % de main-d'œuvre × 5,0 % d'insertion" in text
    assert text.endswith("= 833,3 h")


def test_a_lot_keeps_its_parameters_and_the_qpv_part(lot, actor):
    new = services.create_lot(
        lot.contract,
        data={
            "number": 2, "label": "Second œuvre", "holder": lot.holder, "amount": Decimal(600000),
            "legal_form": LegalForm.EXECUTION, "hours_mode": HoursMode.COMPUTED,
            "labour_share": Decimal("0.4"), "insertion_rate": Decimal("0.05"),
            "hourly_cost": Decimal("30"),
        },
        actor=actor,
    )  # fmt: skip
    assert new.hours_owed == Decimal("400.0")
    assert new.qpv_hours_owed == Decimal("200.0")  # NPNRU, half for QPV residents
    assert (new.labour_share, new.insertion_rate, new.hourly_cost) == (
        Decimal("0.4"), Decimal("0.05"), Decimal("30"),
    )  # fmt: skip


def test_computed_hours_need_their_parameters(lot, actor):
    with pytest.raises(services.ClauseError, match="taux d'insertion"):
        services.create_lot(
            lot.contract,
            data={"number": 3, "label": "x", "holder": lot.holder, "amount": Decimal(1),
                  "legal_form": LegalForm.EXECUTION, "hours_mode": HoursMode.COMPUTED,
                  "labour_share": Decimal("0.5"), "insertion_rate": None, "hourly_cost": 30},
            actor=actor,
        )  # fmt: skip
    assert Lot.objects.count() == 1


def test_the_database_refuses_a_computed_lot_without_its_parameters(lot):
    with pytest.raises(IntegrityError), transaction.atomic():
        Lot.objects.filter(pk=lot.pk).update(hourly_cost=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Lot.objects.filter(pk=lot.pk).update(qpv_hours_owed=Decimal("10000"))


def test_a_month_inside_the_contract(lot, participant, actor):
    with pytest.raises(services.MonthOutsideContract, match="hors de la période du marché"):
        _declare(lot, participant, actor, month=datetime.date(2027, 1, 1))
    with pytest.raises(services.MonthOutsideContract):
        _declare(lot, participant, actor, month=datetime.date(2024, 12, 1))
    assert Declaration.objects.count() == 0
    assert _declare(lot, participant, actor, month=datetime.date(2026, 12, 1)).pk


def test_negative_hours_refused(lot, participant, actor):
    with pytest.raises(services.ClauseError, match="ne sont pas négatives"):
        _declare(lot, participant, actor, hours=Decimal("-1"))
    assert Declaration.objects.count() == 0


def test_the_database_refuses_negative_hours_and_a_day_that_is_not_the_first(lot, participant):
    with pytest.raises(IntegrityError), transaction.atomic():
        DeclarationFactory(lot=lot, participant=participant, hours=Decimal("-5"))
    with pytest.raises(IntegrityError), transaction.atomic():
        DeclarationFactory(lot=lot, participant=participant, month=datetime.date(2025, 3, 2))
    with pytest.raises(IntegrityError), transaction.atomic():
        DeclarationFactory(lot=lot, participant=participant, status=DeclarationStatus.VALIDATED)


def test_one_declaration_per_participant_lot_and_month(lot, participant, actor):
    DeclarationFactory(lot=lot, participant=participant)
    with pytest.raises(IntegrityError), transaction.atomic():
        DeclarationFactory(lot=lot, participant=participant)
    # The service replaces the figure instead of adding a second row.
    _declare(lot, participant, actor, hours=Decimal("90"))
    assert Declaration.objects.get().hours == Decimal("90")


def test_no_hours_without_eligibility_proof(lot, ineligible, actor):
    with pytest.raises(services.NotEligible, match="aucun critère d'éligibilité justifié"):
        _declare(lot, ineligible, actor)
    assert Declaration.objects.count() == 0
    assert "ne comptent pas" in services.ineligibility_reason(ineligible)


def test_a_criterion_needs_a_document_or_the_record(ineligible, actor):
    data = {"criterion": criterion("rsa"), "assessed_on": ineligible.starts_on}
    with pytest.raises(services.NotEligible, match="Joignez la pièce"):
        services.add_criterion(ineligible, data=data, actor=actor)
    with pytest.raises(services.ClauseError, match="ne prouve pas"):
        services.add_criterion(ineligible, data={**data, "source": "record"}, actor=actor)
    ineligible.refresh_from_db()
    assert not ineligible.is_eligible and ineligible.criteria.count() == 0
    later = {**data, "assessed_on": ineligible.starts_on + datetime.timedelta(days=1)}
    proof = SimpleUploadedFile("caf.pdf", PDF, content_type="application/pdf")
    with pytest.raises(services.ClauseError, match="au début du contrat"):
        services.add_criterion(ineligible, data=later, actor=actor, uploaded=proof)
    services.add_criterion(ineligible, data=data, actor=actor, uploaded=proof)
    ineligible.refresh_from_db()
    assert ineligible.is_eligible
    assert ineligible.criteria.get().documents.count() == 1


def test_an_ineligible_participants_hours_do_not_count(lot, participant, actor):
    _declare(lot, participant, actor)
    row = participant.criteria.get()
    services.remove_criterion(row, actor=actor)
    figures = progress.sums_by_lot([lot.pk])[lot.pk]
    assert figures.realised == 0 and figures.not_counted == Decimal("120")


def test_validated_figures_are_immutable_unless_reopened(lot, participant, actor):
    declaration = _declare(lot, participant, actor)
    services.validate(declaration, actor=actor)
    with pytest.raises(services.ValidatedFigure, match="rouvrez"):
        _declare(lot, participant, actor, hours=Decimal("10"))
    assert Declaration.objects.get().hours == Decimal("120")
    with pytest.raises(services.ClauseError, match="pourquoi"):
        services.reopen(declaration, data={"reason": " "}, actor=actor)
    services.reopen(declaration, data={"reason": "Erreur de saisie de l'entreprise"}, actor=actor)
    _declare(lot, participant, actor, hours=Decimal("110"))
    declaration.refresh_from_db()
    assert (declaration.hours, declaration.status, declaration.reopened_count) == (
        Decimal("110"), DeclarationStatus.DECLARED, 1,
    )  # fmt: skip
    summaries = list(
        TimelineEvent.objects.filter(subject_id=str(declaration.pk)).values_list(
            "summary", flat=True
        )
    )
    assert any("rouverte" in summary and "Erreur de saisie" in summary for summary in summaries)


def test_the_coefficient_is_kept_with_each_figure(lot, participant, actor):
    operation = lot.contract.operation
    services.set_coefficient(
        operation, data={"modality": Modality.CDD, "coefficient": Decimal("0.5")}, actor=actor
    )
    first = _declare(lot, participant, actor)
    services.set_coefficient(
        operation, data={"modality": Modality.CDD, "coefficient": Decimal("2")}, actor=actor
    )
    second = _declare(lot, participant, actor, month=datetime.date(2025, 4, 1))
    assert (first.coefficient, second.coefficient) == (Decimal("0.5"), Decimal("2"))
    assert progress.sums_by_lot([lot.pk])[lot.pk].realised == Decimal("300")


def test_progress_owed_realised_validated_and_qpv(lot, participant, actor):
    participant.qpv_at_start = "in_qpv"
    participant.save()
    services.validate(_declare(lot, participant, actor), actor=actor)
    _declare(lot, participant, actor, month=datetime.date(2025, 4, 1), hours=Decimal("30"))
    board = progress.board(Lot.objects.filter(pk=lot.pk), today=datetime.date(2025, 6, 1))
    figures = board.total
    assert (figures.owed, figures.realised, figures.validated, figures.qpv_realised) == (
        Decimal("833.3"), Decimal("150"), Decimal("120"), Decimal("150"),
    )  # fmt: skip
    assert board.by_buyer[lot.contract.buyer].realised == Decimal("150")


def test_alerts_behind_ending_and_late(lot, participant, actor):
    _declare(lot, participant, actor, hours=Decimal("20"))
    today = datetime.date(2026, 11, 15)
    board = progress.board(Lot.objects.filter(pk=lot.pk), today=today)
    kinds = {alert.kind for alert in board.alerts}
    assert kinds == {"behind", "ending", "late"}
    assert "10/2026" in next(a.text for a in board.alerts if a.kind == "late")
    on_time = progress.board(Lot.objects.filter(pk=lot.pk), today=datetime.date(2025, 1, 20))
    assert on_time.alerts == []


def test_an_ahead_lot_raises_no_alert(lot, participant, actor):
    for month in range(1, 7):
        _declare(lot, participant, actor, month=datetime.date(2025, month, 1), hours=Decimal(100))
    board = progress.board(Lot.objects.filter(pk=lot.pk), today=datetime.date(2025, 7, 15))
    assert board.lots[0].ahead and not board.alerts


def test_outcomes_on_the_timeline(participant, actor, person):
    participant.person = person
    participant.ends_on = datetime.date(2025, 6, 30)
    participant.save()
    services.record_outcome(participant, data={"outcome_at_end": "lasting_job"}, actor=actor)
    assert TimelineEvent.objects.filter(mentions__object_id=str(person.pk)).exists()
    if timezone.localdate() < datetime.date(2025, 12, 30):
        with pytest.raises(services.ClauseError, match="six mois"):
            services.record_outcome(
                participant, data={"outcome_6_months": "lasting_job"}, actor=actor
            )
    else:
        services.record_outcome(participant, data={"outcome_6_months": "lasting_job"}, actor=actor)


def test_a_lot_of_another_structure_never_receives_a_participant(lot, actor, other_structure):
    from tests.clauses.factories import ParticipantFactory, make_eligible

    stranger = make_eligible(ParticipantFactory(structure=other_structure))
    with pytest.raises(services.ClauseError, match="pas suivi par la structure"):
        _declare(lot, stranger, actor)


def test_lot_factory_is_consistent():
    lot = LotFactory()
    assert lot.computed_hours == lot.hours_owed


def test_the_database_refuses_inverted_periods_and_wild_coefficients(lot, participant):
    from tisserand.clauses.models import Contract, ModalityCoefficient, Operation, Participant

    contract, operation = lot.contract, lot.contract.operation
    for query, values in (
        (Contract.objects.filter(pk=contract.pk), {"ends_on": datetime.date(2000, 1, 1)}),
        (Operation.objects.filter(pk=operation.pk), {"ends_on": datetime.date(2000, 1, 1)}),
        (Operation.objects.filter(pk=operation.pk), {"qpv_share": Decimal("1.5")}),
        (Participant.objects.filter(pk=participant.pk), {"ends_on": datetime.date(2000, 1, 1)}),
        (Contract.objects.filter(pk=contract.pk), {"amount": Decimal("-1")}),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            query.update(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        ModalityCoefficient.objects.create(
            operation=operation, modality=Modality.CDD, coefficient=Decimal("9")
        )


def test_refused_services_write_nothing(lot, actor):
    from tisserand.clauses.models import Contract, Operation

    buyer = lot.contract.buyer
    with pytest.raises(services.ClauseError, match="précède son début"):
        services.create_operation(
            data={"programme": "npnru", "name": "x", "starts_on": datetime.date(2026, 1, 1),
                  "ends_on": datetime.date(2025, 1, 1), "buyers": [buyer]},
            actor=actor,
        )  # fmt: skip
    with pytest.raises(services.ClauseError, match="déjà un marché de cette référence"):
        services.create_contract(
            lot.contract.operation,
            data={"buyer": buyer, "reference": lot.contract.reference, "object": "x",
                  "amount": Decimal(1), "nature": "works", "starts_on": datetime.date(2025, 1, 1),
                  "ends_on": datetime.date(2025, 2, 1)},
            actor=actor,
        )  # fmt: skip
    assert (Operation.objects.count(), Contract.objects.count()) == (1, 1)


def test_candidates_go_through_the_opportunities_introductions(lot, facilitator, actor):
    person = PersonFactory(owner_structure=facilitator.structure)
    follow(person, facilitator)
    introduction = services.propose_candidate(
        lot, person, actor=actor, consent_text="La personne accepte d'être proposée."
    )
    lot.refresh_from_db()
    assert lot.need.establishment == lot.holder and lot.need.is_recruitment
    assert (introduction.person, introduction.need) == (person, lot.need)


def test_a_candidate_without_consent_is_not_proposed(lot, facilitator, actor):
    from tisserand.opportunities.models import Introduction

    person = PersonFactory(owner_structure=facilitator.structure)
    follow(person, facilitator)
    with pytest.raises(DomainError):
        services.propose_candidate(lot, person, actor=actor, consent_text="")
    assert not Introduction.objects.exists()
