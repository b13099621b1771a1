"""What the import commands share: French errors, a one-line summary of the run."""

import json

from django.core.management.base import BaseCommand, CommandError

from tisserand.referentials.rome.importing.csvfiles import ImportRefused


class ImportCommand(BaseCommand):
    def run_import(self, function, *args):
        try:
            run = function(*args)
        except ImportRefused as error:
            raise CommandError(f"Import annulé, rien n'a été écrit — {error}") from None
        self.stdout.write(
            self.style.SUCCESS(f"{run.get_kind_display()} {run.version} importé ({run.source}).")
        )
        self.stdout.write(json.dumps(run.stats, ensure_ascii=False, indent=1))
        return run
