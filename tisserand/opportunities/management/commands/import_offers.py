"""Import offers: a France Travail « Offres d'emploi v2 » JSON file, a partner's CSV/XLSX
file, or — when credentials are configured — the France Travail API itself."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tisserand.opportunities.importing import api, francetravail, partners, reading, sync
from tisserand.opportunities.importing.errors import OfferFileRejected
from tisserand.opportunities.models import OfferSource


class Command(BaseCommand):
    help = (
        "Synchronise les offres d'un fichier France Travail, d'un fichier partenaire ou de l'API."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="Fichier JSON, CSV ou XLSX.")
        parser.add_argument(
            "--partenaire", default="", help="Nom du partenaire (fichier CSV/XLSX)."
        )
        parser.add_argument("--api", action="store_true", help="Lire l'API France Travail.")
        parser.add_argument("--departement", default="59")
        parser.add_argument("--jours", type=int, default=30)
        parser.add_argument("--apercu", action="store_true", help="Afficher sans enregistrer.")

    def handle(
        self,
        *args,
        path=None,
        partenaire="",
        api=False,
        departement="59",
        jours=30,
        apercu=False,
        **options,
    ):
        partner_name = ""
        try:
            if api:
                credentials = self._credentials()
                client = self._client(*credentials)
                drafts = francetravail.parse(
                    client.offers({"departement": departement}, days=jours)
                )
                source, name = OfferSource.FRANCE_TRAVAIL, "API France Travail"
            elif path and not Path(path).is_file():
                raise CommandError(f"{path} : fichier introuvable.")
            elif path and path.lower().endswith(".json"):
                drafts = francetravail.load_file(path)
                source, name = OfferSource.FRANCE_TRAVAIL, Path(path).name
            elif path:
                if not partenaire:
                    raise CommandError("Indiquez --partenaire pour un fichier CSV ou XLSX.")
                drafts = partners.parse(path, reading.content_of(path), partner_name=partenaire)
                source, name, partner_name = OfferSource.PARTNER_FILE, Path(path).name, partenaire
            else:
                raise CommandError("Indiquez un fichier, ou --api.")
        except OfferFileRejected as error:
            for message in error.errors[:50]:
                self.stderr.write(message)
            raise CommandError(str(error)) from error
        result = sync.plan(drafts, source=source, partner_name=partner_name)
        if apercu:
            self.stdout.write(f"Aperçu : {result.summary}.")
            return
        run = sync.apply(result, source=source, partner_name=partner_name, file_name=name)
        self.stdout.write(
            f"{run.created} créée(s), {run.updated} mise(s) à jour, {run.unchanged} inchangée(s), "
            f"{run.closed} clôturée(s)."
        )

    def _credentials(self):
        credentials = api.credentials()
        if credentials is None:
            raise CommandError(
                "Identifiants de l'API France Travail absents "
                "(TISSERAND_FRANCE_TRAVAIL_CLIENT_ID et _CLIENT_SECRET)."
            )
        return credentials

    def _client(self, client_id, secret):
        return api.Client(client_id, secret)
