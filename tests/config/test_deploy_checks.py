"""Production settings from the environment: `check --deploy` passes with them, the
development key is refused, and the security headers and redirects are in force."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from config.checks import DEV_KEY_REFUSAL

PROJECT = Path(django_settings.BASE_DIR)
# Variables these tests set themselves; inherited values would change the outcome.
CONTROLLED = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SILENCED_SYSTEM_CHECKS",
    "DJANGO_SETTINGS_MODULE",
    # Set by the browser tests in the same test process; never in production.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def production_environment(**overrides: str) -> dict[str, str]:
    """What the README's production section asks for, behind a TLS-terminating proxy."""
    env = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "enkat.example.se",
            "SECURE_SSL_REDIRECT": "true",
            "SECURE_HSTS_SECONDS": "31536000",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
            "SECURE_HSTS_PRELOAD": "true",
            "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
        }
    )
    env.update(overrides)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own interpreter and project)
        [sys.executable, *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    return run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)


def settings_in(env: dict[str, str], *names: str) -> list[str]:
    """The values of settings as a process started with env sees them."""
    script = (
        "import django; django.setup(); from django.conf import settings; "
        f"print('|'.join(repr(getattr(settings, n)) for n in {names!r}))"
    )
    result = run(["-c", script], {**env, "DJANGO_SETTINGS_MODULE": "config.settings"})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().split("|")


def test_check_deploy_passes_with_the_production_environment():
    result = check_deploy(production_environment())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_refuses_the_development_key():
    env = production_environment()
    del env["SECRET_KEY"]

    result = check_deploy(env)

    assert result.returncode != 0
    assert f"(config.E001) {DEV_KEY_REFUSAL}" in result.stderr


def test_check_deploy_names_each_missing_https_setting():
    env = production_environment()
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"):
        del env[name]

    result = check_deploy(env)

    assert result.returncode != 0
    assert "security.W008" in result.stderr  # SECURE_SSL_REDIRECT
    assert "security.W004" in result.stderr  # SECURE_HSTS_SECONDS


def test_the_web_process_refuses_to_start_with_the_development_key():
    env = production_environment()
    del env["SECRET_KEY"]

    refused = run(["-c", "import config.wsgi"], env)
    started = run(["-c", "import config.wsgi"], production_environment())

    assert refused.returncode != 0
    assert DEV_KEY_REFUSAL in refused.stderr
    assert started.returncode == 0, started.stderr


def test_a_development_run_serves_plain_http_with_the_development_key():
    env = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    env["DEBUG"] = "true"

    started = run(["-c", "import config.wsgi"], env)
    values = settings_in(
        env, "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT"
    )

    assert started.returncode == 0, started.stderr
    assert values == ["False", "False", "False"]


def test_without_debug_cookies_are_secure_but_nothing_redirects_unless_set():
    env = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    env["DEBUG"] = "false"

    values = settings_in(
        env,
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
    )

    assert values == ["True", "True", "False", "0"]


@pytest.fixture
def production(settings):
    """The production environment's settings in this process."""
    settings.ALLOWED_HOSTS = ["enkat.example.se"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    return settings


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(production):
    result = Client().get(reverse("login"), HTTP_HOST="enkat.example.se")

    assert result.status_code == 301
    assert result["Location"] == "https://enkat.example.se/konto/logga-in/"


@pytest.mark.django_db
def test_https_through_the_proxy_gets_the_security_headers(production):
    result = Client().get(
        reverse("login"), HTTP_HOST="enkat.example.se", HTTP_X_FORWARDED_PROTO="https"
    )

    assert result.status_code == 200
    assert result["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert result["X-Frame-Options"] == "DENY"
    assert result["X-Content-Type-Options"] == "nosniff"
    assert result["Referrer-Policy"] == "same-origin"
    assert result["Cross-Origin-Opener-Policy"] == "same-origin"
    csrf = result.cookies["csrftoken"]
    assert csrf["secure"] is True


@pytest.mark.django_db
def test_the_session_cookie_is_secure_and_hidden_from_scripts(
    production, region_respondent
):
    client = Client()
    https = {"HTTP_HOST": "enkat.example.se", "HTTP_X_FORWARDED_PROTO": "https"}
    client.get(reverse("login"), **https)

    result = client.post(
        reverse("login"),
        {"username": region_respondent.username, "password": "test-password-123"},
        **https,
    )

    assert result.status_code == 302
    session = result.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True


def test_a_host_not_allowed_is_refused(production):
    result = Client().get(
        reverse("login"), HTTP_HOST="evil.example.com", HTTP_X_FORWARDED_PROTO="https"
    )

    assert result.status_code == 400
