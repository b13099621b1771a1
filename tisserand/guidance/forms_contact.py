"""The counsellors' forms about a public contact request."""

from django import forms

from tisserand.guidance.contact_requests import assignees


class AssignmentForm(forms.Form):
    assigned_to = forms.ModelChoiceField(
        label="Attribuer à", queryset=None, empty_label="— Choisir —"
    )

    def __init__(self, *args, structure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = assignees(structure)
        self.fields["assigned_to"].label_from_instance = lambda user: str(user)
