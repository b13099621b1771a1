from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django_tasks import task

from tisserand.structures.models import Invitation


@task()
def send_invitation_email(invitation_id, accept_url):
    invitation = Invitation.objects.select_related("structure", "invited_by").get(pk=invitation_id)
    context = {"invitation": invitation, "accept_url": accept_url}
    send_mail(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Invitation à rejoindre "
        f"{invitation.structure}",
        message=render_to_string("structures/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
