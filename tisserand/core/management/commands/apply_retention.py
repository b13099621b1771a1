"""Run by a cron or a systemd timer (daily): the retention limits of personal data."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from tisserand.core import retention


def _day(value):
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"« {value} » n'est pas une date au format aaaa-mm-jj.") from error


class Command(BaseCommand):
    help = (
        "Applique les durées de conservation des données personnelles : prévient les référents "
        "à l'avance, puis anonymise ou supprime ce qui a dépassé sa durée (à lancer chaque jour "
        "par cron ou un minuteur systemd)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Affiche ce qui serait fait, sans rien changer.",
        )
        parser.add_argument("--date", type=_day, help="Le jour du traitement (aaaa-mm-jj).")
        parser.add_argument(
            "--table", action="store_true", help="Affiche la table des durées de conservation."
        )

    def handle(self, *args, dry_run=False, date=None, table=False, **options):
        if table:
            self._print_table()
            return
        for outcome in retention.apply(date, dry_run=dry_run):
            self._print_outcome(outcome, dry_run)

    def _print_table(self):
        for rule in retention.rules:
            self.stdout.write(
                f"{rule.key} — {rule.data} : {rule.duration} à compter {rule.starts_from}, "
                f"puis {rule.action} ({rule.legal_ground})."
            )

    def _print_outcome(self, outcome, dry_run):
        key = outcome.rule.key
        if not dry_run:
            self.stdout.write(
                f"{key} : {outcome.notified} avis envoyé(s), {outcome.processed} "
                f"traité(s) ({outcome.rule.action})."
            )
            return
        self.stdout.write(
            f"[simulation] {key} : {len(outcome.would_notify)} avis à envoyer, "
            f"{len(outcome.would_process)} à traiter ({outcome.rule.action})."
        )
        for name in outcome.would_notify:
            self.stdout.write(f"  avis : {name}")
        for name in outcome.would_process:
            self.stdout.write(f"  {outcome.rule.action} : {name}")
