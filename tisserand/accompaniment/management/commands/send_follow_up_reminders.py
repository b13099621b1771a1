"""Daily: e-mails the référents of the 6-month follow-ups coming due (see reminders.py)."""

from django.core.management.base import BaseCommand

from tisserand.accompaniment import reminders


class Command(BaseCommand):
    help = "Envoie aux référents le rappel des suivis à 6 mois qui arrivent à échéance."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default="",
            help="Adresse du site, pour le lien du message (ex. https://tisserand.example.org).",
        )

    def handle(self, *args, base_url="", **options):
        sent = reminders.send_due(base_url=base_url)
        self.stdout.write(f"{sent} rappel(s) de suivi à 6 mois envoyé(s).")
