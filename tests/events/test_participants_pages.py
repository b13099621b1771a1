"""The event page's participant list is paginated: one page of rows, the exact count of the
participants the reader may see, and a French pagination nav."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.events.factories import RegistrationFactory, SessionFactory
from tests.people.factories import PersonFactory, follow
from tisserand.events import sections
from tisserand.events.models import Status, Visibility
from tisserand.structures.roles import Role

# A small page keeps the tests quick (the page has 50 rows).
PARTICIPANTS_PER_PAGE = 5
MANY = PARTICIPANTS_PER_PAGE * 2 + 3


@pytest.fixture(autouse=True)
def _small_pages(monkeypatch):
    monkeypatch.setattr(sections, "PARTICIPANTS_PER_PAGE", PARTICIPANTS_PER_PAGE)


@pytest.fixture
def crowded(event, structure):
    """``MANY`` registrations of the organiser's structure, named Nom000…, in order."""
    session = SessionFactory(event=event, capacity=MANY + 10)
    for n in range(MANY):
        person = PersonFactory(owner_structure=structure, last_name=f"Nom{n:03}")
        RegistrationFactory(
            session=session, person=person, status=Status.REGISTERED, waiting_since=None
        )
    return event


def _page(client, event, **params):
    response = client.get(reverse("events:detail", args=[event.public_id]), params)
    assert response.status_code == 200
    return response.content.decode()


def _names_shown(page):
    return sorted({int(part[:3]) for part in page.split("NOM")[1:] if part[:3].isdigit()})


def test_the_first_page_shows_one_page_and_the_exact_count(client_for, organiser, crowded):
    page = _page(client_for(organiser), crowded)
    assert f"Participants visibles ({MANY}), 1 à {PARTICIPANTS_PER_PAGE}" in page
    assert _names_shown(page) == list(range(PARTICIPANTS_PER_PAGE))
    assert '<nav class="pagination" aria-label="Pagination">' in page
    assert "Page 1 sur 3" in page and 'rel="next"' in page and "Page suivante" in page


def test_the_last_page_shows_the_rest(client_for, organiser, crowded):
    page = _page(client_for(organiser), crowded, page=3)
    first = 2 * PARTICIPANTS_PER_PAGE
    assert f"Participants visibles ({MANY}), {first + 1} à {MANY}" in page
    assert _names_shown(page) == list(range(first, MANY))
    assert "Page précédente" in page and 'rel="next"' not in page


def test_a_page_out_of_range_shows_the_last_one(client_for, organiser, crowded):
    page = _page(client_for(organiser), crowded, page="999")
    assert "Page 3 sur 3" in page
    assert "Page 1 sur 3" in _page(client_for(organiser), crowded, page="abc")


def test_a_small_event_has_no_pagination(client_for, organiser, event, structure):
    session = SessionFactory(event=event)
    RegistrationFactory(session=session, person=PersonFactory(owner_structure=structure))
    page = _page(client_for(organiser), event)
    assert "Participants visibles (1)</caption>" in page
    assert 'class="pagination"' not in page


def test_a_partner_counts_only_the_people_it_registered(
    client_for, crowded, make_member, other_structure
):
    crowded.visibility = Visibility.NETWORK
    crowded.save()
    counsellor = make_member(Role.REFERENT, other_structure)
    session = crowded.sessions.get()
    for n in range(3):
        person = PersonFactory(owner_structure=other_structure, last_name=f"Nom9{n:02}")
        follow(person, counsellor)
        RegistrationFactory(session=session, person=person, registered_by_structure=other_structure)
    page = _page(client_for(counsellor), crowded)
    assert "Participants visibles (3)</caption>" in page
    assert _names_shown(page) == [900, 901, 902]
    assert 'class="pagination"' not in page


def test_the_page_query_count_does_not_grow_with_participants(
    client_for, organiser, event, structure
):
    session = SessionFactory(event=event, capacity=500)
    client = client_for(organiser)

    def queries(**params):
        with CaptureQueriesContext(connection) as context:
            _page(client, event, **params)
        return len(context.captured_queries)

    RegistrationFactory.create_batch(3, session=session, person__owner_structure=structure)
    queries()
    few = queries()
    RegistrationFactory.create_batch(MANY, session=session, person__owner_structure=structure)
    assert queries() == few == queries(page=2)
