"""Rules of accompaniments, through the services: opening, team, transfer, diagnosis, project,
plan, exit, 6-month follow-up, ESF+ data."""

import datetime
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.accompaniment.conftest import ENTRY
from tests.accompaniment.factories import appellation, programme
from tests.factories import StructureFactory
from tests.people.factories import PersonFactory
from tisserand.accompaniment import selectors, services
from tisserand.accompaniment.models import (
    Accompaniment,
    ActionStatus,
    AgeBand,
    BarrierAssessment,
    EmploymentStatus,
    EsfStage,
    PlanAction,
    Status,
    months_after,
)
from tisserand.accompaniment.services import AccompanimentError
from tisserand.core.actor import Actor
from tisserand.core.timeline import events_about, events_for
from tisserand.people import perms as people_perms
from tisserand.people.models import FollowUpMember, FollowUpRole, Situation
from tisserand.structures.roles import Role

TODAY = timezone.localdate


def seats(person):
    return set(
        FollowUpMember.objects.filter(person=person, is_active=True).values_list("user_id", "role")
    )


# --- Opening ----------------------------------------------------------------------------------


def test_opening_makes_the_referent_follow_the_person(accompaniment, person, referent):
    assert accompaniment.status == Status.OPEN
    assert accompaniment.structure == referent.structure
    assert seats(person) == {(referent.user.pk, FollowUpRole.REFERENT)}
    assert people_perms.can_view_person(referent, person)
    assert "Entrée en accompagnement" in events_about(person).first().summary
    assert list(services.open_accompaniments(person)) == [accompaniment]


def test_one_open_accompaniment_per_programme(accompaniment, open_accompaniment, person):
    with pytest.raises(AccompanimentError, match="déjà un accompagnement en cours"):
        open_accompaniment()
    # Another programme is fine.
    plie = open_accompaniment(programme=programme("plie"))
    assert set(services.open_accompaniments(person)) == {accompaniment, plie}


def test_the_database_refuses_a_second_open_accompaniment(accompaniment):
    with pytest.raises(IntegrityError), transaction.atomic():
        Accompaniment.objects.create(
            person=accompaniment.person,
            programme=accompaniment.programme,
            structure=accompaniment.structure,
            referent=accompaniment.referent,
            entry_date=ENTRY,
        )


def test_a_closed_accompaniment_allows_a_new_one_in_the_same_programme(
    accompaniment, open_accompaniment, actor
):
    services.record_exit(
        accompaniment, exit_date=ENTRY + timedelta(days=30), exit_type="moved_away", actor=actor
    )
    again = open_accompaniment(entry_date=ENTRY + timedelta(days=60))
    assert again.is_open


def test_entry_date_cannot_be_in_the_future(open_accompaniment):
    with pytest.raises(AccompanimentError, match="futur"):
        open_accompaniment(entry_date=TODAY() + timedelta(days=1))
    assert not Accompaniment.objects.exists()


def test_entry_records_esf_data_from_the_person(open_accompaniment, structure):
    person = PersonFactory(
        owner_structure=structure,
        birth_date=datetime.date(2000, 3, 1),
        gender="female",
        qualification_level="level_3",
        situation=Situation.JOB_SEEKER,
        job_seeker_since=datetime.date(2023, 6, 1),
    )
    accompaniment = open_accompaniment(person=person, esf={"has_disability": None})
    record = accompaniment.esf_records.get(stage=EsfStage.ENTRY)
    assert record.captured_on == ENTRY
    assert record.gender == "female"
    assert record.age_band == AgeBand.FROM_18_TO_29
    assert record.isced_group == "isced_3_4"
    assert record.isced_label == "CITE 3 à 4"
    assert record.employment_status == EmploymentStatus.LONG_TERM_UNEMPLOYED
    assert record.has_disability is None


# --- Team and transfer ------------------------------------------------------------------------


