"""Counsellor mode: a person's guidance profile and targets, saved in the record."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from tests.accompaniment.conftest import ensure_initial_data
from tests.accompaniment.factories import programme
from tests.appointments.factories import AppointmentFactory
from tests.guidance.helpers import ROUBAIX, appellation_code, profile
from tests.people.factories import ConsentFactory, follow
from tisserand.accompaniment import services as accompaniment_services
from tisserand.core.access_log import RecordAccess
from tisserand.core.actor import Actor
from tisserand.core.timeline import events_about
from tisserand.guidance import loading, pdf, services
from tisserand.guidance.models import GuidanceProfile, GuidanceTarget
from tisserand.people.models import ConsentScope, FollowUpRole
from tisserand.structures.roles import Role


def profile_form(fiche="J1501", **extra):
    data = {
        "metier_1_code": str(appellation_code(fiche)),
        "metier_1": "",
        "annees_1": "6",
        "actuel_1": "on",
        "commune_code": ROUBAIX,
        "commune": "",
        "rayon": "15",
        "temps": "full_time",
        "niveau": "level_4",
        "q_s1": "2",
        "q_s2": "2",
        "q_r1": "1",
        "action": "resultats",
    }
    data.update(extra)
    return data


def saved(person, membership):
    return services.save_profile(person, data=profile(), actor=Actor.of(membership))


def test_without_a_profile_the_counsellor_is_sent_to_build_it(client_for, referent, person):
    response = client_for(referent).get(reverse("guidance:person", args=[person.public_id]))
    assert response.status_code == 302
    assert response["Location"] == reverse("guidance:person_profile", args=[person.public_id])


def test_the_form_is_prefilled_from_the_record(client_for, referent, person, roubaix):
    person.commune = roubaix
    person.qualification_level = "level_3"
    person.save()
    response = client_for(referent).get(reverse("guidance:person_profile", args=[person.public_id]))
    content = response.content.decode()
    assert 'value="59512"' in content
    assert '<option value="level_3" selected>' in content


def test_saving_the_profile_records_it_on_the_timeline(client_for, referent, person):
    ticked = [str(code) for code in loading.current_catalogue().occupation("J1501").skills[:2]]
    response = client_for(referent).post(
        reverse("guidance:person_profile", args=[person.public_id]),
        profile_form(competences=ticked),
    )
    assert response.status_code == 302
    stored = GuidanceProfile.objects.get(person=person)
    assert stored.riasec_code == "SR"
    assert stored.mobility_radius_km == 15 and stored.qualification_level == "level_4"
    assert stored.commune.insee_code == ROUBAIX
    assert stored.held_jobs.get().is_current
    assert sorted(str(skill.code_ogr) for skill in stored.skills.all()) == sorted(ticked)
    assert [e.summary for e in events_about(person)] == [
        "Profil d'orientation créé : " + stored.held_jobs.get().appellation.label
    ]


def test_changing_the_profile_records_what_changed(client_for, referent, person):
    saved(person, referent)
    client_for(referent).post(
        reverse("guidance:person_profile", args=[person.public_id]),
        profile_form(rayon="40", competences=[]),
    )
    event = events_about(person).order_by("-occurred_at", "-pk").first()
    assert event.summary.startswith("Profil d'orientation mis à jour")
    fields = {change["field"]: change for change in event.changes}
    assert fields["rayon de mobilité (km)"]["after"] == "40"
    assert fields["compétences confirmées"]["after"] == "0"


def test_a_radius_out_of_range_saves_nothing(client_for, referent, person):
    response = client_for(referent).post(
        reverse("guidance:person_profile", args=[person.public_id]), profile_form(rayon="900")
    )
    assert response.status_code == 200
    assert "Le rayon de mobilité doit être compris entre 1 et 200 km." in response.content.decode()
    assert not GuidanceProfile.objects.exists()
    assert not events_about(person).exists()


def test_the_counsellor_saves_two_targets_visible_on_the_timeline(client_for, referent, person):
    saved(person, referent)
    client = client_for(referent)
    page = client.get(reverse("guidance:person", args=[person.public_id]))
    assert page.status_code == 200
    assert "Retenir « " in page.content.decode()
    url = reverse("guidance:person_retain", args=[person.public_id])
    assert client.post(url, {"code": "J1301"}).status_code == 302
    assert client.post(url, {"code": "J1506"}).status_code == 302
    targets = services.active_targets(person)
    assert [t.fiche.code for t in targets] == ["J1301", "J1506"]
    assert all(0 < t.score_percent <= 100 and t.reasons for t in targets)
    summaries = [event.summary for event in events_about(person)]
    assert sum(s.startswith("Cible d'orientation retenue : ") for s in summaries) == 2
    page = client.get(reverse("people:detail", args=[person.public_id]))
    content = page.content.decode()
    assert "orientation retenue : Agent" in content
    assert 'id="panel-guidance"' in content


def test_targets_join_the_project_of_the_open_accompaniment(referent, person):
    ensure_initial_data()
    actor = Actor.of(referent)
    accompaniment = accompaniment_services.open_accompaniment(
        person,
        programme=programme(),
        referent=referent.user,
        entry_date=datetime.date(2025, 1, 6),
        actor=actor,
    )
    saved(person, referent)
    exploration = services.explore(services.stored_profile_data(person), count=0)
    services.retain_target(person, exploration=exploration, code="J1301", actor=Actor.of(referent))
    services.retain_target(person, exploration=exploration, code="K2204", actor=Actor.of(referent))
    project = accompaniment.project
    assert sorted(a.fiche.code for a in project.target_appellations.all()) == ["J1301", "K2204"]
    summaries = [event.summary for event in events_about(person)]
    assert any(s.startswith("Projet professionnel") for s in summaries)


def test_a_target_is_retained_once_and_can_be_withdrawn(client_for, referent, person):
    saved(person, referent)
    client = client_for(referent)
    url = reverse("guidance:person_retain", args=[person.public_id])
    client.post(url, {"code": "J1301"})
    response = client.post(url, {"code": "J1301"})
    assert response.status_code == 400
    assert "est déjà une cible retenue" in response.content.decode()
    target = GuidanceTarget.objects.get()
    response = client.post(
        reverse("guidance:person_withdraw", args=[person.public_id, target.public_id])
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.withdrawn_at is not None
    assert client.post(url, {"code": "J1301"}).status_code == 302
    assert GuidanceTarget.objects.count() == 2


def test_the_chosen_job_title_is_kept(client_for, referent, person):
    saved(person, referent)
    title = appellation_code("J1301")
    client_for(referent).post(
        reverse("guidance:person_retain", args=[person.public_id]),
        {"code": "J1301", "intitule": str(title)},
    )
    assert GuidanceTarget.objects.get().appellation.code_ogr == title


@pytest.mark.parametrize("code", ["Z9999", "", "12345"])
def test_an_unknown_target_code_stores_nothing(client_for, referent, person, code):
    saved(person, referent)
    response = client_for(referent).post(
        reverse("guidance:person_retain", args=[person.public_id]), {"code": code}
    )
    assert response.status_code == 400
    assert "Code(s) inconnu(s) (métier)" in response.content.decode()
    assert not GuidanceTarget.objects.exists()


def test_the_target_page_shows_the_gap(client_for, referent, person):
    saved(person, referent)
    response = client_for(referent).get(
        reverse("guidance:person_target", args=[person.public_id, "J1301"])
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Retenir dans le projet" in content and "À acquérir" in content


def test_the_person_synthesis_pdf(client_for, referent, person):
    saved(person, referent)
    exploration = services.explore(services.stored_profile_data(person), count=0)
    services.retain_target(person, exploration=exploration, code="J1301", actor=Actor.of(referent))
    response = client_for(referent).get(
        reverse("guidance:person_synthesis_pdf", args=[person.public_id])
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert "synthese-orientation-Benali.pdf" in response["Content-Disposition"]


def test_the_counsellor_synthesis_names_the_counsellor_and_the_next_appointment(referent, person):
    coming = AppointmentFactory(
        person=person,
        counsellor=referent.user,
        structure=referent.structure,
        starts_at=timezone.now() + datetime.timedelta(days=5),
    )
    AppointmentFactory(
        person=person,
        counsellor=referent.user,
        structure=referent.structure,
        starts_at=timezone.now() + datetime.timedelta(days=9),
    )
    counsellor = services.counsellor_of(person, actor=Actor.of(referent))
    assert counsellor.name == referent.user.get_full_name()
    assert counsellor.structure == referent.structure.name
    when = timezone.localtime(coming.starts_at)
    assert counsellor.next_appointment.startswith(f"le {when:%d/%m/%Y} à {when:%H:%M} avec ")
    assert "(sur place, 12 rue du Grand Chemin, Roubaix)" in counsellor.next_appointment
    saved(person, referent)
    exploration = services.explore(services.stored_profile_data(person))
    html = render_to_string(
        pdf.PDF_TEMPLATE,
        {"synthesis": services.synthesis(exploration, []), "counsellor": counsellor},
    )
    assert f"{counsellor.name} — {counsellor.structure}" in html
    assert escape(counsellor.next_appointment) in html


def test_without_an_appointment_the_next_one_is_to_fix(referent, person):
    assert services.counsellor_of(person, actor=Actor.of(referent)).next_appointment == ""


# --- permissions -----------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_the_login_page(client, person):
    response = client.get(reverse("guidance:person", args=[person.public_id]))
    assert response.status_code == 302
    assert "/compte/login/" in response["Location"]


def test_a_user_without_a_structure_is_refused(client, person, django_user_model):
    user = django_user_model.objects.create_user(email="seul@example.org", password="x" * 14)
    client.force_login(user)
    assert client.get(reverse("guidance:person", args=[person.public_id])).status_code == 403


@pytest.mark.parametrize("role", [Role.FUNDER, Role.CLAUSE_FACILITATOR])
def test_roles_outside_guidance_are_refused(client_for, make_member, structure, person, role):
    member = make_member(role, structure)
    follow(person, member)
    assert (
        client_for(member).get(reverse("guidance:person", args=[person.public_id])).status_code
        == 403
    )


def test_a_counsellor_of_another_structure_is_refused(client_for, make_member, person, referent):
    saved(person, referent)
    stranger = make_member(Role.REFERENT)
    client = client_for(stranger)
    assert client.get(reverse("guidance:person", args=[person.public_id])).status_code == 403
    response = client.post(
        reverse("guidance:person_retain", args=[person.public_id]), {"code": "J1301"}
    )
    assert response.status_code == 403
    assert not GuidanceTarget.objects.exists()


def test_a_director_reads_but_does_not_change(client_for, make_member, structure, person, referent):
    saved(person, referent)
    director = make_member(Role.DIRECTOR, structure)
    client = client_for(director)
    page = client.get(reverse("guidance:person", args=[person.public_id]))
    assert page.status_code == 200
    assert "Retenir « " not in page.content.decode()
    response = client.post(
        reverse("guidance:person_retain", args=[person.public_id]), {"code": "J1301"}
    )
    assert response.status_code == 403


def test_a_partner_reads_through_consent_only(client_for, make_member, person, referent):
    saved(person, referent)
    partner = make_member(Role.PARTNER)
    follow(person, partner, FollowUpRole.PARTNER_READER)
    client = client_for(partner)
    url = reverse("guidance:person", args=[person.public_id])
    assert client.get(url).status_code == 403
    ConsentFactory(person=person, structure=partner.structure, scopes=[ConsentScope.ACCOMPANIMENT])
    assert client.get(url).status_code == 200
    profile_url = reverse("guidance:person_profile", args=[person.public_id])
    assert client.get(profile_url).status_code == 403


def test_opening_the_guidance_of_a_person_is_logged(client_for, referent, person):
    saved(person, referent)
    client_for(referent).get(reverse("guidance:person", args=[person.public_id]))
    assert RecordAccess.objects.filter(user=referent.user).count() == 1
