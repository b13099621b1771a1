"""Run by a cron or a systemd timer (every hour): the reminders of the sessions of tomorrow,
and the forgetting of the public registrants of past events."""

from django.core.management.base import BaseCommand

from tisserand.events import services, tasks


class Command(BaseCommand):
    help = (
        "Met en file les rappels des séances qui commencent dans les 24 heures (une fois par "
        "séance) et efface les coordonnées des inscrits publics des événements passés depuis "
        f"plus de {services.PUBLIC_DATA_DAYS} jours."
    )

    def handle(self, *args, **options):
        count = tasks.enqueue_day_before()
        forgotten = services.forget_public_registrants()
        self.stdout.write(
            f"{count} rappel(s) mis en file d'envoi ; {forgotten} inscription(s) publique(s) "
            "anonymisée(s)."
        )