def test_team_members_and_partner_readers(accompaniment, make_member, structure, actor):
    colleague = make_member(Role.REFERENT, structure)
    partner = make_member(Role.PARTNER)
    services.add_team_member(
        accompaniment, user=colleague.user, structure=structure, role=FollowUpRole.TEAM, actor=actor
    )
    services.add_team_member(
        accompaniment,
        user=partner.user,
        structure=partner.structure,
        role=FollowUpRole.PARTNER_READER,
        actor=actor,
    )
    assert {(m.user_id, m.role) for m in selectors.team_of(accompaniment)} == {
        (colleague.user.pk, FollowUpRole.TEAM),
        (partner.user.pk, FollowUpRole.PARTNER_READER),
    }
    assert people_perms.can_view_person(colleague, accompaniment.person)
    # A partner sees nothing without the person's consent.
    assert not people_perms.can_view_person(partner, accompaniment.person)
    member = FollowUpMember.objects.get(user=colleague.user, is_active=True)
    services.remove_team_member(accompaniment, member, actor=actor)
    assert not people_perms.can_view_person(colleague, accompaniment.person)


def test_the_referent_cannot_be_downgraded_to_the_team(accompaniment, referent, actor):
    with pytest.raises(AccompanimentError, match="déjà référent"):
        services.add_team_member(
            accompaniment,
            user=referent.user,
            structure=referent.structure,
            role=FollowUpRole.TEAM,
            actor=actor,
        )


def test_transfer_to_a_colleague_keeps_the_history(accompaniment, make_member, structure, actor):
    colleague = make_member(Role.REFERENT, structure)
    day = ENTRY + timedelta(days=40)
    services.transfer(
        accompaniment,
        to_referent=colleague.user,
        to_structure=structure,
        transferred_on=day,
        reason="Départ en congé",
        actor=actor,
    )
    accompaniment.refresh_from_db()
    person = accompaniment.person
    assert accompaniment.referent == colleague.user
    assert seats(person) == {(colleague.user.pk, FollowUpRole.REFERENT)}
    former = FollowUpMember.objects.get(user=actor.user, person=person)
    assert (former.is_active, former.until) == (False, day)
    transfer = accompaniment.transfers.get()
    assert (transfer.from_referent, transfer.to_referent) == (actor.user, colleague.user)
    assert (
        "Départ en congé" in events_about(person).filter(summary__startswith="Transfert")[0].summary
    )


def test_transfer_to_another_structure_ends_the_former_team(
    accompaniment, make_member, structure, actor
):
    colleague = make_member(Role.REFERENT, structure)
    services.add_team_member(
        accompaniment, user=colleague.user, structure=structure, role=FollowUpRole.TEAM, actor=actor
    )
    elsewhere = make_member(Role.REFERENT, StructureFactory())
    services.transfer(
        accompaniment,
        to_referent=elsewhere.user,
        to_structure=elsewhere.structure,
        transferred_on=TODAY(),
        reason="",
        actor=actor,
    )
    person = accompaniment.person
    assert seats(person) == {(elsewhere.user.pk, FollowUpRole.REFERENT)}
    assert people_perms.can_view_person(elsewhere, person)
    assert not people_perms.can_view_person(colleague, person)
    accompaniment.refresh_from_db()
    assert accompaniment.structure == elsewhere.structure


def test_a_referent_of_another_programme_stays_in_the_follow_up(
    accompaniment, open_accompaniment, make_member, structure, actor, referent
):
    open_accompaniment(programme=programme("plie"))
    colleague = make_member(Role.REFERENT, structure)
    services.transfer(
        accompaniment,
        to_referent=colleague.user,
        to_structure=structure,
        transferred_on=TODAY(),
        reason="",
        actor=actor,
    )
    assert (referent.user.pk, FollowUpRole.REFERENT) in seats(accompaniment.person)


# --- Diagnosis --------------------------------------------------------------------------------


def test_diagnosis_is_revised_with_its_history(accompaniment, actor):
    first = ENTRY + timedelta(days=1)
    services.revise_diagnosis(
        accompaniment,
        {"mobility": (2, "Pas de permis"), "housing": (0, ""), "health": (None, "")},
        assessed_on=first,
        actor=actor,
    )
    created = services.revise_diagnosis(
        accompaniment,
        {"mobility": (1, "Permis en cours"), "housing": (0, "")},
        assessed_on=first + timedelta(days=30),
        actor=actor,
    )
    assert [a.theme for a in created] == ["mobility"]  # housing unchanged: nothing recorded
    current = services.current_diagnosis(accompaniment.barrier_assessments.all())
    assert set(current) == {"mobility", "housing"}
    assert (current["mobility"].level, current["mobility"].comment) == (1, "Permis en cours")
    assert BarrierAssessment.objects.filter(theme="mobility").count() == 2
    event = events_about(accompaniment.person).filter(summary__startswith="Diagnostic")[0]
    assert event.changes == [
        {"field": "Mobilité", "before": "Frein important", "after": "Frein léger"}
    ]


