"""Sections of the company page (kind « company », built by the companies record page): the
HR clubs it belongs to, the GPEC summary and the leader accounts, for officers. Each reads a
bounded number of rows (never one query per row)."""

from tisserand.companies import gpec_analysis as analysis
from tisserand.companies import portal_perms
from tisserand.companies.models import HrClubMember, LeaderAccount, LeaderInvitation
from tisserand.core.records import Section


def _clubs(context):
    return {
        "memberships": HrClubMember.objects.filter(establishment=context.record)
        .select_related("club")
        .order_by("left_on", "club__name")
    }


def _gpec(context):
    data = analysis.load(context.record)
    return {"summary": analysis.summary(data), "establishment": context.record}


def _leaders(context):
    return {
        "establishment": context.record,
        "active_leaders": LeaderAccount.objects.filter(
            establishment=context.record, is_active=True
        ).count(),
        "pending": sum(
            1
            for invitation in LeaderInvitation.objects.filter(
                establishment=context.record, accepted_at__isnull=True, revoked_at__isnull=True
            )
            if invitation.is_pending
        ),
    }


SECTIONS = [
    Section(
        "company",
        "hr_clubs",
        "Clubs RH",
        "companies/sections/clubs.html",
        lambda context: portal_perms.sees_companies(context.membership),
        _clubs,
        order=60,
    ),
    Section(
        "company",
        "gpec",
        "Outil GPEC",
        "companies/sections/gpec.html",
        lambda context: portal_perms.manages_companies(context.membership),
        _gpec,
        order=62,
    ),
    Section(
        "company",
        "leaders",
        "Portail des dirigeants",
        "companies/sections/leaders.html",
        lambda context: portal_perms.manages_companies(context.membership),
        _leaders,
        order=64,
    ),
]
