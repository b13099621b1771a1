from tisserand.referentials.rome.importing.labour import import_tension
from tisserand.referentials.rome.management.commands._importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Importe les indicateurs de tension par métier et bassin d'emploi (fichier DARES / "
        "France Travail, séparateur « ; », virgule décimale)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="fichier tension_rome_bassin_AAAA.csv")
        parser.add_argument(
            "--bassins",
            help="lexique des bassins (colonnes BE19, NOMBE19, REG) pour nommer les bassins",
        )

    def handle(self, *args, **options):
        self.run_import(import_tension, options["path"], options["bassins"])
