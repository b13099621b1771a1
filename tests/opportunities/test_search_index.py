"""Keyword search of offers: on PostgreSQL a trigram index (pg_trgm) answers it, created by a
migration only there; the results are the same on SQLite and PostgreSQL."""

import pytest
from django.db import connection

from tests.opportunities.factories import JobOfferFactory
from tisserand.opportunities import search
from tisserand.opportunities.importing.sync import offer_search_text
from tisserand.opportunities.models import JobOffer, OfferSource, OfferStatus

INDEX = "opp_offer_search_trgm"
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigram index exists on PostgreSQL only"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own behaviour")

TITLES = {
    "boul": "Boulanger / Boulangère H/F",
    "patis": "Pâtissier en boulangerie",
    "aide": "Aide à domicile (H/F) — ÉTÉ 2027",
    "cent": "Vendeur 100% terrain",
    "under": "Agent d_accueil",  # « _ » would match any character in a bare LIKE
    "soudeur": "Soudeur TIG",
}


def _offer(title, **values):
    text = offer_search_text({"title": title, **values})
    return JobOfferFactory(title=title, search_text=text, status=OfferStatus.OPEN)


def titles_found(text):
    return sorted(offer.title for offer in search.search(search.Criteria(text=text)))


@pytest.fixture
def offers():
    return {key: _offer(title) for key, title in TITLES.items()}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("boulang", ["boul", "patis"]),
        ("BOULANGÈRE", ["boul"]),
        ("patissier boulangerie", ["patis"]),
        ("pâtissier soudeur", []),
        ("ete", ["aide"]),  # « ÉTÉ » folded
        ("100%", ["cent"]),  # punctuation is folded away, never a LIKE wildcard
        ("d_acc", ["under"]),
        ("h/f", ["aide", "boul"]),
        ("  ", sorted(TITLES)),
        ("inconnu", []),
    ],
)
def test_the_results_are_the_same_on_both_databases(offers, text, expected):
    assert titles_found(text) == sorted(TITLES[key] for key in expected)


@on_sqlite
def test_sqlite_has_no_trigram_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name = %s", [INDEX])
        assert cursor.fetchall() == []


@on_postgresql
def test_postgresql_has_the_trigram_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [INDEX])
        [(definition,)] = cursor.fetchall()
    assert "gin" in definition and "gin_trgm_ops" in definition and "search_text" in definition


def _bulk_offers(count):
    JobOffer.objects.bulk_create(
        JobOffer(
            source=OfferSource.OWN,
            title=f"Offre {n}",
            positions=1,
            status=OfferStatus.OPEN,
            search_text=f"offre numero {n} agent de proprete roubaix",
        )
        for n in range(count)
    )


def _plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@on_postgresql
def test_postgresql_answers_the_keyword_search_from_the_index(offers):
    """The search's queries are served by the index. (On a table this small the planner might
    rather read it all: sequential scans are priced out, for the test only. From about 30,000
    offers it picks the index by itself.)"""
    _bulk_offers(20_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE opportunities_joboffer")
        cursor.execute("SET LOCAL enable_seqscan = off")
    found = search.search(search.Criteria(text="soudeur"))
    assert INDEX in _plan(found)
    assert INDEX in _plan(found[:20])
    assert INDEX in _plan(found.order_by())  # the paginator's count
    assert [offer.title for offer in found] == [TITLES["soudeur"]]
