"""Who must use two-factor authentication."""

from allauth.mfa.models import Authenticator
from django.conf import settings


def has_totp(user):
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def must_set_up_mfa(user):
    """True when MFA is required here and the user sees personal data without a TOTP device."""
    if not settings.TISSERAND_MFA_REQUIRED or not user.is_authenticated:
        return False
    from tisserand.structures.roles import any_role_sees_personal_data

    roles = user.memberships.filter(is_active=True).values_list("role", flat=True)
    return any_role_sees_personal_data(roles) and not has_totp(user)
