"""The site's own address, for the links written where no request is at hand (e-mails sent by
background tasks: reminders, satisfaction questions, referral links…).

``TISSERAND_SITE_URL`` when set (production sets it: ``https://tisserand.example.fr``); else the
first allowed host over HTTPS; else, on a developer's machine, the local server.
"""

from django.conf import settings

LOCAL_SERVER = "http://127.0.0.1:8000"


def site_url():
    configured = getattr(settings, "TISSERAND_SITE_URL", "")
    if configured:
        return configured.rstrip("/")
    host = next((host.lstrip(".") for host in settings.ALLOWED_HOSTS if host and host != "*"), "")
    return f"https://{host}" if host else LOCAL_SERVER
