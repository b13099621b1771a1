from tisserand.referentials.rome.importing.labour import import_fap_tension
from tisserand.referentials.rome.management.commands._importing import ImportCommand


class Command(ImportCommand):
    help = "Importe la tension par famille professionnelle (metiers_tension_fap.csv)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="fichier fap_code,fap,tension_pct,rome_code,rome_label")

    def handle(self, *args, **options):
        self.run_import(import_fap_tension, options["path"])
