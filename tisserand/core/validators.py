"""Validators of the socle: identifiers that several layers store (structures, training bodies,
companies next), phone numbers (stored in E.164) and person names."""

import re

import phonenumbers
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


def normalise_phone(value, region="FR"):
    """The E.164 form of a French or international phone number (« 03 20 11 22 33 »,
    « +32 2 555 12 12 » → « +33320112233 »); « » stays « ». Raises ValidationError when the
    number is not a valid one."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(PHONE_MESSAGE, code="invalid_phone") from error
    if not phonenumbers.is_possible_number(number):
        raise ValidationError(PHONE_MESSAGE, code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_phone(value):
    """Model validator: the stored value must already be a valid number in E.164."""
    if value and normalise_phone(value) != value:
        raise ValidationError(PHONE_MESSAGE, code="invalid_phone")


def display_phone(value):
    """A stored E.164 number as people read it: national for France, international otherwise."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        return value
    if number.country_code == 33:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


PHONE_MESSAGE = (
    "Numéro de téléphone invalide : un numéro français (03 20 11 22 33) "
    "ou international commençant par + (+32 2 555 12 12)."
)


# Letters of any alphabet (accents included), separated by single spaces, hyphens or
# apostrophes (straight or typographic): « Marie-Hélène », « N'Diaye », « de la Tour ».
PERSON_NAME = re.compile(r"^[^\W\d_]+(?:(?: |-|'|’|' |’ )[^\W\d_]+)*$")


def validate_person_name(value):
    if value and not PERSON_NAME.match(value):
        raise ValidationError(
            "Un nom ne contient que des lettres, des espaces, des traits d'union et "
            "des apostrophes.",
            code="invalid_name",
        )
