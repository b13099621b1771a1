from tisserand.referentials.rome.importing.labour import import_naf
from tisserand.referentials.rome.management.commands._importing import ImportCommand


class Command(ImportCommand):
    help = "Importe la NAF rév. 2 : sous-classes (naf_id|naf_label) et sections (code,label)."

    def add_arguments(self, parser):
        parser.add_argument("subclasses", help="fichier des 732 sous-classes (naf_labels.csv)")
        parser.add_argument("sections", help="fichier des 21 sections (naf_section_labels.csv)")

    def handle(self, *args, **options):
        self.run_import(import_naf, options["subclasses"], options["sections"])
