"""The pages: follow-up figures (median response time, acceptance, unmet demand), the funder's
masked counts, the person's section with the diagnosis's thematics, the lists and notices."""

import datetime
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.accompaniment.factories import AccompanimentFactory
from tests.factories import StructureFactory
from tests.people.factories import PersonFactory, follow
from tests.referrals.factories import CHILDCARE, make_service, network_entry, refer
from tisserand.accompaniment.models import BarrierAssessment
from tisserand.core.actor import Actor
from tisserand.people import hooks as people_hooks
from tisserand.referrals import selectors, services
from tisserand.referrals.models import Referral
from tisserand.structures.roles import Role


@pytest.fixture
def receiving(make_member):
    return make_member(Role.PARTNER, StructureFactory(name="Centre social Fraternité"))


@pytest.fixture
def service(receiving, area):
    return make_service(network_entry(receiving.structure), name="Crèche", commune=area["roubaix"])


def _answered(person, service, sender, receiver, decision, hours):
    referral, _ = refer(person, service, sender)
    Referral.objects.filter(pk=referral.pk).update(sent_at=timezone.now() - timedelta(hours=hours))
    referral.refresh_from_db()
    data = {"decision": decision, "reason": "full" if decision == "refuse" else ""}
    services.answer(referral, data=data, actor=Actor.of(receiver))
    return referral


def test_figures_median_and_acceptance(person, referent, receiving, service):
    people = [person] + [PersonFactory(owner_structure=referent.structure) for _ in range(3)]
    _answered(people[0], service, referent, receiving, "accept", 10)
    _answered(people[1], service, referent, receiving, "accept", 30)
    _answered(people[2], service, referent, receiving, "refuse", 50)
    refer(people[3], service, referent)
    figures = selectors.figures(Referral.objects.filter(receiving_structure=receiving.structure))
    assert (figures.total, figures.waiting, figures.accepted, figures.refused) == (4, 1, 2, 1)
    assert 29.9 < figures.median_hours < 30.1
    assert figures.acceptance_rate == 67
    unmet = selectors.unmet_demand(Referral.objects.all())
    assert unmet == [{"family": "Famille", "total": 4, "unmet": 1}]


def test_the_follow_up_page_of_each_side(person, referent, receiving, service, client_for):
    refer(person, service, referent)
    page = client_for(receiving).get(reverse("referrals:follow_up")).content.decode()
    assert "Orientations reçues par la structure" in page and "Famille" in page
    assert client_for(referent).get(reverse("referrals:follow_up")).status_code == 200


def test_a_funder_sees_masked_counts_and_no_person(
    person, referent, service, client_for, make_member
):
    refer(person, service, referent)
    funder = make_member(Role.FUNDER)
    page = client_for(funder).get(reverse("referrals:territory")).content.decode()
    assert "&lt; 5" in page
    assert person.last_name not in page
    assert client_for(funder).get(reverse("referrals:search")).status_code == 200
    assert client_for(funder).get(reverse("referrals:received")).status_code == 403
    assert client_for(funder).get(reverse("referrals:follow_up")).status_code == 403
    assert (
        selectors.masked(0) == "0" and selectors.masked(4) == "< 5" and selectors.masked(5) == "5"
    )


def test_the_diagnosis_barriers_reach_referrals_through_the_hook(person, referent):
    accompaniment = AccompanimentFactory(
        person=person, structure=referent.structure, referent=referent.user
    )
    for theme, level, day in (("family", 1, 1), ("family", 3, 5), ("mobility", 0, 1)):
        BarrierAssessment.objects.create(
            accompaniment=accompaniment, theme=theme, level=level,
            assessed_on=datetime.date(2026, 1, day),
        )  # fmt: skip
    assert sorted(people_hooks.current_barriers(person)) == [("family", 3), ("mobility", 0)]


def test_the_person_page_section_and_the_search_from_the_diagnosis(
    person, referent, service, client_for, area
):
    accompaniment = AccompanimentFactory(
        person=person, structure=referent.structure, referent=referent.user
    )
    BarrierAssessment.objects.create(
        accompaniment=accompaniment, theme="family", level=3, assessed_on=datetime.date(2026, 1, 5)
    )
    make_service(name="Garage", thematic="mobilite", commune=area["lys"])
    client = client_for(referent)
    page = client.get(reverse("people:detail", args=[person.public_id])).content.decode()
    assert "Orientations vers les partenaires" in page
    assert "Garde d’enfants" in page
    search = client.get(
        reverse("referrals:person_search", args=[person.public_id])
    ).content.decode()
    assert "Crèche" in search and "Garage" not in search
    assert reverse("referrals:refer", args=[person.public_id, service.public_id]) in search


