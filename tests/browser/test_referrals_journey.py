"""A counsellor finds a childcare service near a person's home from the person's diagnosis and
refers the person; the partner outside the network accepts through the personal link, without
an account; the person's timeline shows both steps (axe on each page)."""

import datetime
import re

from django.core import mail

from tests.accompaniment.conftest import ensure_initial_data
from tests.accompaniment.factories import programme
from tests.factories import TEST_PASSWORD
from tests.people.factories import PersonFactory
from tests.referentials.geo.factories import make_roubaix_area
from tests.referrals.factories import make_service, outside_structure
from tisserand.accompaniment import services as accompaniment_services
from tisserand.accompaniment.models import BarrierAssessment
from tisserand.core.actor import Actor
from tisserand.referrals.models import Referral, ReferralState
from tisserand.referrals.thematics import load_thematics
from tisserand.structures.roles import Role


def test_refer_from_the_diagnosis_then_accept_through_the_link(
    page, chromium, live_server, login, make_member, structure, assert_accessible
):
    ensure_initial_data()
    load_thematics()
    area = make_roubaix_area()
    referent = make_member(Role.REFERENT, structure=structure)
    person = PersonFactory(
        owner_structure=structure, first_name="Léa", last_name="Martin", commune=area["lys"]
    )
    accompaniment = accompaniment_services.open_accompaniment(
        person,
        programme=programme(),
        referent=referent.user,
        entry_date=datetime.date(2026, 1, 5),
        actor=Actor.of(referent),
    )
    BarrierAssessment.objects.create(
        accompaniment=accompaniment,
        theme="family",
        level=3,
        assessed_on=datetime.date(2026, 1, 5),
    )
    creche = outside_structure(name="Crèche Arc-en-ciel", email="creche@exemple.test")
    make_service(creche, name="Halte-garderie de Lys", commune=area["lys"])
    make_service(name="Crèche de Lille", commune=area["lille"])
    make_service(name="Garage solidaire", thematic="mobilite", commune=area["lys"])
    login(referent.user.email, TEST_PASSWORD)

    page.goto(f"/personnes/{person.public_id}/")
    page.get_by_role("link", name=re.compile("Orienter vers un service")).click()
    page.wait_for_url(re.compile(r"/orientations/personnes/.+/services/$"))
    results = page.locator("#resultats-titre ~ article h3")
    assert results.all_inner_texts() == ["Halte-garderie de Lys", "Crèche de Lille"]
    assert "Garde d’enfants" in page.locator("main").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("Orienter Léa .*Halte-garderie de Lys")).click()
    assert_accessible(page)
    page.get_by_label("Message au service").fill(
        "Léa reprend une formation en mars : pouvez-vous accueillir son fils de 2 ans ?"
    )
    page.get_by_label("Identité et coordonnées").check()
    page.get_by_label(re.compile("La personne a donné son accord")).check()
    page.get_by_role("button", name="Envoyer l'orientation").click()
    page.wait_for_url(re.compile(r"/orientations/[0-9a-f-]{36}/$"))
    assert "Envoyée" in page.locator("h1").inner_text()
    assert_accessible(page)

    token_url = re.search(r"https?://\S+/orientations/reponse/\S+/", mail.outbox[-1].body)
    path = "/orientations/reponse/" + token_url.group(0).split("/orientations/reponse/")[1]
    partner = chromium.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    partner.goto(path)
    assert "Léa MARTIN" in partner.locator("main").inner_text()
    assert_accessible(partner)
    partner.get_by_label("Votre nom et votre fonction").fill("Camille Durand, directrice")
    partner.get_by_label("Accepter l'orientation").check()
    partner.get_by_label("Message").fill("Place proposée à partir du 2 mars.")
    partner.get_by_role("button", name="Envoyer la réponse").click()
    partner.wait_for_load_state()
    assert "Merci" in partner.locator("h1").inner_text()
    assert_accessible(partner)
    assert Referral.objects.get().state == ReferralState.ACCEPTED
    # Answered: the link opens nothing any more.
    assert partner.goto(path).status == 404
    partner.context.close()

    page.goto(f"/personnes/{person.public_id}/")
    timeline = page.locator("main").inner_text()
    assert "Orientation envoyée vers « Halte-garderie de Lys »" in timeline
    assert (
        "Orientation acceptée par « Crèche Arc-en-ciel » (Camille Durand, directrice)" in timeline
    )
    assert_accessible(page)
