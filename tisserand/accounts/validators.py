from django.core.exceptions import ValidationError


class CharacterClassesValidator:
    """A password mixes at least three kinds of characters (lower, upper, digit, symbol)."""

    required_classes = 3

    def _classes(self, password):
        return sum(
            [
                any(c.islower() for c in password),
                any(c.isupper() for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password),
            ]
        )

    def validate(self, password, user=None):
        if self._classes(password) < self.required_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return (
            "Le mot de passe doit mélanger au moins trois types de caractères parmi : "
            "minuscules, majuscules, chiffres et symboles."
        )
