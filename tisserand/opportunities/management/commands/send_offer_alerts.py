"""Daily (cron): offers past their end expire, counsellors are reminded of introductions
about to expire, introductions without answer for 30 days expire, and each saved search's
digest of new offers is queued."""

from django.core.management.base import BaseCommand

from tisserand.opportunities import services, tasks


class Command(BaseCommand):
    help = "Expire les offres et mises en relation échues, puis envoie les alertes d'offres."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="", help="Adresse du site, pour les liens.")

    def handle(self, *args, base_url="", **options):
        expired = services.expire_offers()
        reminded = services.send_reminders()
        stale = services.expire_introductions()
        queued = tasks.enqueue_alerts(base_url.rstrip("/"))
        self.stdout.write(
            f"{expired} offre(s) expirée(s), {reminded} relance(s), "
            f"{stale} mise(s) en relation expirée(s), "
            f"{queued} alerte(s) mise(s) en file."
        )
