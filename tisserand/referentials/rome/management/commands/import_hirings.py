from tisserand.referentials.rome.importing.labour import import_hirings
from tisserand.referentials.rome.management.commands._importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Importe les embauches par code ROME et code NAF (rome_naf_hirings.csv) ; les codes "
        "ROME v3 sont rattachés aux fiches 4.0 (même code, sinon par le code parent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="fichier rome_id,rome_label,naf_id,naf_label,hirings")

    def handle(self, *args, **options):
        self.run_import(import_hirings, options["path"])
