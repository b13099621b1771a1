"""Breadcrumbs: the trail of (label, url) steps that ``base.html`` shows above a page."""


def trail(*steps):
    """The trail through ``steps`` (each ``(label, url)``, or None to skip): the last one is
    the page itself, shown without a link."""
    shown = [step for step in steps if step is not None]
    if shown:
        shown[-1] = (shown[-1][0], None)
    return shown
