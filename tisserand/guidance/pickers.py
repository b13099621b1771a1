"""Pickers of the public pages: the same referential pickers, open to visitors without an
account (the proposals are public reference data), served by the guidance app's endpoint."""

from django.urls import reverse

from tisserand.core import pickers
from tisserand.referentials.geo.pickers import CommunePicker
from tisserand.referentials.rome.pickers import AppellationPicker, SkillPicker


class PublicMixin:
    def allowed(self, membership):
        return True


class PublicAppellationPicker(PublicMixin, AppellationPicker):
    name = "metier-public"


class PublicCommunePicker(PublicMixin, CommunePicker):
    name = "commune-public"


class PublicSkillPicker(PublicMixin, SkillPicker):
    name = "competence-public"


PUBLIC_PICKERS = (PublicAppellationPicker(), PublicCommunePicker(), PublicSkillPicker())
PUBLIC_NAMES = frozenset(picker.name for picker in PUBLIC_PICKERS)


class PublicPickerWidget(pickers.PickerWidget):
    """The core picker widget, asking the public endpoint for its proposals."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["url"] = reverse("guidance:public_picker", args=[self.picker_name])
        return context


def picker_field(name, public, **kwargs):
    """A ``PickerField`` of the referential picker ``name`` ("appellation", "commune",
    "competence"), or of its public twin on the public pages."""
    public_names = {
        "appellation": "metier-public",
        "commune": "commune-public",
        "competence": "competence-public",
    }
    if public:
        name = public_names[name]
        kwargs.setdefault("widget", PublicPickerWidget(name))
    return pickers.PickerField(name, **kwargs)
