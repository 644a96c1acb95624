"""Periodic tasks of the site itself (the beat schedule in config/settings.py)."""

from __future__ import annotations

from celery import shared_task


@shared_task
def password_reset_prune() -> int:
    """Delete the password reset requests older than a day; return how many."""
    from config.password_reset import password_reset_requests_prune

    return password_reset_requests_prune()
