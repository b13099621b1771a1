from django.core.management.base import BaseCommand, CommandError

from tisserand.referentials.geo.files import ImportFailed
from tisserand.referentials.geo.qpv_import import import_qpv_file


class Command(BaseCommand):
    help = (
        "Importe les contours des quartiers prioritaires (QPV 2024) depuis le GeoJSON officiel "
        "QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson (propriétés code_qp, lib_qp, "
        "insee_dep, insee_com, lib_com, siren_epci). Les communes doivent être importées avant "
        "(import_geo). Le fichier est entièrement vérifié ; rien n'est écrit en cas d'erreur."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="fichier GeoJSON (éventuellement .gz ou .xz)")
        parser.add_argument("--encodage", default="utf-8", help="encodage (utf-8 par défaut)")

    def handle(self, file, encodage, **options):
        try:
            record = import_qpv_file(file, encodage)
        except ImportFailed as error:
            raise CommandError(f"Import annulé, rien n'a été écrit. {error}") from None
        except LookupError:
            raise CommandError(f"Encodage inconnu : {encodage}.") from None
        self.stdout.write(self.style.SUCCESS(f"{record.qpv_count} QPV importés."))
        if record.repaired_codes:
            self.stdout.write(
                "Contours réparés (ils se recoupaient ou étaient mal fermés) : "
                f"{', '.join(record.repaired_codes)}."
            )
