"""Changes to the company records, under the services contract (``data=``, ``actor=``)."""

from tisserand.companies.errors import CompanyError
from tisserand.companies.needs import record_need, record_need_from_leader

__all__ = ["CompanyError", "record_need", "record_need_from_leader"]
