"""The companies app's errors: every broken rule about a company record derives from
``CompanyError`` (a ``core.errors.DomainError``, its French message fit for the user)."""

from tisserand.core.errors import DomainError


class CompanyError(DomainError):
    """A broken rule about a company record, with its French message."""
