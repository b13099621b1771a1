from django import forms

from tisserand.companies.models import NeedSubject


class InviteLeaderForm(forms.Form):
    contact = forms.ModelChoiceField(queryset=None, label="Contact à inviter")

    def __init__(self, *args, establishment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = (
            establishment.contacts.filter(is_active=True)
            .exclude(email="")
            .order_by("last_name", "first_name")
        )
        self.fields["contact"].help_text = "Les contacts actifs ayant une adresse e-mail."


class LeaderNeedForm(forms.Form):
    subject = forms.ModelChoiceField(
        queryset=NeedSubject.objects.filter(is_active=True).order_by("kind", "order", "label"),
        label="Sujet",
    )
    description = forms.CharField(
        label="Décrivez votre besoin", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class NeedDescriptionForm(forms.Form):
    description = forms.CharField(
        label="Précisions", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class RegistrationForm(forms.Form):
    contact = forms.ModelChoiceField(queryset=None, label="Qui participera ?")

    def __init__(self, *args, establishment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = establishment.contacts.filter(is_active=True).order_by(
            "last_name", "first_name"
        )
