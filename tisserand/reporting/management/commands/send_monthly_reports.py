"""Cron (the 1st of each month): enqueues last month's activity report to every director and
funder. Running it twice sends each report once."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from tisserand.reporting.tasks import enqueue_monthly_reports


class Command(BaseCommand):
    help = "Envoie le rapport d'activité du mois écoulé aux directions et aux financeurs."

    def add_arguments(self, parser):
        parser.add_argument("--mois", help="aaaa-mm (par défaut : le mois écoulé)")

    def handle(self, *args, mois=None, **options):
        if mois:
            year, month = (int(part) for part in mois.split("-"))
        else:
            today = timezone.localdate()
            year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
        count = enqueue_monthly_reports(year, month)
        self.stdout.write(f"Rapport {month:02d}/{year} : {count} envoi(s) mis en file.")
