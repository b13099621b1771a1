"""Errors of the engine, each with a French message fit for the user (pure Python, like
``core.errors``)."""

from tisserand.core.errors import DomainError


class GuidanceError(DomainError, ValueError):
    """A profile or a request the engine cannot serve (French message)."""


class EmptyProfileError(GuidanceError):
    def __init__(self):
        super().__init__(
            "Le profil est vide : indiquez au moins un métier exercé, une compétence, "
            "un centre d'intérêt ou répondez au questionnaire."
        )


class UnknownCodeError(GuidanceError):
    def __init__(self, what, codes):
        self.what = what
        self.codes = sorted(str(code) for code in codes)
        shown = ", ".join(self.codes[:5]) + ("…" if len(self.codes) > 5 else "")
        super().__init__(f"Code(s) inconnu(s) ({what}) : {shown}.")
