from tisserand.referentials.rome.importing.rome_import import import_rome
from tisserand.referentials.rome.management.commands._importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Importe le référentiel ROME 4.0 (dossier ou archive zip RefRomeCsv des fichiers "
        "unix_*_vNNN_utf8.csv). Une nouvelle version met à jour et marque obsolètes les codes "
        "disparus ; tout ou rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="dossier ou archive zip du paquet ROME")

    def handle(self, *args, **options):
        self.run_import(import_rome, options["path"])
