"""axe-core on every page of the socle, and the admin's journey: invite, accept, deactivate."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD, MembershipFactory
from tisserand.structures.roles import Role

PUBLIC_PAGES = [
    "/compte/login/",
    "/compte/password/reset/",
    "/pages/accessibilite/",
    "/pages/mentions-legales/",
    "/pages/donnees-personnelles/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_are_accessible(page, assert_accessible, path):
    response = page.goto(path)
    assert response.status == 200
    assert_accessible(page)


def test_admin_pages_are_accessible(page, login, make_member, assert_accessible, structure):
    admin = make_member(Role.ADMIN, structure=structure)
    MembershipFactory(structure=structure, role=Role.REFERENT)
    login(admin.user.email, TEST_PASSWORD)
    base = f"/structures/{structure.public_id}"
    for path in [
        "/",
        "/structures/",
        f"{base}/",
        f"{base}/modifier/",
        f"{base}/membres/",
        f"{base}/membres/?statut=desactives",
        f"{base}/membres/inviter/",
        f"{base}/journal-des-acces/",
        "/compte/profil/",
        "/compte/password/change/",
        "/nulle-part/",
    ]:
        page.goto(path)
        assert_accessible(page)


@pytest.mark.ignore_template_errors  # allauth's own mfa/index.html reads recovery codes unset
def test_two_factor_page_is_accessible(page, login, make_member, assert_accessible):
    member = make_member(Role.ADMIN)
    login(member.user.email, TEST_PASSWORD)
    page.goto("/compte/2fa/")
    assert_accessible(page)


def test_forbidden_page_is_accessible_and_french(
    page, login, make_member, assert_accessible, structure
):
    funder = make_member(Role.FUNDER, structure=structure)
    login(funder.user.email, TEST_PASSWORD)
    response = page.goto(f"/structures/{structure.public_id}/membres/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Accès refusé")
    assert_accessible(page)


def test_form_errors_are_announced_and_tied_to_fields(
    page, login, make_member, assert_accessible, structure
):
    admin = make_member(Role.ADMIN, structure=structure)
    login(admin.user.email, TEST_PASSWORD)
    page.goto(f"/structures/{structure.public_id}/modifier/")
    page.get_by_label("Code postal").fill("59")
    page.get_by_role("button", name="Enregistrer").click()
    field = page.get_by_label("Code postal")
    assert field.get_attribute("aria-invalid") == "true"
    assert (
        "Code postal invalide"
        in page.locator(f"#{field.get_attribute('aria-describedby')}".split()[-1]).inner_text()
    )
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)


def test_admin_invites_a_colleague_who_joins_then_is_deactivated(
    page, login, make_member, assert_accessible, structure
):
    admin = make_member(Role.ADMIN, structure=structure)
    login(admin.user.email, TEST_PASSWORD)
    page.goto("/")
    page.get_by_role("link", name="Inviter un membre").click()
    page.get_by_label("Adresse e-mail professionnelle").fill("lea.martin@exemple.test")
    page.get_by_label("Prénom").fill("Léa")
    page.locator("#id_last_name").fill("Martin")
    page.get_by_label("Accompagnement (référence de parcours)").check()
    page.get_by_role("button", name="Envoyer l'invitation").click()
    expect(page.locator("body")).to_contain_text("Invitation envoyée à lea.martin@exemple.test")
    assert_accessible(page)

    link = re.search(r"https?://\S+/invitation/\S+/", mail.outbox[-1].body).group(0)
    page.get_by_role("button", name="Se déconnecter").click()
    page.goto(link)
    assert_accessible(page)
    page.locator("#id_password1").fill("Tisserand-Roubaix-59100")
    page.locator("#id_password2").fill("Tisserand-Roubaix-59100")
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Léa")
    page.get_by_role("button", name="Se déconnecter").click()

    login(admin.user.email, TEST_PASSWORD)
    page.goto(f"/structures/{structure.public_id}/membres/")
    page.get_by_role("button", name=re.compile("Désactiver l'accès de Léa Martin")).click()
    expect(page.locator("body")).to_contain_text("est désactivé")
    page.goto(f"/structures/{structure.public_id}/")
    assert (
        "Accès de Léa Martin (Accompagnement (référence de parcours)) désactivé" in page.content()
    )


def test_a_member_of_two_structures_switches(page, login, make_member, structure, other_structure):
    first = make_member(Role.REFERENT, structure=structure)
    MembershipFactory(user=first.user, structure=other_structure, role=Role.ADMIN)
    login(first.user.email, TEST_PASSWORD)
    page.get_by_label("Changer de structure").select_option(
        label=f"{other_structure.name} — Administration de la structure"
    )
    page.get_by_role("button", name="Changer", exact=True).click()
    expect(page.locator("body")).to_contain_text(
        f"Vous agissez maintenant pour {other_structure.name}"
    )
    expect(page.get_by_role("heading", name="Journal des accès")).to_be_visible()
