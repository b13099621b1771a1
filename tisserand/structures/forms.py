from django import forms
from django.contrib.auth import password_validation
from django.utils import timezone

from tisserand.core.forms import PhoneField
from tisserand.referentials.geo.models import Commune
from tisserand.referentials.geo.services import commune_for_postal_code
from tisserand.structures.models import INVITATION_VALIDITY, Invitation, Membership, Structure
from tisserand.structures.roles import Role


class StructureForm(forms.ModelForm):
    phone = PhoneField(label="Téléphone", required=False)

    class Meta:
        model = Structure
        fields = [
            "name",
            "address_line",
            "postal_code",
            "commune_name",
            "commune_insee",
            "phone",
            "email",
        ]

    def clean(self):
        """Once the communes are loaded, the INSEE code must be a commune the postal code
        serves; its official name is then taken from the referential."""
        cleaned = super().clean()
        postal_code, insee = cleaned.get("postal_code"), cleaned.get("commune_insee")
        if not postal_code or not insee or not communes_loaded():
            return cleaned
        served = {c.insee_code: c for c in commune_for_postal_code(postal_code)}
        if insee.upper() in served:
            cleaned["commune_name"] = served[insee.upper()].name
            return cleaned
        names = ", ".join(f"{c.name} ({c.insee_code})" for c in served.values())
        self.add_error(
            "commune_insee",
            f"Le code postal {postal_code} dessert : {names}."
            if names
            else f"Aucune commune ne correspond au code postal {postal_code}.",
        )
        return cleaned


def communes_loaded():
    return Commune.objects.exists()


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Adresse e-mail professionnelle")
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    role = forms.ChoiceField(label="Rôle", choices=Role.choices, widget=forms.RadioSelect)

    def __init__(self, *args, structure, **kwargs):
        self.structure = structure
        super().__init__(*args, **kwargs)

    def clean_email(self):
        return self.cleaned_data["email"].lower()

    def clean(self):
        cleaned = super().clean()
        email, role = cleaned.get("email"), cleaned.get("role")
        if not email or not role:
            return cleaned
        if Membership.objects.filter(
            structure=self.structure, user__email=email, role=role, is_active=True
        ).exists():
            self.add_error("email", "Cette personne est déjà membre de la structure avec ce rôle.")
        elif Invitation.objects.filter(
            structure=self.structure,
            email=email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            created_at__gt=timezone.now() - INVITATION_VALIDITY,
        ).exists():
            self.add_error("email", "Une invitation est déjà en attente pour cette adresse.")
        return cleaned


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Confirmation du mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        self.invitation = invitation
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = " ".join(
            password_validation.password_validators_help_texts()
        )

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "Les deux mots de passe ne sont pas identiques.")
        elif password1:
            probe = _UserProbe(self.invitation)
            try:
                password_validation.validate_password(password1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class _UserProbe:
    """What the similarity validator compares a new password with, before the user exists."""

    def __init__(self, invitation):
        self.email = invitation.email
        self.first_name = invitation.first_name
        self.last_name = invitation.last_name
