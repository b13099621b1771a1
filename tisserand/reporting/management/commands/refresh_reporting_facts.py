"""Cron (each night): checks the facts of the accompaniments that the dashboards count against
the live data and writes again any row that differs (there should be none: every write keeps
them in step); ``--tout`` rebuilds the whole table (after a bulk load)."""

from django.core.management.base import BaseCommand

from tisserand.reporting import facts


class Command(BaseCommand):
    help = "Vérifie et corrige les faits des accompagnements lus par le pilotage."

    def add_arguments(self, parser):
        parser.add_argument(
            "--tout", action="store_true", help="reconstruit toute la table (après un chargement)"
        )

    def handle(self, *args, tout=False, **options):
        if tout:
            count = facts.rebuild()
            self.stdout.write(
                f"Faits du pilotage reconstruits : {count} accompagnements et mises en relation."
            )
            return
        corrected = facts.correct()
        self.stdout.write(f"Faits du pilotage vérifiés : {corrected} ligne(s) corrigée(s).")
