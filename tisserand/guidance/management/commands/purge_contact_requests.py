from django.core.management.base import BaseCommand

from tisserand.guidance.services import RETENTION_DAYS, purge_contact_requests


class Command(BaseCommand):
    help = (
        f"Supprime les demandes de contact de l'orientation reçues il y a plus de "
        f"{RETENTION_DAYS} jours (à lancer chaque jour par cron ou un minuteur systemd)."
    )

    def handle(self, *args, **options):
        deleted = purge_contact_requests()
        self.stdout.write(f"{deleted} demande(s) de contact supprimée(s).")
