from django.core.management.base import BaseCommand, CommandError

from tisserand.referentials.geo.epci import import_epci_file
from tisserand.referentials.geo.files import ImportFailed


class Command(BaseCommand):
    help = (
        "Importe la composition des EPCI depuis le fichier INSEE « Composition communale des "
        "EPCI » enregistré en CSV (colonnes CODGEO, EPCI, LIBEPCI), ou depuis le JSON de la DGCL "
        "livré (data/geo/epci.json.xz). Rien n'est écrit en cas "
        "d'erreur."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="fichier CSV")
        parser.add_argument("--encodage", default="utf-8", help="encodage (utf-8 par défaut)")

    def handle(self, file, encodage, **options):
        try:
            epcis, communes = import_epci_file(file, encodage)
        except ImportFailed as error:
            raise CommandError(f"Import annulé, rien n'a été écrit. {error}") from None
        except LookupError:
            raise CommandError(f"Encodage inconnu : {encodage}.") from None
        self.stdout.write(self.style.SUCCESS(f"{epcis} EPCI, {communes} communes rattachées."))
