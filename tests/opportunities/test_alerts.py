"""Saved searches' daily digests: new matching offers only, never twice, with an opt-out
link that works without logging in."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.opportunities.factories import ft_offer
from tests.opportunities.helpers import territory
from tisserand.core.actor import Actor
from tisserand.opportunities import alerts, services, tasks
from tisserand.opportunities.importing import francetravail, sync
from tisserand.opportunities.models import AlertDelivery, OfferSource, SavedSearch


@pytest.fixture
def area():
    return territory()


def load(offers):
    sync.sync(francetravail.parse(offers), source=OfferSource.FRANCE_TRAVAIL)


@pytest.fixture
def saved(referent, area):
    search, token = services.save_search(
        data={
            "label": "Boulangerie à Roubaix",
            "params": {"text": "boulanger", "commune": "59512", "radius_km": 10},
        },
        actor=Actor.of(referent),
    )
    SavedSearch.objects.filter(pk=search.pk).update(
        last_alert_at=timezone.now() - timedelta(days=1)
    )
    return search


def test_a_digest_carries_new_matching_offers_once(saved, area):
    load(
        [
            ft_offer("A"),
            ft_offer("LOIN", lieuTravail={"latitude": 51.03, "longitude": 2.37}),
            ft_offer(
                "AUTRE",
                intitule="Plombier",
                appellationlibelle="Plombier",
                entreprise={"nom": "Plomberie"},
            ),
        ]
    )
    assert alerts.send_digest(saved.pk, "https://tisserand.exemple") == 1
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Boulanger / Boulangère H/F" in body and "Plombier" not in body
    assert "https://tisserand.exemple/offres/alertes/desabonnement/" in body
    assert alerts.send_digest(saved.pk) == 0
    assert len(mail.outbox) == 1
    assert AlertDelivery.objects.count() == 1


def test_the_task_queue_is_idempotent(saved, area):
    load([ft_offer("A")])
    assert tasks.enqueue_alerts() == 1
    tasks.enqueue_alerts()
    assert len(mail.outbox) == 1


def test_the_opt_out_link_stops_the_alerts(client, saved, area):
    load([ft_offer("A")])
    alerts.send_digest(saved.pk)
    link = [word for word in mail.outbox[0].body.split() if "desabonnement" in word][0]
    assert client.get(link).status_code == 200
    assert SavedSearch.objects.get().alerts  # a GET (a mail scanner) changes nothing
    page = client.post(link)
    assert "ne recevrez plus" in page.content.decode()
    assert not SavedSearch.objects.get().alerts
    load([ft_offer("A"), ft_offer("B")])
    assert alerts.send_digest(saved.pk) == 0
    assert (
        "plus) valable"
        in client.post(reverse("opportunities:unsubscribe", args=["faux"])).content.decode()
    )


def test_the_daily_command(saved, area):
    from io import StringIO

    from django.core.management import call_command

    load([ft_offer("A")])
    out = StringIO()
    call_command("send_offer_alerts", stdout=out)
    assert "1 alerte(s) mise(s) en file" in out.getvalue()
    assert len(mail.outbox) == 1
