"""The daily digest of a saved search: the offers matching it published since its last alert
and never sent to it (``AlertDelivery``, unique per search and offer), with an opt-out link.
Running it twice sends nothing twice."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from tisserand.opportunities import search as offer_search
from tisserand.opportunities import services
from tisserand.opportunities.models import AlertDelivery, SavedSearch
from tisserand.referentials.geo.models import Commune
from tisserand.referentials.rome.models import Appellation

MAX_PER_DIGEST = 30


def criteria_of(params):
    appellation = (
        Appellation.objects.filter(code_ogr=params["appellation"]).select_related("fiche").first()
        if params.get("appellation")
        else None
    )
    commune = Commune.objects.filter(insee_code=params.get("commune") or "").first()
    return offer_search.Criteria(
        appellation=appellation,
        fiche=appellation.fiche if appellation else None,
        with_neighbours=bool(params.get("with_neighbours")),
        commune=commune,
        radius_km=params.get("radius_km") or offer_search.DEFAULT_RADIUS,
        contract_types=params.get("contract_types") or [],
        experience=params.get("experience") or "",
        working_time=params.get("working_time") or "",
        alternance=bool(params.get("alternance")),
        accessible_th=bool(params.get("accessible_th")),
        siae=bool(params.get("siae")),
        adapted=bool(params.get("adapted")),
        source=params.get("source") or "",
        text=params.get("text") or "",
        since_days=params.get("since_days") or 0,
    )


def send_digest(search_id, base_url="", now=None):
    """Sends one search's digest if it has new offers; returns how many offers it carried."""
    now = now or timezone.now()
    with transaction.atomic():
        saved = (
            SavedSearch.objects.select_for_update()
            .select_related("user")
            .filter(pk=search_id, alerts=True)
            .first()
        )
        if saved is None or not saved.user.email:
            return 0
        offers = offer_search.search(criteria_of(saved.params))
        if saved.last_alert_at:
            offers = offers.filter(created_at__gt=saved.last_alert_at)
        sent = AlertDelivery.objects.filter(search=saved).values("offer_id")
        offers = list(offers.exclude(pk__in=sent)[:MAX_PER_DIGEST])
        saved.last_alert_at = now
        saved.save(update_fields=["last_alert_at"])
        if not offers:
            return 0
        try:
            AlertDelivery.objects.bulk_create(
                [AlertDelivery(search=saved, offer=offer, sent_at=now) for offer in offers]
            )
        except IntegrityError:
            return 0
        token, saved.unsubscribe_digest = services.new_token()
        saved.save(update_fields=["unsubscribe_digest"])
        context = {
            "search": saved,
            "offers": offers,
            "base_url": base_url,
            "unsubscribe_url": base_url + reverse("opportunities:unsubscribe", args=[token]),
        }
    # Sent once the deliveries are committed: a digest is never sent twice (at most once).
    send_mail(
        f"{len(offers)} nouvelle(s) offre(s) : {saved.label}",
        render_to_string("opportunities/email/alert.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [saved.user.email],
    )
    return len(offers)


def due_searches():
    return SavedSearch.objects.filter(alerts=True).values_list("pk", flat=True)
