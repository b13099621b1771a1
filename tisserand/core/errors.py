"""One base for the errors a business rule raises: a French message fit for the user.

Pure Python (no Django): the guidance engine's errors derive from it too. Pages show the
message next to the form or as a message (``core.feedback.report``); the REST API answers
``error_payload(error)`` as JSON (``core.feedback.json_error``).
"""

import re

DEFAULT_MESSAGE = "Cette opération n'est pas possible."
_WORD_START = re.compile(r"(?<!^)(?=[A-Z])")


class DomainError(Exception):
    """A rule refuses the operation; nothing was changed. ``str(error)`` is the French message.

    ``code`` names the kind of error for machines (the API); by default, the class name in
    snake case (``AccompanimentError`` → ``accompaniment_error``).
    """

    code = "domain_error"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "code" not in cls.__dict__:
            cls.code = _WORD_START.sub("_", cls.__name__).lower()

    def __str__(self):
        return super().__str__() or DEFAULT_MESSAGE


def error_payload(error):
    """The JSON body of an API answer refusing the operation."""
    return {"error": {"code": error.code, "message": str(error)}}
