"""Validators of the socle: identifiers that several layers store (structures, training bodies,
companies next)."""

from django.core.exceptions import ValidationError
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret


def validate_siret(value):
    try:
        siret.validate(value)
    except StdnumError as error:
        raise ValidationError(
            "SIRET invalide : 14 chiffres dont le dernier est une clé de contrôle.",
            code="invalid_siret",
        ) from error
