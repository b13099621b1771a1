"""Run by a cron or a systemd timer (every 15 minutes): reminders of upcoming appointments."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from tisserand.appointments import reminders, tasks


class Command(BaseCommand):
    help = (
        "Met en file l'envoi des rappels par e-mail des rendez-vous qui commencent dans les "
        "prochaines heures (24 h par défaut). Chaque rappel n'est envoyé qu'une fois."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--heures",
            type=int,
            default=None,
            help="Délai avant le rendez-vous, en heures (défaut : APPOINTMENT_REMINDER_HOURS "
            f"ou {reminders.DEFAULT_LEAD_HOURS}).",
        )
        parser.add_argument(
            "--direct",
            action="store_true",
            help="Envoie les rappels dans ce processus au lieu de les confier au worker.",
        )

    def handle(self, *args, heures, direct, **options):
        lead = timedelta(hours=heures) if heures else None
        if direct:
            ids = list(reminders.due(lead=lead).values_list("pk", flat=True))
            sent = sum(1 for pk in ids if reminders.send(pk, lead=lead))
            sms_ids = list(reminders.due_sms(lead=lead).values_list("pk", flat=True))
            sms = sum(1 for pk in sms_ids if reminders.send_sms_reminder(pk, lead=lead))
            self.stdout.write(f"{sent} rappel(s) envoyé(s) par e-mail, {sms} par SMS.")
        else:
            count = tasks.enqueue_due(lead=lead)
            self.stdout.write(f"{count} rappel(s) mis en file d'envoi.")
