"""The pages around the needs: the catalogue (house administrator), a structure's routing
rules, the figures, and the leader's satisfaction link; axe on each, one at 375 px."""

import datetime

from django.utils import timezone

from tests.companies.factories import ContactFactory, NeedFactory, NeedSubjectFactory
from tests.companies.relations_factories import AssignmentFactory
from tests.factories import TEST_PASSWORD
from tisserand.companies import satisfaction
from tisserand.companies.models import NeedSubject, RoutingRule, SatisfactionRequest
from tisserand.structures.models import StructureKind
from tisserand.structures.roles import Role


def test_catalogue_rules_and_figures(page, login, make_member, assert_accessible):
    admin = make_member(Role.ADMIN, structure__kind=StructureKind.MAISON_EMPLOI)
    NeedSubjectFactory(label="Recruter un premier salarié")
    login(admin.user.email, TEST_PASSWORD)

    page.goto("/parametrage/entreprises/sujets/")
    assert_accessible(page)
    page.get_by_label("Thème").select_option("hr")
    page.get_by_role("textbox", name="Sujet (obligatoire)").fill("Égalité professionnelle")
    page.get_by_label("Ordre").fill("5")
    page.get_by_role("button", name="Ajouter le sujet").click()
    page.wait_for_load_state()
    assert NeedSubject.objects.filter(label="Égalité professionnelle").exists()
    page.get_by_role("button", name="Ne plus proposer « Égalité professionnelle »").click()
    page.wait_for_load_state()
    assert not NeedSubject.objects.get(label="Égalité professionnelle").is_active
    assert_accessible(page)

    page.goto("/entreprises/regles-orientation/")
    assert_accessible(page)
    page.get_by_label("Intitulé").fill("Premiers recrutements")
    page.get_by_label("Recruter un premier salarié").check()
    page.get_by_label("âge maximal de l'entreprise (ans)", exact=False).fill("3")
    page.get_by_role("button", name="Ajouter la règle").click()
    page.wait_for_load_state()
    rule = RoutingRule.objects.get()
    assert rule.max_age_years == 3 and rule.structure == admin.structure
    assert_accessible(page)

    page.goto("/entreprises/besoins/chiffres/")
    assert_accessible(page)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/entreprises/regles-orientation/")
    assert_accessible(page)


def test_the_leader_answers_the_satisfaction_link_once(page, assert_accessible):
    now = timezone.now()
    contact = ContactFactory(consents_to_contact=True, consent_given_on=datetime.date(2026, 1, 5))
    need = NeedFactory(establishment=contact.establishment, contact=contact)
    AssignmentFactory(
        need=need,
        status="done",
        assigned_at=now - datetime.timedelta(days=5),
        closed_at=now - datetime.timedelta(days=2),
    )
    token = satisfaction.issue(need.pk, now)
    page.goto(f"/entreprises/satisfaction/{token}/")
    assert_accessible(page)
    page.get_by_role("group", name="Avez-vous été contacté·e par la structure ?").get_by_label(
        "Oui"
    ).check()
    page.get_by_role("group", name="Cet accompagnement vous a-t-il été utile ?").get_by_label(
        "Oui"
    ).check()
    page.get_by_label("Qu'est-ce que cela vous a permis de faire ?").fill("Un recrutement.")
    page.get_by_role("button", name="Envoyer ma réponse").click()
    page.wait_for_load_state()
    assert "Merci" in page.locator("main").inner_text()
    assert_accessible(page)
    assert SatisfactionRequest.objects.get().useful is True
    page.goto(f"/entreprises/satisfaction/{token}/")
    assert "déjà servi" in page.locator("main").inner_text()
    assert_accessible(page)
