"""The accompaniment pages: who may open them, what bad input gets, closed accompaniments."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.accompaniment.conftest import ENTRY
from tests.accompaniment.factories import appellation, programme
from tests.factories import StructureFactory, UserFactory
from tests.people.factories import ConsentFactory, follow
from tisserand.accompaniment import services
from tisserand.accompaniment.models import (
    Accompaniment,
    BarrierAssessment,
    EsfRecord,
    Objective,
    PlanAction,
    ProfessionalProject,
    SuggestedAction,
    months_after,
)
from tisserand.core.models import RecordAccess
from tisserand.people.models import FollowUpRole
from tisserand.structures.roles import Role

TODAY = timezone.localdate
FUTURE = (timezone.localdate() + timedelta(days=3)).isoformat()

PAGES = ["detail", "team", "transfer", "diagnosis", "project", "plan", "exit"]


def url(name, accompaniment, *args):
    return reverse(f"accompaniment:{name}", args=[accompaniment.public_id, *args])


@pytest.fixture
def as_referent(client_for, referent):
    """The test client logged in as the référent of the accompaniment."""
    return client_for(referent)


def errors_of(response, field):
    return response.context["form"].errors.get(field, [])


# --- Who opens the pages ----------------------------------------------------------------------


def test_anonymous_user_is_sent_to_login(client, accompaniment):
    for name in PAGES:
        response = client.get(url(name, accompaniment))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    response = client.get(reverse("accompaniment:caseload"))
    assert response.status_code == 302


def test_user_without_membership_is_refused(client, accompaniment, person):
    client.force_login(UserFactory())
    assert client.get(reverse("accompaniment:caseload")).status_code == 403
    assert client.get(url("detail", accompaniment)).status_code == 403
    open_url = reverse("accompaniment:open", args=[person.public_id])
    assert client.get(open_url).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_referent_opens_every_page(as_referent, accompaniment, name):
    assert as_referent.get(url(name, accompaniment)).status_code == 200


@pytest.mark.parametrize(
    ("role", "same_structure", "status"),
    [
        (Role.DIRECTOR, True, 200),
        (Role.ADMIN, True, 200),
        (Role.REFERENT, True, 403),  # a colleague outside the follow-up
        (Role.FUNDER, True, 403),
        (Role.BUSINESS, True, 403),
        (Role.DIRECTOR, False, 403),
        (Role.REFERENT, False, 403),
        (Role.PARTNER, False, 403),  # no consent
    ],
)
def test_who_sees_an_accompaniment(
    client_for, make_member, structure, accompaniment, role, same_structure, status
):
    member = make_member(role, structure if same_structure else StructureFactory())
    assert client_for(member).get(url("detail", accompaniment)).status_code == status


def test_director_reads_but_does_not_edit(client_for, make_member, structure, accompaniment):
    client = client_for(make_member(Role.DIRECTOR, structure))
    assert client.get(url("detail", accompaniment)).status_code == 200
    for name in ("exit", "project", "team", "transfer"):
        assert client.get(url(name, accompaniment)).status_code == 403
    response = client.post(url("diagnosis", accompaniment), {"assessed_on": ENTRY.isoformat()})
    assert response.status_code == 403


def test_team_member_edits(client_for, make_member, structure, accompaniment, actor):
    colleague = make_member(Role.REFERENT, structure)
    services.add_team_member(
        accompaniment, user=colleague.user, structure=structure, role=FollowUpRole.TEAM, actor=actor
    )
    assert client_for(colleague).get(url("exit", accompaniment)).status_code == 200


def test_partner_with_consent_reads_what_was_shared(
    client_for, make_member, accompaniment, person, actor
):
    partner = make_member(Role.PARTNER, StructureFactory())
    ConsentFactory(person=person, structure=partner.structure, scopes=["identity"])
    client = client_for(partner)
    assert client.get(url("detail", accompaniment)).status_code == 403
    person.consents.update(scopes=["identity", "accompaniment"])
    response = client.get(url("detail", accompaniment))
    assert response.status_code == 200
    assert not response.context["sees_exits"]
    assert response.context["esf_records"] is None
    assert client.get(url("exit", accompaniment)).status_code == 403


# --- Opening ----------------------------------------------------------------------------------


def test_opening_an_accompaniment(as_referent, person, referent):
    follow(person, referent)
    open_url = reverse("accompaniment:open", args=[person.public_id])
    assert as_referent.get(open_url).status_code == 200
    response = as_referent.post(
        open_url,
        {
            "programme": str(programme().pk),
            "referent": str(referent.user.public_id),
            "entry_date": ENTRY.isoformat(),
            "employment_status": "unemployed",
            "has_disability": "non",
        },
    )
    accompaniment = Accompaniment.objects.get()
    assert response.status_code == 302
    assert response.url == url("detail", accompaniment)
    assert EsfRecord.objects.get().has_disability is False


def test_opening_with_bad_input_changes_nothing(as_referent, person, referent):
    follow(person, referent)
    open_url = reverse("accompaniment:open", args=[person.public_id])
    response = as_referent.post(
        open_url,
        {
            "programme": str(programme().pk),
            "referent": str(referent.user.public_id),
            "entry_date": FUTURE,
            "planned_end_date": "2025-02-30",
        },
    )
    assert response.status_code == 200
    assert errors_of(response, "entry_date") == ["La date ne peut pas être dans le futur."]
    assert errors_of(response, "planned_end_date") == ["Saisissez une date valide."]
    assert not Accompaniment.objects.exists()
    content = response.content.decode()
    assert 'aria-invalid="true"' in content and "id_entry_date-errors" in content


def test_a_second_open_accompaniment_in_the_programme_gets_an_error(
    as_referent, accompaniment, person
):
    response = as_referent.post(
        reverse("accompaniment:open", args=[person.public_id]),
        {
            "programme": str(accompaniment.programme.pk),
            "referent": str(accompaniment.referent.public_id),
            "entry_date": ENTRY.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "déjà un accompagnement en cours" in errors_of(response, "programme")[0]
    assert Accompaniment.objects.count() == 1


# --- Diagnosis, project, plan -----------------------------------------------------------------


def test_diagnosis_form(as_referent, accompaniment):
    response = as_referent.post(
        url("diagnosis", accompaniment),
        {
            "assessed_on": ENTRY.isoformat(),
            "level_mobility": "2",
            "comment_mobility": "Pas de permis",
            "level_housing": "",
        },
    )
    assert response.status_code == 302
    assert list(BarrierAssessment.objects.values_list("theme", "level")) == [("mobility", 2)]
    page = as_referent.get(url("diagnosis", accompaniment))
    assert "Pas de permis" in page.content.decode()


def test_diagnosis_with_impossible_date_changes_nothing(as_referent, accompaniment):
    for day, message in [
        (FUTURE, "futur"),
        ((ENTRY - timedelta(days=1)).isoformat(), "précéder l'entrée"),
        ("2025-13-01", "date valide"),
    ]:
        response = as_referent.post(
            url("diagnosis", accompaniment), {"assessed_on": day, "level_mobility": "2"}
        )
        assert response.status_code == 200
        assert message in errors_of(response, "assessed_on")[0]
    assert not BarrierAssessment.objects.exists()


def test_project_form_with_an_appellation(as_referent, accompaniment):
    baker = appellation()
    response = as_referent.post(
        url("project", accompaniment),
        {
            "add_appellation": baker.label,
            "add_appellation_code": str(baker.code_ogr),
            "contract_types": ["cdi", "cdd"],
            "working_time": "full_time",
            "mobility_radius_km": "20",
        },
    )
    assert response.status_code == 302
    project = ProfessionalProject.objects.get()
    assert list(project.target_appellations.all()) == [baker]
    assert project.contract_types == ["cdi", "cdd"]


def test_project_refuses_an_unknown_appellation_and_a_huge_radius(as_referent, accompaniment):
    response = as_referent.post(
        url("project", accompaniment),
        {
            "add_appellation": "Dompteur de licornes",
            "add_appellation_code": "",
            "working_time": "any",
            "mobility_radius_km": "900",
        },
    )
    assert response.status_code == 200
    assert "ne correspond à aucune entrée" in errors_of(response, "add_appellation")[0]
    assert errors_of(response, "mobility_radius_km")
    assert not ProfessionalProject.objects.exists()


def test_plan_objective_and_suggested_action(as_referent, accompaniment, structure):
    response = as_referent.post(
        url("plan", accompaniment), {"theme": "mobility", "label": "Obtenir le permis"}
    )
    assert response.status_code == 302
    objective = Objective.objects.get()
    page = as_referent.get(url("plan", accompaniment))
    suggestion = SuggestedAction.objects.filter(theme="mobility").first()
    assert suggestion.label in page.content.decode()
    create_url = url("action_create", accompaniment, objective.public_id)
    form = as_referent.get(create_url, {"suggestion": suggestion.pk}).context["form"]
    assert form.initial["label"] == suggestion.label
    response = as_referent.post(
        create_url,
        {
            "action_type": suggestion.action_type,
            "label": suggestion.label,
            "partner_structure": str(structure.pk),
            "status": "planned",
            "start_date": (ENTRY + timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 302
    action = PlanAction.objects.get()
    response = as_referent.post(
        url("action_edit", accompaniment, action.public_id),
        {
            "action_type": action.action_type,
            "label": action.label,
            "status": "done",
            "start_date": (ENTRY + timedelta(days=3)).isoformat(),
            "end_date": (ENTRY + timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert errors_of(response, "end_date") == ["La fin de l'action ne peut pas précéder son début."]
    action.refresh_from_db()
    assert action.status == "planned"


# --- Exit and follow-up -----------------------------------------------------------------------


def exit_data(**overrides):
    data = {"exit_date": TODAY().isoformat(), "exit_type": "cdi", "contract_type": "cdi"}
    data.update(overrides)
    return data


def test_an_exit_without_type_gets_an_error_next_to_the_field(as_referent, accompaniment):
    response = as_referent.post(url("exit", accompaniment), exit_data(exit_type=""))
    assert response.status_code == 200
    assert errors_of(response, "exit_type") == ["Une sortie a besoin d'un type : choisissez-le."]
    accompaniment.refresh_from_db()
    assert accompaniment.is_open


def test_an_exit_before_the_entry_or_in_the_future_is_refused(as_referent, accompaniment):
    for day in (FUTURE, (ENTRY - timedelta(days=1)).isoformat()):
        response = as_referent.post(url("exit", accompaniment), exit_data(exit_date=day))
        assert errors_of(response, "exit_date")
    response = as_referent.post(url("exit", accompaniment), exit_data(contract_type=""))
    assert errors_of(response, "contract_type")
    accompaniment.refresh_from_db()
    assert accompaniment.is_open


def test_closed_accompaniment_read_only_except_follow_up(as_referent, accompaniment):
    assert as_referent.get(url("follow_up", accompaniment)).status_code == 403  # not closed yet
    exit_date = months_after(TODAY(), -6)
    response = as_referent.post(
        url("exit", accompaniment),
        exit_data(exit_date=exit_date.isoformat(), employer="Fictive SA"),
    )
    assert response.status_code == 302
    for name in ("exit", "project", "team", "transfer"):
        assert as_referent.get(url(name, accompaniment)).status_code == 403
    assert (
        as_referent.post(
            url("plan", accompaniment), {"theme": "mobility", "label": "x"}
        ).status_code
        == 403
    )
    detail = as_referent.get(url("detail", accompaniment))
    assert detail.status_code == 200
    assert "seul son suivi à 6 mois" in detail.content.decode()
    assert as_referent.get(url("diagnosis", accompaniment)).context["form"] is None
    response = as_referent.post(
        url("follow_up", accompaniment),
        {"contacted_on": TODAY().isoformat(), "situation": "cdi", "contract_type": "cdi"},
    )
    assert response.status_code == 302
    accompaniment.refresh_from_db()
    assert accompaniment.six_month_follow_up.is_recorded


# --- The person page --------------------------------------------------------------------------


def test_person_page_shows_the_panels(as_referent, accompaniment, person, actor):
    services.revise_diagnosis(
        accompaniment, {"mobility": (2, "Pas de permis")}, assessed_on=ENTRY, actor=actor
    )
    response = as_referent.get(reverse("people:detail", args=[person.public_id]))
    content = response.content.decode()
    for title in ("Accompagnements", "Diagnostic des freins", "Projet professionnel"):
        assert title in content
    assert "Pas de permis" in content
    assert "Plan d'action" in content and "Sorties et suivi à 6 mois" in content


def test_funder_sees_no_panel_and_no_caseload(client_for, make_member, structure, person):
    funder = make_member(Role.FUNDER, structure)
    client = client_for(funder)
    assert client.get(reverse("accompaniment:caseload")).status_code == 403
    assert client.get(reverse("people:detail", args=[person.public_id])).status_code == 403
    home = client.get(reverse("core:home")).content.decode()
    assert "File active" not in home


def test_referent_has_the_navigation_entry(as_referent, accompaniment):
    content = as_referent.get(reverse("core:home")).content.decode()
    assert 'href="/accompagnement/"' in content


def test_each_opening_of_an_accompaniment_page_is_logged(as_referent, accompaniment, referent):
    for name in ("detail", "diagnosis", "plan"):
        as_referent.get(url(name, accompaniment))
    accesses = RecordAccess.objects.filter(subject_id=str(accompaniment.person.pk))
    assert accesses.count() == 3
    assert {a.user_id for a in accesses} == {referent.user.pk}
    assert accesses.first().owner_structure == accompaniment.person.owner_structure
