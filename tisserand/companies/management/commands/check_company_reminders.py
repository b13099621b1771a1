"""Run once a day by a cron or a systemd timer: the companies' reminders and questions."""

from django.core.management.base import BaseCommand

from tisserand.companies import tasks


class Command(BaseCommand):
    help = (
        "Met en file les rappels du jour des entreprises : prochaines actions du journal, "
        "besoins en attente depuis 9 et 21 jours, abandon après 45 jours, questions de "
        "satisfaction après clôture. Chaque envoi n'a lieu qu'une fois."
    )

    def handle(self, *args, **options):
        counts = tasks.check_due()
        self.stdout.write(
            f"{counts['next_actions']} rappel(s) de prochaine action, "
            f"{counts['waiting_reminders']} relance(s) de besoin en attente, "
            f"{counts['abandoned']} abandon(s), "
            f"{counts['satisfaction']} question(s) de satisfaction mis en file."
        )
