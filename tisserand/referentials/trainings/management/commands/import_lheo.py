from django.core.management.base import BaseCommand, CommandError

from tisserand.referentials.trainings.importer import import_lheo_file
from tisserand.referentials.trainings.lheo import LheoError


class Command(BaseCommand):
    help = (
        "Importe un fichier d'offres de formation LHÉO 2.3 (ou 2.2), éventuellement compressé "
        "(.gz, .xz). Tout ou rien : à la moindre erreur, rien n'est enregistré."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="chemin du fichier LHÉO (.xml, .xml.gz, .xml.xz)")
        parser.add_argument(
            "--demo",
            action="store_true",
            help="marque les formations importées comme données de démonstration",
        )

    def handle(self, *args, file, demo, **options):
        try:
            report = import_lheo_file(file, is_demo=demo)
        except LheoError as error:
            raise CommandError(error.report()) from error
        self.stdout.write(self.style.SUCCESS(report.summary()))
