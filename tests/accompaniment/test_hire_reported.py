"""A hire recorded by another service (an introduction to a company) is reported on the
person's open accompaniments: their page asks for the exit, which stays the référent's act."""

import datetime

from django.urls import reverse

from tests.factories import StructureFactory
from tisserand.accompaniment.models import Accompaniment
from tisserand.people import hooks as people_hooks
from tisserand.structures.roles import Role

HIRED_ON = datetime.date(2025, 6, 2)


def test_a_hire_is_reported_on_the_open_accompaniment_only(accompaniment, person, actor):
    people_hooks.hire_recorded(person, contract_type="CDI", hired_on=HIRED_ON, actor=actor)
    accompaniment.refresh_from_db()
    assert (accompaniment.hire_reported_on, accompaniment.hire_reported_contract) == (
        HIRED_ON,
        "CDI",
    )
    # Nothing is closed: the exit stays to be recorded.
    assert accompaniment.status == "open" and accompaniment.exit_date is None


def test_a_closed_accompaniment_is_left_as_it_is(accompaniment, person, actor):
    Accompaniment.objects.filter(pk=accompaniment.pk).update(
        status="closed",
        exit_date=datetime.date(2025, 5, 1),
        exit_type="moved",
        closed_at=datetime.datetime(2025, 5, 1, tzinfo=datetime.UTC),
    )
    people_hooks.hire_recorded(person, contract_type="CDD", hired_on=HIRED_ON, actor=actor)
    assert Accompaniment.objects.get(pk=accompaniment.pk).hire_reported_on is None


def test_the_page_asks_the_referent_for_the_exit(
    accompaniment, person, actor, referent, client_for
):
    url = reverse("accompaniment:detail", args=[accompaniment.public_id])
    exit_url = reverse("accompaniment:exit", args=[accompaniment.public_id])
    page = client_for(referent).get(url).content.decode()
    assert "Une embauche" not in page
    people_hooks.hire_recorded(person, contract_type="CDI", hired_on=HIRED_ON, actor=actor)
    page = client_for(referent).get(url).content.decode()
    assert "Une embauche (CDI) a été enregistrée le 02/06/2025" in page
    assert f'<a href="{exit_url}">enregistrez la sortie</a>' in page


def test_another_structure_does_not_see_the_accompaniment(
    accompaniment, person, actor, make_member, client_for
):
    people_hooks.hire_recorded(person, contract_type="CDI", hired_on=HIRED_ON, actor=actor)
    outsider = make_member(Role.REFERENT, StructureFactory())
    url = reverse("accompaniment:detail", args=[accompaniment.public_id])
    response = client_for(outsider).get(url)
    assert response.status_code in (403, 404)
    assert "Une embauche" not in response.content.decode()
