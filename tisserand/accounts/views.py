from django.contrib import messages
from django.shortcuts import redirect, render

from tisserand.accounts import services
from tisserand.accounts.forms import ProfileForm
from tisserand.accounts.mfa import has_totp
from tisserand.core.actor import Actor
from tisserand.core.forms import model_values
from tisserand.core.permissions import any_user, rule


@rule(any_user)
def profile(request):
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        services.update_profile(user, data=model_values(form), actor=Actor.from_request(request))
        messages.success(request, "Votre profil est enregistré.")
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "has_totp": has_totp(user),
            "memberships": request.memberships,
            "breadcrumbs": [("Mon compte", None)],
        },
    )
