from tisserand.core.errors import DomainError


class OfferFileRejected(DomainError):
    """The file has errors: nothing was written. ``errors`` lists them, in French."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__(
            f"Le fichier est refusé ({len(self.errors)} erreur(s)) : aucune offre n'a été "
            "enregistrée."
        )
