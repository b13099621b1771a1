"""Settings for the test suite: the normal settings in ``test`` mode."""

import os

os.environ["TISSERAND_ENV"] = "test"
os.environ.setdefault("TISSERAND_MFA_REQUIRED", "false")

from tisserand.settings import *  # noqa: E402, F403
