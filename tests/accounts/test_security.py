import os
import subprocess
import sys

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings as django_settings
from django.urls import reverse

from tests.factories import TEST_PASSWORD
from tisserand.structures.roles import Role


@pytest.fixture
def mfa_required(settings):
    settings.TISSERAND_MFA_REQUIRED = True


@pytest.mark.parametrize("role", sorted(set(Role) - {Role.FUNDER}), ids=str)
def test_roles_seeing_personal_data_must_set_up_totp(mfa_required, client, make_member, role):
    membership = make_member(role)
    client.post(
        reverse("account_login"), {"login": membership.user.email, "password": TEST_PASSWORD}
    )
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    # The set-up page stays reachable (allauth first asks for the password again).
    page = client.get(reverse("mfa_activate_totp"), follow=True)
    assert page.status_code == 200
    assert page.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))


def test_funders_see_aggregates_only_and_are_not_forced(mfa_required, client_for, make_member):
    client = client_for(make_member(Role.FUNDER))
    assert client.get(reverse("core:home")).status_code == 200


def test_a_user_with_totp_goes_through(mfa_required, client_for, make_member):
    membership = make_member(Role.REFERENT)
    Authenticator.objects.create(
        user=membership.user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    assert client_for(membership).get(reverse("core:home")).status_code == 200


def test_mfa_can_be_turned_off_for_the_local_demo(settings, client_for, make_member):
    settings.TISSERAND_MFA_REQUIRED = False
    assert client_for(make_member(Role.REFERENT)).get(reverse("core:home")).status_code == 200


def test_sign_up_is_closed(client):
    response = client.get(reverse("account_signup"))
    assert "fermées" in response.content.decode() or response.status_code in (403, 404)


def test_repeated_failed_logins_are_rate_limited(client, make_member):
    membership = make_member(Role.REFERENT)
    for _ in range(5):
        client.post(reverse("account_login"), {"login": membership.user.email, "password": "x"})
    # Past the limit, even the right password is refused, with a clear message.
    response = client.post(
        reverse("account_login"), {"login": membership.user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 200
    assert "Trop de tentatives" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sessions_expire_after_inactivity():
    assert django_settings.SESSION_COOKIE_AGE == 1800
    assert django_settings.SESSION_SAVE_EVERY_REQUEST is True


def test_password_policy_requires_length_and_variety():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("Court-1", "toutenminusculeslongues", "123456789012"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("Tisserand-Roubaix-59100")


def _manage(*args, **env):
    environment = {**os.environ, "TISSERAND_ENV": "production", **env}
    for inherited in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        environment.pop(inherited, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=django_settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_passes_check_deploy_without_warning():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="k" * 10 + "zR8x!Qp2#Lm9@Vt4$Wn7^Ys1&Bh6*Cj3(Dg5)Ef0-Ai" * 2,
        DJANGO_ALLOWED_HOSTS="tisserand.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_ALLOWED_HOSTS": "tisserand.example.org"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "x" * 60}, "DJANGO_ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without_secret_or_hosts(env, message):
    environment = {"DJANGO_SECRET_KEY": "", "DJANGO_ALLOWED_HOSTS": "", **env}
    result = _manage("check", **environment)
    assert result.returncode != 0
    assert message in result.stderr
