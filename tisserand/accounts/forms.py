from allauth.account import forms as allauth_forms
from django import forms

from tisserand.accounts.models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name"]


class LoginForm(allauth_forms.LoginForm):
    """The allauth login form, with plain French labels and no placeholder standing as label."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Adresse e-mail"
        self.fields["password"].help_text = ""
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)
