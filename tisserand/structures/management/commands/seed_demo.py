from django.core.management.base import BaseCommand

from tisserand.core.demo import seeders
from tisserand.structures import demo


class Command(BaseCommand):
    help = "Crée le territoire de démonstration (idempotent) et affiche les comptes de démo."

    def handle(self, *args, **options):
        demo.seed()
        for seeder in seeders():
            self.stdout.write(f"Démo « {seeder.name} »…")
            seeder.seed(self.stdout)
        ready = "Territoire de démonstration prêt (données fictives)."
        self.stdout.write(self.style.SUCCESS(ready))
        self.stdout.write(f"Comptes de démonstration — mot de passe commun : {demo.DEMO_PASSWORD}")
        for email, roles in demo.demo_accounts():
            self.stdout.write(f"  {email:34} {roles}")
