"""The indicators of events, clauses, referrals, opportunities and companies' needs handled:
each figure built from rows, with the rows that must not count."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.clauses.factories import DeclarationFactory, LotFactory, OperationFactory
from tests.clauses.factories import ParticipantFactory as ClauseParticipantFactory
from tests.companies.factories import EstablishmentFactory, NeedFactory
from tests.events.factories import EventFactory, RegistrationFactory, SessionFactory
from tests.factories import StructureFactory, UserFactory
from tests.opportunities.factories import IntroductionFactory, JobOfferFactory
from tests.referrals.factories import make_service
from tests.reporting import factories as f
from tisserand.clauses.models import DeclarationStatus
from tisserand.companies.models import NeedAssignment
from tisserand.events.models import Status
from tisserand.referrals.models import Referral
from tisserand.reporting import indicators
from tisserand.reporting.indicators import Period, Scope, Territory

D = datetime.date
FEB, MARCH, APRIL = D(2025, 2, 1), D(2025, 3, 1), D(2025, 4, 1)


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def house():
    return StructureFactory(kind="maison_emploi")


def value(code, scope=None, period=f.YEAR):
    return indicators.get(code).compute(scope or Scope(), period)


def by(code, dimension, scope=None, period=f.YEAR):
    return indicators.get(code).breakdown(scope or Scope(), period, [dimension])


# --- events ----------------------------------------------------------------------------------


def _attend(person, structure, day, status=Status.PRESENT, **session):
    event = EventFactory(structure=structure, starts_at=at(day))
    return RegistrationFactory(
        person=person,
        status=status,
        session=SessionFactory(event=event, starts_at=at(day), **session),
    )


def test_event_attendances_count_persons_present_once(house):
    one, two, three = (f.person(house) for _ in range(3))
    _attend(one, house, D(2025, 3, 1))
    _attend(one, house, D(2025, 4, 1))  # the same person again
    _attend(two, house, D(2025, 5, 1))
    _attend(three, house, D(2025, 5, 1), status=Status.ABSENT)  # absent: no
    _attend(three, house, D(2024, 12, 31))  # before the period: no
    _attend(three, house, D(2025, 6, 1), cancelled_at=at(D(2025, 5, 30)))  # cancelled session
    cancelled = RegistrationFactory(
        person=three, status=Status.PRESENT, session__starts_at=at(D(2025, 7, 1))
    )
    cancelled.session.event.cancelled_at = at(D(2025, 6, 1))
    cancelled.session.event.save()
    assert value("event_attendances") == 2
    assert value("event_attendances", Scope(structure_ids=(StructureFactory().pk,))) == 0
    # A person counts once per quarter: « one » in Q1 and Q2.
    assert by("event_attendances", "quarter") == {(2025 * 4,): 1, (2025 * 4 + 1,): 2}


def test_a_one_day_collective_action_does_not_make_an_esf_participant(house):
    regular, once, same_day = (f.person(house) for _ in range(3))
    _attend(regular, house, D(2025, 3, 1))
    _attend(regular, house, D(2025, 3, 8))
    _attend(once, house, D(2025, 3, 1))
    _attend(same_day, house, D(2025, 3, 1))
    _attend(same_day, house, D(2025, 3, 1))  # two sessions, one day
    _attend(same_day, house, D(2026, 1, 10))  # a second day after the period: not yet
    assert value("event_participants_esf") == 1
    assert value("event_attendances") == 3
    assert value("event_participants_esf", period=Period.year(2026)) == 1  # same_day now counts
    assert set(by("event_participants_esf", "sex")) <= {("female",), ("male",), ("unspecified",)}


def test_event_breakdowns_by_qpv_and_age(house):
    _attend(f.person(house, qpv="in_qpv"), house, D(2025, 3, 1))
    _attend(f.person(house, qpv="unknown"), house, D(2025, 3, 1))
    assert by("event_attendances", "qpv") == {("in_qpv",): 1, ("unknown",): 1}
    assert by("event_attendances", "age_band") == {("26_49",): 2}


# --- clauses ---------------------------------------------------------------------------------


def _clause(structure, *, eligible=True, qpv="not_in_qpv", starts=FEB):
    return ClauseParticipantFactory(
        structure=structure, is_eligible=eligible, qpv_at_start=qpv, starts_on=starts
    )


def test_clause_hours_are_validated_eligible_hours_times_the_kept_coefficient(house):
    lot = LotFactory(contract__operation=OperationFactory(structure=house))
    qpv, other, ineligible = (
        _clause(house, qpv="in_qpv"),
        _clause(house),
        _clause(house, eligible=False),
    )
    validated = DeclarationStatus.VALIDATED
    DeclarationFactory(
        participant=qpv,
        lot=lot,
        hours=Decimal(100),
        coefficient=Decimal("1.5"),
        status=validated,
        validated_at=timezone.now(),
    )
    DeclarationFactory(
        participant=other, lot=lot, hours=Decimal(40), status=validated, validated_at=timezone.now()
    )
    DeclarationFactory(
        participant=other, lot=lot, hours=Decimal(7), month=D(2025, 4, 1)
    )  # declared, not validated
    DeclarationFactory(
        participant=ineligible,
        lot=lot,
        hours=Decimal(500),
        status=validated,
        validated_at=timezone.now(),
    )
    DeclarationFactory(
        participant=other,
        lot=lot,
        hours=Decimal(9),
        month=D(2024, 12, 1),
        status=validated,
        validated_at=timezone.now(),
    )
    assert value("clause_hours") == Decimal(190)
    assert value("clause_hours_qpv") == Decimal(150)
    assert value("clause_participants") == 2
    assert by("clause_participants", "qpv") == {("in_qpv",): 1, ("not_in_qpv",): 1}
    assert value("clause_hours", Scope(structure_ids=(StructureFactory().pk,))) == 0


def test_clause_hours_match_the_clauses_dashboard(house):
    from tisserand.clauses.progress import sums_by_lot

    lot = LotFactory(contract__operation=OperationFactory(structure=house))
    for hours, coefficient in ((35, "1"), (12.5, "2"), (80, "0.5")):
        DeclarationFactory(
            participant=_clause(house),
            lot=lot,
            hours=Decimal(hours),
            coefficient=Decimal(coefficient),
            status=DeclarationStatus.VALIDATED,
            validated_at=timezone.now(),
        )
    assert value("clause_hours") == sums_by_lot([lot.pk], year=2025)[lot.pk].validated


def test_clause_jobs_are_eligible_contracts_started_in_the_period(house):
    _clause(house, qpv="in_qpv")
    _clause(house, qpv="unknown")
    _clause(house, eligible=False)  # not eligible: no
    _clause(house, starts=D(2024, 11, 1))  # started before: no
    assert value("clause_jobs") == 2
    assert value("clause_jobs_qpv") == 1
    assert by("clause_jobs", "qpv") == {("in_qpv",): 1, ("unknown",): 1}


# --- referrals -------------------------------------------------------------------------------


def _referral(structure, state="sent", sent=MARCH, **more):
    person = f.person(structure)
    answered = (
        {"answered_at": at(sent + datetime.timedelta(days=3))}
        if state in ("accepted", "refused")
        else {}
    )
    if state == "refused":
        answered["refusal_reason"] = "full"
    return Referral.objects.create(
        person=person,
        service=make_service(thematic=None),
        sender_structure=structure,
        sender=UserFactory(),
        recipient_email="service@exemple.test",
        message="Bonjour.",
        shared_scopes=["identity"],
        consent_recorded_at=at(sent),
        sent_at=at(sent),
        state=state,
        **answered,
        **more,
    )


def test_referrals_sent_answered_rate_and_unmet(house):
    _referral(house, "accepted")
    _referral(house, "refused")
    _referral(house, "expired", expired_at=at(D(2025, 4, 1)))
    _referral(house, "sent")
    _referral(house, "accepted", sent=D(2024, 12, 20))  # sent before the period: no
    assert value("referrals_sent") == 4
    assert value("referrals_answered") == 2
    assert value("referrals_answer_rate") == 50.0
    assert value("referrals_unmet") == 2
    assert value("referrals_sent", Scope(structure_ids=(StructureFactory().pk,))) == 0


# --- opportunities ---------------------------------------------------------------------------


def test_offers_published_count_offers_open_during_the_period(house):
    JobOfferFactory(structure=house, published_at=at(D(2024, 10, 1)), contract_type="CDI")
    JobOfferFactory(structure=house, published_at=at(D(2025, 5, 1)), contract_type="CDD")
    JobOfferFactory(
        structure=house,
        published_at=at(D(2024, 6, 1)),
        status="closed",
        closed_at=at(D(2024, 12, 1)),
    )  # closed before: no
    JobOfferFactory(structure=house, published_at=at(D(2024, 6, 1)), expires_on=D(2024, 12, 31))
    JobOfferFactory(structure=house, published_at=at(D(2026, 1, 2)))  # after: no
    assert value("offers_published") == 2
    assert by("offers_published", "contract") == {("CDI",): 1, ("CDD",): 1}


def test_introductions_hired_and_the_hire_rate(house):
    def introduce(status, day=APRIL):
        return IntroductionFactory(
            person=f.person(house),
            structure=house,
            status=status,
            created_at=at(day),
            reason="profile" if status == "not_retained" else "",
        )

    introduce("hired")
    introduce("not_retained")
    introduce("sent")
    introduce("interview")
    introduce("hired", day=D(2024, 11, 1))  # before the period: no
    assert value("introductions") == 4
    assert value("introductions_hired") == 1
    assert value("introductions_hire_rate") == 25.0


# --- companies: needs handled ----------------------------------------------------------------


def test_needs_handled_are_needs_closed_done_in_the_period(house):
    other = StructureFactory()

    def need(*assignments):
        row = NeedFactory(establishment=EstablishmentFactory(), created_by_structure=house)
        for structure, status, closed in assignments:
            NeedAssignment.objects.create(
                need=row,
                structure=structure,
                status=status,
                assigned_at=at(D(2024, 1, 2)),
                closed_at=at(closed) if closed else None,
                taken_at=at(D(2024, 1, 3)),
            )
        return row

    need((house, "done", D(2025, 3, 1)))
    need((house, "done", D(2025, 3, 1)), (other, "done", D(2025, 4, 1)))  # once
    need((house, "done_no_help", D(2025, 3, 1)))  # closed without help: no
    need((house, "taken", None))  # not closed: no
    need((house, "done", D(2024, 12, 1)))  # closed before: no
    need((other, "done", D(2025, 3, 1)))
    assert value("needs_handled") == 3
    assert value("needs_handled", Scope(structure_ids=(house.pk,))) == 2
    assert value("needs_handled", Scope(structure_ids=(other.pk,))) == 2


# --- a funder's key figures ------------------------------------------------------------------


def test_a_funder_sees_small_counts_of_the_new_modules_masked(make_member, house):
    from tisserand.reporting import dashboards
    from tisserand.structures.roles import Role

    for _ in range(3):
        _referral(house, "accepted")
    for _ in range(4):
        _referral(house, "expired", expired_at=at(D(2025, 4, 1)))
    lot = LotFactory(contract__operation=OperationFactory(structure=house))
    DeclarationFactory(
        participant=_clause(house),
        lot=lot,
        hours=Decimal(35),
        status="validated",
        validated_at=timezone.now(),
    )
    funder = make_member(Role.FUNDER, StructureFactory(kind="funder"))
    director = make_member(Role.DIRECTOR, house)
    scope = Scope(structure_ids=(house.pk,))

    def figures(member):
        table = dashboards.key_figures(member, scope, f.YEAR)
        return {row[0]: row[1] for row in table.rows}

    seen = figures(funder)
    assert seen["Orientations envoyées"] == 7
    assert seen["Orientations répondues"] == "< 5"  # 3
    assert seen["Demande non satisfaite"] == "< 5"  # 4
    assert seen["Taux de réponse aux orientations"] == "< 5"
    assert seen["Emplois en clause sociale"] == "< 5"  # one participant
    assert seen["Heures d'insertion réalisées"] == Decimal(35)  # hours, not persons
    assert seen["Participations aux événements"] == 0  # nobody: zero is shown
    mine = figures(director)
    assert mine["Orientations répondues"] == 3
    assert mine["Taux de réponse aux orientations"] == "42.9 %"


NEW_MODULES = ("Événements", "Clauses sociales", "Orientations", "Offres et mises en relation")


def test_every_new_indicator_is_one_query_and_breaks_down_by_each_dimension(house):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _attend(f.person(house), house, D(2025, 3, 1))
    _clause(house)
    _referral(house, "accepted")
    IntroductionFactory(person=f.person(house), structure=house, created_at=at(APRIL))
    JobOfferFactory(structure=house, published_at=at(MARCH))
    new = [i for i in indicators.current() if i.module in NEW_MODULES]
    new.append(indicators.get("needs_handled"))
    assert len(new) == 16
    for indicator in new:
        if indicator.kind == "rate":
            continue
        with CaptureQueriesContext(connection) as queries:
            indicator.compute(Scope(structure_ids=(house.pk,)), f.YEAR)
        assert len(queries) == 1, indicator.code
        for territory in (Territory("qpv", "QN05999A"), Territory("epci", "200093201")):
            assert indicator.compute(Scope(territory=territory), f.YEAR) == 0
        for dimension in indicator.dimensions:
            with CaptureQueriesContext(connection) as queries:
                indicator.breakdown(Scope(), f.YEAR, [dimension])
            assert len(queries) == 1, (indicator.code, dimension)


def test_the_months_of_a_quarter_fall_in_one_group(house):
    """SQLite's MOD returns a real: without a cast, January and February made two groups."""
    f.accompaniment(house, entry=D(2025, 1, 6))
    f.accompaniment(house, entry=D(2025, 2, 3))
    f.accompaniment(house, entry=D(2025, 3, 31))
    f.accompaniment(house, entry=D(2025, 4, 1))
    assert by("entries", "quarter") == {(2025 * 4,): 3, (2025 * 4 + 1,): 1}
