from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from tisserand.accounts.mfa import must_set_up_mfa

# Paths a user without MFA may still reach: setting MFA up, logging out, static files.
MFA_SETUP_ALLOWED_PREFIXES = ("/compte/", "/static/", "/healthz", "/pages/")


class RequireMfaMiddleware:
    """Sends users who see personal data to the TOTP set-up until they have one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(MFA_SETUP_ALLOWED_PREFIXES) or not must_set_up_mfa(request.user):
            return self.get_response(request)
        messages.warning(
            request,
            "Votre rôle donne accès à des données personnelles : activez la double "
            "authentification (application TOTP) pour continuer.",
        )
        return redirect(reverse("mfa_activate_totp"))
