from django.core.management.base import BaseCommand

from tisserand.core.reference_data import loaders


class Command(BaseCommand):
    help = "Charge les données de référence livrées avec le projet (idempotent)."

    def handle(self, *args, **options):
        for loader in loaders():
            self.stdout.write(f"Référentiel « {loader.name} »…")
            loader.load(self.stdout)
