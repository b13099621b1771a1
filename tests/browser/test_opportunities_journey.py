"""The offers journey in a real browser, axe on each page: a counsellor searches offers near
Roubaix (the map and the list show the same offers), saves the search, opens the offers that
match a person, proposes the person with their consent; the company answers through its
personal link without an account; the officer sees the introduction and records the hire; the
person's and the company's timelines show it."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD
from tests.opportunities.factories import ft_offer
from tests.opportunities.helpers import territory
from tests.people.factories import PersonFactory, follow
from tisserand.core.timeline import events_about
from tisserand.guidance.models import GuidanceProfile, GuidanceTarget
from tisserand.opportunities.importing import francetravail, sync
from tisserand.opportunities.models import Introduction, OfferSource, SavedSearch
from tisserand.referentials.geo import qpv_index
from tisserand.referentials.rome import search
from tisserand.structures.models import StructureKind
from tisserand.structures.roles import Role


@pytest.fixture
def journey(make_member, structure, settings):
    settings.TISSERAND_GEOCODER = "offline"
    structure.kind = StructureKind.MAISON_EMPLOI
    structure.save()
    area = territory()
    search.invalidate()
    offers = [
        ft_offer("R1", entreprise={"nom": "Boulangerie Lebrun"}),
        ft_offer(
            "R2",
            intitule="Boulanger de nuit H/F",
            lieuTravail={"libelle": "59 - LYS-LEZ-LANNOY", "commune": "59367"},
        ),
        ft_offer(
            "L1",
            intitule="Boulanger Lille H/F",
            lieuTravail={
                "libelle": "59 - LILLE",
                "latitude": 50.63,
                "longitude": 3.05,
                "commune": "59350",
            },
        ),
        ft_offer(
            "FAR",
            intitule="Boulanger Dunkerque H/F",
            lieuTravail={"libelle": "59 - DUNKERQUE", "latitude": 51.03, "longitude": 2.37},
        ),
    ]
    sync.sync(francetravail.parse(offers), source=OfferSource.FRANCE_TRAVAIL)
    referent = make_member(Role.REFERENT, structure)
    officer = make_member(Role.BUSINESS, structure)
    person = PersonFactory(
        owner_structure=structure, first_name="Nadia", last_name="Kaci", commune=area["roubaix"]
    )
    follow(person, referent)
    GuidanceProfile.objects.create(person=person, commune=area["roubaix"], mobility_radius_km=10)
    GuidanceTarget.objects.create(
        person=person,
        fiche=area["boulanger"].fiche,
        appellation=area["boulanger"],
        score_percent=90,
        structure=structure,
    )
    yield {"area": area, "referent": referent, "officer": officer, "person": person}
    qpv_index.invalidate()
    search.invalidate()


def test_search_propose_answer_hire(page, chromium, live_server, login, assert_accessible, journey):
    referent, person = journey["referent"], journey["person"]
    login(referent.user.email, TEST_PASSWORD)

    # Search near Roubaix: the list and the map show the same offers.
    page.goto("/offres/")
    page.get_by_role("combobox", name="Commune").fill("Roubaix")
    page.get_by_label("Distance").select_option("10")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url(re.compile(r"commune="))
    expect(page.get_by_role("heading", name="2 offres")).to_be_visible()
    listed = page.locator(".offer-list__item h3").all_inner_texts()
    assert sorted(listed) == ["Boulanger / Boulangère H/F", "Boulanger de nuit H/F"]
    mapped = page.locator("svg.offer-map g title").all_text_contents()
    assert sorted(t.split(". ", 1)[1].split(" — ")[0] for t in mapped) == sorted(listed)
    assert_accessible(page)
    page.screenshot(path="/tmp/opportunities-search.png", full_page=True)

    # Save the search, with its daily alert.
    page.get_by_label("Nom de la recherche").fill("Boulangerie près de Roubaix")
    page.get_by_role("button", name="Enregistrer la recherche").click()
    expect(page.get_by_text("Recherche enregistrée.")).to_be_visible()
    assert SavedSearch.objects.get().params["commune"] == "59512"

    # The offers that match the person, explained.
    page.goto(reverse("people:detail", args=[person.public_id]))
    page.get_by_role("link", name="Voir les offres qui correspondent").click()
    page.wait_for_url(re.compile(r"/offres/personne/"))
    expect(page.get_by_text("même métier que celui visé").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Proposer Nadia pour Boulanger / Boulangère H/F").click()
    page.wait_for_url(re.compile(r"/proposer/"))
    assert_accessible(page)
    page.get_by_label(re.compile("La personne accepte")).check()
    page.get_by_label(re.compile("Message à l'entreprise")).fill(
        "Nadia est disponible tout de suite."
    )
    page.get_by_role("button", name="Proposer la personne").click()
    page.wait_for_url(re.compile(r"/mises-en-relation/"))
    expect(page.get_by_text("Mise en relation enregistrée.")).to_be_visible()
    assert_accessible(page)
    link = page.locator("a[href*='/mises-en-relation/reponse/']").get_attribute("href")

    # The company answers through its personal link, without an account.
    company = chromium.new_context(base_url=live_server.url, locale="fr-FR")
    company_page = company.new_page()
    company_page.goto(link)
    expect(company_page.get_by_text("Nadia K.")).to_be_visible()
    assert "Kaci" not in company_page.content()
    assert_accessible(company_page)
    company_page.get_by_label("Nous proposons un entretien").check()
    company_page.get_by_label("Date de l'entretien").fill("2026-12-10")
    company_page.get_by_role("button", name="Envoyer ma réponse").click()
    expect(
        company_page.get_by_role("heading", name="Merci, votre réponse est enregistrée")
    ).to_be_visible()
    company.close()
    assert Introduction.objects.get().status == "interview"

    # The officer sees the introduction and records the hire.
    officer = chromium.new_context(base_url=live_server.url, locale="fr-FR")
    officer_page = officer.new_page()
    officer_page.goto("/compte/login/")
    officer_page.get_by_label("Adresse e-mail").fill(journey["officer"].user.email)
    officer_page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    officer_page.get_by_role("button", name="Se connecter").click()
    officer_page.goto("/mises-en-relation/")
    assert_accessible(officer_page)
    officer_page.get_by_role("link", name="Nadia Kaci").click()
    expect(officer_page.get_by_text("Entretien prévu").first).to_be_visible()
    officer_page.get_by_label("Nouvel état").select_option("hired")
    officer_page.get_by_role("button", name="Enregistrer").click()
    expect(officer_page.get_by_text("Mise en relation mise à jour.")).to_be_visible()
    assert_accessible(officer_page)
    officer.close()

    # The person's timeline shows the hire, and so does the company's.
    page.goto(reverse("people:detail", args=[person.public_id]))
    expect(page.get_by_text(re.compile(r"Embauche : Boulanger")).first).to_be_visible()
    introduction = Introduction.objects.get()
    assert introduction.status == "hired"
    company_record = introduction.establishment or introduction.offer
    assert any(e.summary.startswith("Embauche") for e in events_about(company_record))
    assert any(e.summary.startswith("Embauche") for e in events_about(introduction.offer))


def test_the_offers_pages_fit_a_375px_screen(page, login, assert_accessible, journey):
    from tests.browser.test_small_screens import PHONE, assert_no_sideways_scroll
    from tisserand.core.actor import Actor
    from tisserand.opportunities import services
    from tisserand.opportunities.models import JobOffer

    referent, person = journey["referent"], journey["person"]
    services.propose(
        JobOffer.objects.first(), person, data={"consent": True}, actor=Actor.of(referent)
    )
    page.set_viewport_size(PHONE)
    login(referent.user.email, TEST_PASSWORD)
    for url in (
        "/offres/?commune=59512&rayon=20",
        "/mises-en-relation/",
        reverse("opportunities:person_matches", args=[person.public_id]),
    ):
        response = page.goto(url)
        assert response.status == 200, (url, page.content()[:500])
        assert_no_sideways_scroll(page)
        assert_accessible(page)
