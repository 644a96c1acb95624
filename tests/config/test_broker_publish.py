"""config.broker.publish: within one request a broker that did not take a task is not
waited for again; outside requests every publish tries."""

from __future__ import annotations

import pytest

from config import broker
from config.tasks import password_reset_prune
from tests.faults.conftest import drop_broker_pools


@pytest.fixture
def refusing_broker(settings, monkeypatch) -> list[str]:
    """Tasks sent (not eager) to a broker whose every connection fails; the tries."""
    settings.CELERY_BROKER_URL = "memory://"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    drop_broker_pools()
    tries: list[str] = []

    def refused(*args, **kwargs):
        tries.append("connect")
        raise ConnectionRefusedError("refused")

    monkeypatch.setattr(password_reset_prune.app, "connection_for_write", refused)
    yield tries
    drop_broker_pools()


def test_a_request_waits_for_a_refusing_broker_once(refusing_broker, caplog):
    broker._request_started()
    try:
        assert broker.publish(password_reset_prune, what="First") is False
        assert broker.publish(password_reset_prune, what="Second") is False
    finally:
        broker._request_finished()

    assert refusing_broker == ["connect"]
    assert "Second stays queued" in caplog.text


def test_each_request_and_each_publish_outside_requests_tries_again(
    refusing_broker,
):
    broker._request_started()
    broker.publish(password_reset_prune, what="In the first request")
    broker._request_finished()
    broker._request_started()
    broker.publish(password_reset_prune, what="In the next request")
    broker._request_finished()
    broker.publish(password_reset_prune, what="Outside, once")
    broker.publish(password_reset_prune, what="Outside, twice")

    assert refusing_broker == ["connect"] * 4
