"""The companies app's models, one module per part:

- ``records``: legal units, establishments (one per SIRET), contacts, tags, leader accounts;
- the relationship journal and the needs, the HR clubs and the GPEC toolkit each add theirs.

Other apps import them from here: ``from tisserand.companies.models import Establishment``.
"""

from tisserand.companies.models.clubs import *  # noqa: F403
from tisserand.companies.models.gpec import *  # noqa: F403
from tisserand.companies.models.portal import *  # noqa: F403
from tisserand.companies.models.records import *  # noqa: F403
from tisserand.companies.models.relations import *  # noqa: F403
