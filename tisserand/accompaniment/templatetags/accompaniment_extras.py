"""Template helpers of the accompaniment pages."""

from django import template

register = template.Library()


@register.filter
def label(labels, code):
    """The label of a vocabulary code from a {code: label} dict, or the code itself."""
    if not code:
        return ""
    return labels.get(code, code)
