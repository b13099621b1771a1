from django import forms

from tisserand.companies.models import Establishment, HrClub, HrClubSession
from tisserand.core.documents import DocumentField
from tisserand.core.forms import DateInput


class ClubForm(forms.ModelForm):
    class Meta:
        model = HrClub
        fields = ["name", "theme", "is_active"]


class MemberForm(forms.Form):
    siret = forms.CharField(
        label="SIRET de l'entreprise membre", max_length=17, help_text="14 chiffres."
    )
    joined_on = forms.DateField(label="Membre depuis", widget=DateInput(), required=False)

    def clean_siret(self):
        siret = "".join(self.cleaned_data["siret"].split())
        establishment = (
            Establishment.objects.select_related("legal_unit").filter(siret=siret).first()
        )
        if establishment is None:
            raise forms.ValidationError(
                "Aucune entreprise de la base n'a ce SIRET : créez d'abord sa fiche."
            )
        self.cleaned_data["establishment"] = establishment
        return siret


class AttendeeForm(forms.Form):
    contact = forms.ModelChoiceField(queryset=None, label="Contact de l'entreprise")

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = member.establishment.contacts.filter(
            is_active=True
        ).order_by("last_name", "first_name")


class SessionForm(forms.ModelForm):
    class Meta:
        model = HrClubSession
        fields = ["date", "title", "place", "capacity"]
        widgets = {"date": DateInput()}


class ResourceForm(forms.Form):
    title = forms.CharField(label="Titre de la ressource", max_length=200)
    file = DocumentField(label="Fichier")
