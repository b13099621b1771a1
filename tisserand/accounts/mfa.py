"""Who must use two-factor authentication."""

from allauth.mfa.models import Authenticator
from django.conf import settings

from tisserand.accounts.hooks import sees_personal_data


def has_totp(user):
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def must_set_up_mfa(user):
    """True when MFA is required here and the user sees personal data without a TOTP device."""
    if not settings.TISSERAND_MFA_REQUIRED or not user.is_authenticated:
        return False
    return sees_personal_data(user) and not has_totp(user)
