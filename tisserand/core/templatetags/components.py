"""The small set of components every page uses: fields, errors, badges, pagination, states."""

from django import template
from django.forms import CheckboxInput, CheckboxSelectMultiple, RadioSelect

from tisserand.core.validators import display_phone

register = template.Library()


def _described_by(field):
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-errors")
    return " ".join(ids)


@register.inclusion_tag("components/field.html")
def form_field(field):
    """A labelled form field with its hint and its errors tied to it (aria-describedby)."""
    attrs = {}
    described_by = _described_by(field)
    if described_by:
        attrs["aria-describedby"] = described_by
    if field.errors:
        attrs["aria-invalid"] = "true"
    widget = field.field.widget
    return {
        "field": field,
        "widget_html": field.as_widget(attrs=attrs),
        "is_checkbox": isinstance(widget, CheckboxInput),
        "is_group": isinstance(widget, RadioSelect | CheckboxSelectMultiple),
    }


@register.inclusion_tag("components/form_errors.html")
def form_errors(form):
    """Summary of a form's errors at its top, each linking to its field."""
    field_errors = [
        (form[name], errors) for name, errors in form.errors.items() if name != "__all__"
    ]
    return {"form": form, "field_errors": field_errors, "non_field_errors": form.non_field_errors()}


@register.inclusion_tag("components/badge.html")
def badge(label, tone="neutral"):
    return {"label": label, "tone": tone}


@register.inclusion_tag("components/pagination.html", takes_context=True)
def pagination(context, page_obj):
    query = context["request"].GET.copy()
    query.pop("page", None)
    return {"page_obj": page_obj, "query": query.urlencode()}


@register.inclusion_tag("components/empty_state.html")
def empty_state(title, text=""):
    return {"title": title, "text": text}


@register.inclusion_tag("components/timeline.html")
def timeline(events):
    return {"events": events}


@register.filter
def phone(value):
    """A stored E.164 number as people read it (« 03 20 11 22 33 », « +32 2 555 12 12 »)."""
    return display_phone(value)
