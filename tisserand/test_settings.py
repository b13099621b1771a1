"""Settings for the test suite: the normal settings in ``test`` mode.

An undefined template variable fails the test: pytest-django's ``FAIL_INVALID_TEMPLATE_VARS``
(``pyproject.toml``) sets the engine's ``string_if_invalid`` for the whole run.
"""

import os
import tempfile
from pathlib import Path

os.environ["TISSERAND_ENV"] = "test"
os.environ.setdefault("TISSERAND_MFA_REQUIRED", "false")

from tisserand.settings import *  # noqa: E402, F403

# Documents uploaded by tests go to a directory of their own, never to var/.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="tisserand-test-documents-"))