def test_the_person_section_shows_only_this_structure_s_referrals(
    person, referent, service, client_for, make_member
):
    referral, _ = refer(person, service, referent)
    other_structure = make_member(Role.REFERENT)
    follow(person, other_structure)
    page = (
        client_for(other_structure)
        .get(reverse("people:detail", args=[person.public_id]))
        .content.decode()
    )
    # The timeline says a referral was sent (the person is followed there too), but the
    # referral itself (its message, its shared data) is not reachable from this structure.
    assert reverse("referrals:detail", args=[referral.public_id]) not in page
    url = reverse("referrals:detail", args=[referral.public_id])
    assert client_for(other_structure).get(url).status_code == 403


def test_lists_and_notices(person, referent, receiving, service, client_for):
    referral, _ = refer(person, service, referent)
    assert "Crèche" in client_for(receiving).get(reverse("referrals:received")).content.decode()
    assert (
        "Crèche"
        in client_for(referent).get(reverse("referrals:sent") + "?etat=sent").content.decode()
    )
    services.answer(referral, data={"decision": "accept"}, actor=Actor.of(receiving))
    client = client_for(referent)
    assert "Nouveau" in client.get(reverse("referrals:notices")).content.decode()
    assert "Nouveau" not in client.get(reverse("referrals:notices")).content.decode()


def test_refer_page_sends(person, referent, service, client_for):
    client = client_for(referent)
    url = reverse("referrals:refer", args=[person.public_id, service.public_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"message": "Bonjour", "scopes": ["identity"]})
    assert "consentement" in response.content.decode()
    assert not Referral.objects.exists()
    response = client.post(url, {"message": "Bonjour", "scopes": ["identity"], "consent": "on"})
    referral = Referral.objects.get()
    assert response.url == reverse("referrals:detail", args=[referral.public_id])


def test_my_services_and_the_service_page(make_member, client_for, area):
    admin = make_member(Role.ADMIN)
    mine = make_service(
        network_entry(admin.structure), name="Vieux service", age_days=200, thematic=CHILDCARE
    )
    client = client_for(admin)
    page = client.get(reverse("referrals:my_services")).content.decode()
    assert "Vieux service" in page and "À mettre à jour" in page
    client.post(reverse("referrals:service_confirm", args=[mine.public_id]))
    mine.refresh_from_db()
    assert mine.updated_on == timezone.localdate()
    assert client.get(reverse("referrals:service", args=[mine.public_id])).status_code == 200


def test_an_unknown_commune_is_an_error_and_the_other_criteria_still_apply(
    make_member, client_for, area
):
    make_service(name="Crèche", commune=area["roubaix"])
    make_service(name="Garage", thematic="mobilite", commune=area["roubaix"])
    client = client_for(make_member(Role.REFERENT))
    page = client.get(
        reverse("referrals:search"), {"thematique": "famille", "commune": "Atlantide"}
    ).content.decode()
    assert "ne correspond à aucune entrée" in page
    assert "Crèche" in page and "Garage" not in page


def test_navigation_and_home_entries_by_role(make_member, client_for, person, referent):
    from tisserand.core import home, navigation

    nav = {role: [e.label for e in navigation.entries_for(make_member(role))] for role in Role}
    assert "Services partenaires" in nav[Role.REFERENT]
    assert "Services partenaires" not in nav[Role.FUNDER]
    assert "Services partenaires (territoire)" in nav[Role.FUNDER]
    cards = [card["title"] for card in home.cards_for(make_member(Role.PARTNER))]
    assert "Annuaire et orientations" in cards and "Orientations reçues" in cards
    assert "Orientations reçues" not in [
        c["title"] for c in home.cards_for(make_member(Role.BUSINESS))
    ]


def test_a_partner_does_not_see_the_section_through_a_consent(person, make_member, client_for):
    from tests.people.factories import ConsentFactory

    partner = make_member(Role.PARTNER)
    ConsentFactory(person=person, structure=partner.structure, scopes=["identity", "situation"])
    page = client_for(partner).get(reverse("people:detail", args=[person.public_id]))
    assert page.status_code == 200
    assert "Orientations vers les partenaires" not in page.content.decode()


def test_the_schedule_command_enqueues_the_task(person, referent, service):
    from io import StringIO

    from django.core.management import call_command

    referral, _ = refer(person, service, referent)
    Referral.objects.filter(pk=referral.pk).update(sent_at=timezone.now() - timedelta(days=8))
    out = StringIO()
    call_command("process_referrals", stdout=out)
    assert "mise en file" in out.getvalue()
    referral.refresh_from_db()
    assert referral.reminder_sent_at is not None  # the immediate backend ran it


def test_the_lists_query_count_does_not_grow_with_referrals(
    person, referent, receiving, service, client_for
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(client, name):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name)).status_code == 200
        return len(captured)

    refer(person, service, referent)
    before = {
        name: queries(client_for(member), name)
        for name, member in (("referrals:received", receiving), ("referrals:sent", referent))
    }
    for _ in range(12):
        refer(PersonFactory(owner_structure=referent.structure), service, referent)
    after = {
        name: queries(client_for(member), name)
        for name, member in (("referrals:received", receiving), ("referrals:sent", referent))
    }
    assert after == before
