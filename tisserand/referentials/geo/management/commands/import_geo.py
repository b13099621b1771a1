import time

from django.core.management.base import BaseCommand, CommandError

from tisserand.referentials.geo.files import ImportFailed
from tisserand.referentials.geo.territory import import_territory


class Command(BaseCommand):
    help = (
        "Importe les communes, codes postaux, départements, régions et bassins d'emploi depuis "
        "un dossier contenant communes.csv, laposte_hexasmal.csv, lexique_bassins.csv et "
        "bassin_emploi_communes.csv (éventuellement compressés en .xz ou .gz). "
        "En cas d'erreur, rien n'est écrit."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="dossier contenant les fichiers")

    def handle(self, directory, **options):
        started = time.perf_counter()
        try:
            record, notes = import_territory(directory)
        except ImportFailed as error:
            raise CommandError(f"Import annulé, rien n'a été écrit. {error}") from None
        for note in notes:
            self.stdout.write(f"Remarque : {note}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{record.communes} communes, {record.postal_codes} codes postaux, "
                f"{record.bassins} bassins d'emploi importés "
                f"en {time.perf_counter() - started:.1f} s."
            )
        )