def test_diagnosis_refuses_unknown_themes_and_impossible_dates(accompaniment, actor):
    with pytest.raises(AccompanimentError, match="Thématique inconnue"):
        services.revise_diagnosis(
            accompaniment, {"astrology": (1, "")}, assessed_on=ENTRY, actor=actor
        )
    with pytest.raises(AccompanimentError, match="futur"):
        services.revise_diagnosis(
            accompaniment, {"mobility": (1, "")}, assessed_on=TODAY() + timedelta(1), actor=actor
        )
    with pytest.raises(AccompanimentError, match="précéder l'entrée"):
        services.revise_diagnosis(
            accompaniment, {"mobility": (1, "")}, assessed_on=ENTRY - timedelta(1), actor=actor
        )
    assert not BarrierAssessment.objects.exists()


# --- Project ----------------------------------------------------------------------------------


def test_project_targets_appellations(accompaniment, actor):
    baker = appellation()
    project = services.project_of(accompaniment)
    services.update_project(
        project,
        data={"contract_types": ["cdi"], "mobility_radius_km": 15},
        add_appellation=baker,
        actor=actor,
    )
    assert list(project.target_appellations.all()) == [baker]
    project.mobility_radius_km = 99  # a form's change on the instance is not the stored value
    services.update_project(
        project, data={"mobility_radius_km": 30}, remove_appellations={baker.pk}, actor=actor
    )
    assert not project.target_appellations.exists()
    event = events_about(accompaniment.person).filter(summary__startswith="Projet")[0]
    assert {"field": "métiers visés", "before": baker.label, "after": "—"} in event.changes
    assert {"field": "rayon de mobilité (km)", "before": "15", "after": "30"} in event.changes


# --- Plan -------------------------------------------------------------------------------------


def test_plan_objectives_and_actions(accompaniment, actor, structure):
    objective = services.add_objective(
        accompaniment, theme="mobility", label="Obtenir le permis B", actor=actor
    )
    action = services.add_action(
        objective,
        PlanAction(
            action_type="driving_licence",
            label="Auto-école sociale",
            partner_structure=structure,
            start_date=ENTRY + timedelta(days=10),
        ),
        actor=actor,
    )
    assert action.status == ActionStatus.PLANNED
    services.update_action(
        action,
        data={"status": ActionStatus.DONE, "end_date": ENTRY + timedelta(days=100)},
        actor=actor,
    )
    assert PlanAction.objects.get().status == ActionStatus.DONE
    change = events_for(action).get(verb="changed").changes
    assert {"field": "statut", "before": "Prévue", "after": "Réalisée"} in change
    summaries = list(events_about(accompaniment.person).values_list("summary", flat=True))
    assert any("Objectif ajouté au plan (Mobilité)" in s for s in summaries)
    assert any("Action planifiée : Auto-école sociale" in s for s in summaries)


def test_actions_check_their_type_and_dates(accompaniment, actor):
    objective = services.add_objective(
        accompaniment, theme="digital", label="Numérique", actor=actor
    )
    with pytest.raises(AccompanimentError, match="Type d'action inconnu"):
        services.add_action(objective, PlanAction(action_type="magic", label="x"), actor=actor)
    with pytest.raises(AccompanimentError, match="précède son début"):
        services.add_action(
            objective,
            PlanAction(
                action_type="digital_support",
                label="x",
                start_date=ENTRY + timedelta(5),
                end_date=ENTRY + timedelta(1),
            ),
            actor=actor,
        )
    assert not PlanAction.objects.exists()


# --- Exit and follow-up -----------------------------------------------------------------------


def test_an_exit_needs_a_type(accompaniment, actor):
    with pytest.raises(AccompanimentError, match="type de sortie"):
        services.record_exit(accompaniment, exit_date=TODAY(), exit_type="", actor=actor)
    with pytest.raises(AccompanimentError, match="type de sortie"):
        services.record_exit(accompaniment, exit_date=TODAY(), exit_type="durable", actor=actor)
    accompaniment.refresh_from_db()
    assert accompaniment.is_open


def test_the_database_refuses_a_closed_accompaniment_without_exit_type(accompaniment):
    accompaniment.status, accompaniment.exit_date = Status.CLOSED, TODAY()
    with pytest.raises(IntegrityError), transaction.atomic():
        accompaniment.save()


