from django.core.management.base import BaseCommand

from tisserand.referrals import tasks


class Command(BaseCommand):
    help = (
        "Relance les orientations sans réponse depuis 7 jours, fait expirer celles sans réponse "
        "depuis 15 jours et signale les services à mettre à jour (180 jours). À lancer chaque "
        "jour (cron) ; sans effet la seconde fois."
    )

    def handle(self, *args, **options):
        result = tasks.run_schedule.enqueue()
        self.stdout.write(f"Tâche des orientations mise en file ({result.id}).")
