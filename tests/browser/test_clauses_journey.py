"""A facilitator creates an NPNRU operation, a contract with two lots (hours computed live and
explained), records a participant's eligibility from their record; the holder's contact
declares a month's hours in the portal; the facilitator validates them, sees the lot's progress
and an alert, and downloads the certificate and the yearly report. axe on every page."""

import datetime

from playwright.sync_api import expect

from tests.browser.conftest import ACTION_TIMEOUT_MS
from tests.clauses.factories import BuyerFactory
from tests.companies.factories import EstablishmentFactory, LeaderAccountFactory
from tests.factories import TEST_PASSWORD
from tests.people.factories import PersonFactory, follow
from tisserand.clauses import initial_data
from tisserand.clauses.models import Declaration, Lot, Participant
from tisserand.structures.roles import Role


def _login(page, email):
    page.goto("/compte/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def test_clause_journey(page, chromium, live_server, make_member, structure, assert_accessible):
    # A live-server test empties the tables between tests: the starting criteria come back.
    initial_data.create_missing()
    facilitator = make_member(Role.CLAUSE_FACILITATOR, structure=structure)
    BuyerFactory(structure=structure, name="Roubaix Habitat")
    holder = EstablishmentFactory(name="Bâtiments du Nord")
    leader = LeaderAccountFactory(establishment=holder)
    person = PersonFactory(
        owner_structure=structure,
        first_name="Yanis",
        last_name="Benaissa",
        birth_date=datetime.date(2004, 4, 2),
    )
    follow(person, facilitator)
    candidate = PersonFactory(
        owner_structure=structure, first_name="Inès", last_name="Lefebvre",
        birth_date=datetime.date(1998, 9, 12),
    )  # fmt: skip
    follow(candidate, facilitator)
    year = datetime.date.today().year
    _login(page, facilitator.user.email)

    # The operation.
    page.goto("/clauses/")
    assert_accessible(page)
    page.get_by_role("link", name="Nouvelle opération").click()
    page.get_by_label("Programme").select_option("npnru")
    page.get_by_label("Nom").fill("NPNRU Alma-Gare")
    page.get_by_label("Début").fill(f"{year - 1}-01-01")
    page.get_by_label("Fin").fill(f"{year + 3}-12-31")
    page.get_by_label("Quartiers prioritaires (codes QPV)").fill("QN05912M")
    page.get_by_label("Part des heures réservée aux habitants des QPV").fill("0.5")
    page.get_by_label("Roubaix Habitat").check()
    assert_accessible(page)
    page.get_by_role("button", name="Créer l'opération").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("NPNRU Alma-Gare")
    assert_accessible(page)

    # The contract.
    page.get_by_role("link", name="Nouveau marché").click()
    page.get_by_label("Donneur d'ordre").select_option(label="Roubaix Habitat")
    page.get_by_label("Référence").fill("RH-2025-07")
    page.get_by_label("Objet").fill("Réhabilitation de 96 logements")
    page.get_by_label("Montant HT (€)").fill("1600000")
    page.get_by_label("Nature").select_option("works")
    page.get_by_label("Début d'exécution").fill(f"{year - 1}-01-01")
    page.get_by_label("Fin d'exécution").fill(f"{year + 1}-06-30")
    page.get_by_role("button", name="Créer le marché").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Marché RH-2025-07")

    # Two lots, the hours computed live (htmx) and explained.
    page.get_by_role("link", name="Nouveau lot").click()
    page.get_by_label("Intitulé").fill("Gros œuvre")
    page.get_by_label("Titulaire").select_option(label=f"Bâtiments du Nord ({holder.siret})")
    page.get_by_label("Montant HT du lot (€)").fill("1000000")
    page.get_by_label("Forme juridique de la clause").select_option("L2112-2")
    page.get_by_label("Calculées", exact=True).check()
    page.get_by_label("Part de main-d'œuvre").fill("0.5")
    page.get_by_label("Taux d'insertion").fill("0.05")
    page.get_by_label("Coût horaire chargé (€)").fill("30")
    page.get_by_label("Coût horaire chargé (€)").blur()
    expect(page.locator("#hours-preview")).to_contain_text("= 833,3 h, dont 416,7 h")
    assert_accessible(page)
    page.get_by_role("button", name="Créer le lot").click()
    expect(page.locator(".messages")).to_contain_text("833.3 h dues")
    page.get_by_role("link", name="Nouveau lot").click()
    page.get_by_label("Intitulé").fill("Espaces verts")
    page.get_by_label("Titulaire").select_option(label=f"Bâtiments du Nord ({holder.siret})")
    page.get_by_label("Montant HT du lot (€)").fill("200000")
    page.get_by_label("Forme juridique de la clause").select_option("L2113-13")
    page.get_by_label("Saisies", exact=True).check()
    page.get_by_label("Heures dues (si saisies)").fill("300")
    page.get_by_role("button", name="Créer le lot").click()
    expect(page.locator(".messages")).to_contain_text("300")
    assert Lot.objects.count() == 2
    assert_accessible(page)

    # The participant, from the person's record: what it knows is proposed, not retyped.
    page.goto(f"/personnes/{person.public_id}/")
    page.get_by_role("link", name="Inscrire dans une clause sociale").click()
    page.get_by_label("Niveau de qualification").select_option("none")
    page.get_by_label("Modalité").select_option("cdd")
    page.get_by_label("Employeur").select_option(label=f"Bâtiments du Nord ({holder.siret})")
    page.get_by_label("Début du contrat").fill(f"{year}-02-01")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer le participant").click()
    expect(page.locator(".alert--warning")).to_contain_text("Ses heures ne comptent pas")
    assert_accessible(page)
    page.get_by_role(
        "button", name="Retenir le critère Jeune de moins de 26 ans sans qualification"
    ).click()
    expect(page.get_by_text("Éligible : au moins un critère")).to_be_visible()
    assert Participant.objects.get().is_eligible

    # The holder's contact declares a month's hours in the portal (first names only).
    context = chromium.new_context(base_url=live_server.url, locale="fr-FR")
    portal = context.new_page()
    portal.set_default_timeout(ACTION_TIMEOUT_MS)
    _login(portal, leader.user.email)
    portal.goto(f"/clauses/portail/{holder.public_id}/")
    assert_accessible(portal)
    portal.get_by_role("link", name="Lot 1 — Gros œuvre").click()
    portal.get_by_label("Salarié").select_option(label="Yanis")
    portal.get_by_label("Mois").fill(f"{year}-03")
    portal.get_by_label("Heures travaillées").fill("120")
    assert_accessible(portal)
    portal.get_by_role("button", name="Déclarer les heures").click()
    expect(portal.locator(".messages")).to_contain_text("la facilitation les validera")
    assert "BENAISSA" not in portal.content()
    context.close()
    assert Declaration.objects.get().source == "portal"

    # The facilitator validates, sees the progress and an alert, downloads the documents.
    lot = Lot.objects.get(number=1)
    page.goto(f"/clauses/lots/{lot.public_id}/")
    page.get_by_role("button", name=f"Valider la déclaration de 03/{year}").click()
    expect(page.locator(".messages")).to_contain_text("Déclaration validée")
    expect(page.locator("#alertes")).to_contain_text("Alertes")
    expect(page.get_by_text("Lot en retard").first).to_be_visible()
    expect(page.locator("#avancement").locator("..")).to_contain_text("% réalisé")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Attestation d'heures (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.get_by_role("link", name="NPNRU Alma-Gare").click()
    page.get_by_role("link", name=f"Bilan {year}").click()
    expect(page.get_by_role("heading", name="Heures par modalité")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le bilan (PDF)").click()
    assert download.value.suggested_filename == f"bilan-operation-{year}.pdf"

    # The facilitator edits the lot's hours parameters: recomputed live and explained; hours
    # owed below the hours already validated are refused.
    page.goto(f"/clauses/lots/{lot.public_id}/")
    page.get_by_role("link", name="Modifier le lot").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Modifier le Lot 1")
    page.get_by_label("Saisies", exact=True).check()
    page.get_by_label("Heures dues (si saisies)").fill("50")
    page.get_by_role("button", name="Enregistrer les modifications").click()
    expect(page.locator("form.form")).to_contain_text("inférieures aux heures déjà validées")
    assert_accessible(page)
    page.get_by_label("Calculées", exact=True).check()
    page.get_by_label("Taux d'insertion").fill("0.1")
    page.get_by_label("Taux d'insertion").blur()
    expect(page.locator("#hours-preview")).to_contain_text("666,7 h")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer les modifications").click()
    expect(page.locator(".messages")).to_contain_text("1666.7 h dues")
    expect(page.locator("#clause").locator("..")).to_contain_text("10,0 % d'insertion")

    # The facilitator proposes a candidate for the lot's clause job, with her consent.
    page.get_by_role("link", name="Proposer un candidat").click()
    page.get_by_label("Chercher parmi les personnes que vous suivez").fill("Lefebvre")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_label("Inès", exact=False).check()
    page.get_by_label("La personne accepte que son profil").check()
    page.get_by_label("Message au titulaire").fill("Disponible dès le mois prochain.")
    assert_accessible(page)
    page.get_by_role("button", name="Proposer au titulaire").click()
    expect(page.locator(".messages")).to_contain_text("Candidature proposée")
    expect(page.get_by_role("table", name="Candidats proposés pour la clause")).to_contain_text(
        "Proposée"
    )
    assert_accessible(page)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/clauses/lots/{lot.public_id}/")
    assert_accessible(page)