def test_employment_exits_need_a_contract_type(accompaniment, actor):
    with pytest.raises(AccompanimentError, match="type de contrat"):
        services.record_exit(accompaniment, exit_date=TODAY(), exit_type="cdi", actor=actor)
    services.record_exit(
        accompaniment, exit_date=TODAY(), exit_type="business_creation", actor=actor
    )


def test_exit_schedules_the_follow_up_and_records_esf_results(accompaniment, actor):
    exit_date = datetime.date(2025, 8, 31)
    follow_up = services.record_exit(
        accompaniment,
        exit_date=exit_date,
        exit_type="cdd_6_months_plus",
        contract_type="cdd",
        employer="Boulangerie du Centre (fictive)",
        gained_qualification=True,
        actor=actor,
    )
    accompaniment.refresh_from_db()
    assert accompaniment.status == Status.CLOSED
    assert follow_up.due_on == datetime.date(2026, 2, 28)
    record = accompaniment.esf_records.get(stage=EsfStage.EXIT)
    assert (record.is_employed, record.gained_qualification, record.is_job_searching) == (
        True,
        True,
        False,
    )
    assert "Sortie de l'accompagnement" in events_about(accompaniment.person).first().summary


def test_a_closed_accompaniment_is_read_only_except_its_follow_up(
    accompaniment, actor, make_member, structure
):
    exit_date = ENTRY + timedelta(days=200)
    follow_up = services.record_exit(
        accompaniment, exit_date=exit_date, exit_type="job_seeker", actor=actor
    )
    colleague = make_member(Role.REFERENT, structure)
    objective_args = {"theme": "mobility", "label": "x", "actor": actor}
    attempts = [
        lambda: services.revise_diagnosis(
            accompaniment, {"mobility": (1, "")}, assessed_on=exit_date, actor=actor
        ),
        lambda: services.add_objective(accompaniment, **objective_args),
        lambda: services.add_team_member(
            accompaniment, user=colleague.user, structure=structure, role="team", actor=actor
        ),
        lambda: services.transfer(
            accompaniment,
            to_referent=colleague.user,
            to_structure=structure,
            transferred_on=TODAY(),
            reason="",
            actor=actor,
        ),
        lambda: services.record_exit(
            accompaniment, exit_date=exit_date, exit_type="inactive", actor=actor
        ),
        lambda: services.update_project(services.project_of(accompaniment), data={}, actor=actor),
    ]
    for attempt in attempts:
        with pytest.raises(AccompanimentError, match="clos"):
            attempt()
    services.record_follow_up(
        follow_up,
        contacted_on=months_after(exit_date, 6),
        situation="cdi",
        contract_type="cdi",
        employer="Entreprise fictive",
        actor=actor,
    )
    follow_up.refresh_from_db()
    assert follow_up.is_recorded
    assert accompaniment.esf_records.get(stage=EsfStage.SIX_MONTHS).is_employed is True
    with pytest.raises(AccompanimentError, match="déjà enregistré"):
        services.record_follow_up(follow_up, contacted_on=TODAY(), situation="cdi", actor=actor)


def test_follow_up_checks_its_situation_and_date(accompaniment, actor):
    exit_date = ENTRY + timedelta(days=200)
    follow_up = services.record_exit(
        accompaniment, exit_date=exit_date, exit_type="job_seeker", actor=actor
    )
    with pytest.raises(AccompanimentError, match="situation"):
        services.record_follow_up(follow_up, contacted_on=TODAY(), situation="", actor=actor)
    for day in (exit_date - timedelta(1), exit_date + timedelta(1), months_after(exit_date, 10)):
        with pytest.raises(AccompanimentError, match="se saisit entre"):
            services.record_follow_up(
                follow_up, contacted_on=day, situation="inactive", actor=actor
            )
    follow_up.refresh_from_db()
    assert not follow_up.is_recorded


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2025, 1, 15), 6, datetime.date(2025, 7, 15)),
        (datetime.date(2025, 8, 31), 6, datetime.date(2026, 2, 28)),
        (datetime.date(2023, 8, 31), 6, datetime.date(2024, 2, 29)),
        (datetime.date(2025, 12, 1), 1, datetime.date(2026, 1, 1)),
    ],
)
def test_months_after(day, months, expected):
    assert months_after(day, months) == expected


def test_actor_of_membership(referent):
    actor = Actor.of(referent)
    assert (actor.user, actor.structure) == (referent.user, referent.structure)
