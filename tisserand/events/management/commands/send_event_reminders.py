"""Run by a cron or a systemd timer (every hour): the reminders of the sessions of tomorrow,
the satisfaction surveys of the events ended yesterday, and the forgetting of the public
registrants of past events."""

from django.core.management.base import BaseCommand

from tisserand.events import services, tasks


class Command(BaseCommand):
    help = (
        "Met en file les rappels des séances qui commencent dans les 24 heures (une fois par "
        "séance), les questionnaires de satisfaction des événements terminés la veille (une "
        "fois par participant présent) et efface les coordonnées des inscrits publics des "
        f"événements passés depuis plus de {services.PUBLIC_DATA_DAYS} jours."
    )

    def handle(self, *args, **options):
        count = tasks.enqueue_day_before()
        surveys = tasks.enqueue_satisfaction()
        forgotten = services.forget_public_registrants()
        self.stdout.write(
            f"{count} rappel(s) et {surveys} questionnaire(s) de satisfaction mis en file "
            f"d'envoi ; {forgotten} inscription(s) publique(s) anonymisée(s)."
        )
