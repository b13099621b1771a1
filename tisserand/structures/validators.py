"""Validators of the structures' fields. The SIRET one is the socle's
(``tisserand.core.validators``): training bodies and companies store SIRETs too."""

from django.core.exceptions import ValidationError


def validate_insee_code(value):
    value = value.upper()
    if len(value) != 5 or not (value[:2].isdigit() or value[:2] in {"2A", "2B"}):
        raise ValidationError(
            "Code commune INSEE invalide : 5 caractères (ex. 59512 pour Roubaix).",
            code="invalid_insee",
        )
    if not value[2:].isdigit():
        raise ValidationError("Code commune INSEE invalide.", code="invalid_insee")


def validate_postal_code(value):
    if len(value) != 5 or not value.isdigit():
        raise ValidationError("Code postal invalide : 5 chiffres.", code="invalid_postal_code")
