from django.core.management.base import BaseCommand

from tisserand.referrals import tasks


class Command(BaseCommand):
    help = (
        "Relance les orientations sans réponse depuis 7 jours, fait expirer celles sans réponse "
        "depuis 15 jours et signale les services à mettre à jour (180 jours). À lancer chaque "
        "jour (cron) ; sans effet la seconde fois."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default=None,
            help="adresse du site pour les liens des e-mails (https://tisserand.example.org)",
        )

    def handle(self, *args, base_url=None, **options):
        result = tasks.run_schedule.enqueue(base_url)
        self.stdout.write(f"Tâche des orientations mise en file ({result.id}).")
