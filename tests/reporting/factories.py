"""Factories of the reporting's tests: accompaniments written directly (fast), with the
person's characteristics that the indicators read, and conventions with their objectives."""

import datetime
from decimal import Decimal

from tests.accompaniment.factories import AccompanimentFactory, programme
from tests.factories import StructureFactory, UserFactory
from tests.people.factories import PersonFactory
from tisserand.accompaniment.models import (
    EsfRecord,
    EsfStage,
    PlanAction,
    SixMonthFollowUp,
)
from tisserand.accompaniment.models import (
    Objective as PlanObjective,
)
from tisserand.reporting import indicators
from tisserand.reporting.models import Convention, FunderKind, Objective, Target

ENTRY = datetime.date(2025, 2, 3)
YEAR = indicators.Period.year(2025)


def person(
    structure, *, qpv="not_in_qpv", gender="female", birth=datetime.date(1990, 5, 17), **more
):
    values = {"qpv_status": qpv, "gender": gender, "birth_date": birth, **more}
    if qpv != "unknown":
        values.update(qpv_precision="address", qpv_determined_on=datetime.date(2024, 1, 1))
    if qpv == "in_qpv":
        values.update(qpv_code="QN05999A", qpv_name="Quartier fictif")
    return PersonFactory(owner_structure=structure, **values)


def accompaniment(
    structure,
    *,
    entry=ENTRY,
    exit_date=None,
    exit_type="",
    referent=None,
    code="reinforced",
    **person_values,
):
    values = {
        "person": person(structure, **person_values),
        "structure": structure,
        "programme": programme(code),
        "entry_date": entry,
        "referent": referent or UserFactory(),
    }
    if exit_date:
        values.update(status="closed", exit_date=exit_date, exit_type=exit_type)
    row = AccompanimentFactory(**values)
    EsfRecord.objects.create(
        accompaniment=row,
        stage=EsfStage.ENTRY,
        captured_on=entry,
        gender=row.person.gender,
        age_band="30_54",
        employment_status="unemployed",
        isced_group="isced_3_4",
    )
    return row


def many(structure, count, **values):
    return [accompaniment(structure, **values) for _ in range(count)]


def follow_up(row, *, situation="cdi", outside_window=False):
    follow = SixMonthFollowUp.scheduled_for(row)
    follow.contacted_on = follow.due_on
    follow.situation = situation
    follow.recorded_at = datetime.datetime(2025, 12, 1, tzinfo=datetime.UTC)
    follow.outside_window = outside_window
    follow.save()
    return follow


def training(row, start=datetime.date(2025, 3, 1)):
    objective = PlanObjective.objects.create(accompaniment=row, theme="training", label="Former")
    return PlanAction.objects.create(
        objective=objective,
        action_type="training",
        label="Formation",
        partner_name="AFPA",
        start_date=start,
    )


def convention(
    structures,
    *,
    funder=None,
    starts_on=datetime.date(2025, 1, 1),
    ends_on=datetime.date(2025, 12, 31),
    kind=FunderKind.STATE,
    name="Convention",
):
    row = Convention.objects.create(
        name=name,
        funder_kind=kind,
        funder_structure=funder,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    row.structures.set(structures)
    return row


def objective(conv, code="accompanied", target=10, version=1):
    indicator = indicators.get(code, version)
    row = Objective.objects.create(
        convention=conv,
        indicator_code=code,
        indicator_version=version,
        definition_fingerprint=indicators.fingerprint(indicator),
    )
    Target.objects.create(
        objective=row, starts_on=conv.starts_on, ends_on=conv.ends_on, value=Decimal(target)
    )
    return row


__all__ = ["StructureFactory"]
