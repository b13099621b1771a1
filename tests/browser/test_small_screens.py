"""Issue 9, point 11: at 375 px (a small phone), the caseload and the agenda never make the
page scroll sideways (their tables scroll inside their box, with a visible hint), and the
TOTP secret of the set-up page is wrapped, never cut off."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.accompaniment.conftest import ENTRY, ensure_initial_data
from tests.accompaniment.factories import programme
from tests.appointments.factories import AppointmentFactory
from tests.factories import TEST_PASSWORD
from tests.people.factories import PersonFactory, follow
from tisserand.accompaniment import services
from tisserand.core.actor import Actor
from tisserand.structures.roles import Role

PHONE = {"width": 375, "height": 740}

# Elements wider than the viewport, the page's own horizontal overflow.
OVERFLOW = """() => ({
  page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  culprits: [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                 && !e.closest('.table-wrapper'))
    .slice(0, 5).map(e => e.tagName + '.' + e.className),
})"""


@pytest.fixture
def phone_page(page):
    page.set_viewport_size(PHONE)
    return page


@pytest.fixture
def referent(make_member, structure):
    ensure_initial_data()
    member = make_member(Role.REFERENT, structure)
    for index in range(3):
        person = PersonFactory(
            owner_structure=structure,
            first_name=f"Marie-Amandine{index}",
            last_name="Vandenbergh-Delacroix",
        )
        follow(person, member)
        services.open_accompaniment(
            person,
            programme=programme(),
            referent=member.user,
            entry_date=ENTRY,
            actor=Actor.of(member),
        )
        AppointmentFactory(
            person=person,
            counsellor=member.user,
            structure=structure,
            starts_at=timezone.now().replace(hour=9, minute=0) + timedelta(hours=index),
            subject="Point sur la recherche d'emploi et la formation",
        )
    return member


def assert_no_sideways_scroll(page):
    overflow = page.evaluate(OVERFLOW)
    assert overflow["page"] <= 0, overflow["culprits"]


def assert_contained_scroll_with_hint(page):
    wrapper = page.locator(".table-wrapper").first
    assert wrapper.evaluate("e => e.scrollWidth > e.clientWidth")
    assert wrapper.get_attribute("tabindex") == "0"
    hint = page.locator(".table-wrapper__hint").first
    assert hint.is_visible()
    assert "faites défiler" in hint.inner_text().lower()


@pytest.mark.browser
def test_caseload_and_agenda_fit_a_375px_screen(phone_page, login, referent, assert_accessible):
    login(referent.user.email, TEST_PASSWORD)
    for url in ("/accompagnement/", "/agenda/", "/agenda/?vue=semaine"):
        phone_page.goto(url)
        assert_no_sideways_scroll(phone_page)
        assert_contained_scroll_with_hint(phone_page)
        assert_accessible(phone_page)


@pytest.mark.browser
def test_the_totp_secret_is_wrapped_on_a_small_screen(
    phone_page, login, make_member, assert_accessible
):
    member = make_member(Role.REFERENT)
    login(member.user.email, TEST_PASSWORD)
    phone_page.goto("/compte/2fa/totp/activate/")
    if "reauthenticate" in phone_page.url:
        phone_page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
        phone_page.get_by_role("button", name="Confirmer").click()
        phone_page.wait_for_url("**/2fa/totp/activate/")
    secret = phone_page.locator(".totp-secret")
    box = secret.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert secret.evaluate("e => e.scrollWidth <= e.clientWidth")
    assert len(secret.inner_text().strip()) >= 16
    assert_no_sideways_scroll(phone_page)
    assert_accessible(phone_page)
