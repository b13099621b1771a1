from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tisserand.referrals import importing, thematics


class Command(BaseCommand):
    help = (
        "Importe des structures et des services au schéma data·inclusion (JSON ou CSV) : tout "
        "le fichier est vérifié d'abord ; un fichier avec une erreur n'écrit rien ; réimporter "
        "le même fichier ne change rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="fichiers JSON ou CSV data·inclusion")
        parser.add_argument("--dry-run", action="store_true", help="prévisualiser seulement")

    def handle(self, *args, files, dry_run, **options):
        thematics.ensure_loaded()
        for name in files:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name} : fichier introuvable.")
            try:
                plan = importing.read(path.read_bytes(), path.name)
            except importing.ImportRefused as error:
                raise CommandError(f"{name} : {error}") from error
            if not plan.ok:
                raise CommandError(f"{name} : rien n'a été importé.\n" + "\n".join(plan.errors))
            summary = plan.summary() if dry_run else importing.apply(plan)
            verb = "à importer" if dry_run else "importé"
            self.stdout.write(
                f"{name} ({verb}) : structures {summary['structure_created']} créées, "
                f"{summary['structure_updated']} mises à jour, "
                f"{summary['structure_unchanged']} inchangées ; services "
                f"{summary['service_created']} créés, {summary['service_updated']} mis à jour, "
                f"{summary['service_unchanged']} inchangés."
            )
