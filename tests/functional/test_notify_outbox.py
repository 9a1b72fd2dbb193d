"""The outbox, on SQLite and PostgreSQL: a server that is down means retries with backoff, then delivery;
rows claimed by a run that died come back after the lease; two runs never claim the same row; the last
attempt gives up; ``zct serve``'s background task delivers on its own."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from tests.functional.notify_helpers import (
    ACME_EMAIL,
    C_CONTACT,
    SmtpServer,
    free_port,
    publish,
    rows,
    setup_enterprises,
)
from zhengcetong import clock
from zhengcetong.config import Settings
from zhengcetong.db.engine import make_engine, make_sessionmaker
from zhengcetong.notify import MemorySender, OutboxEmail, SmtpSender, outbox
from zhengcetong.web import create_app


@pytest.fixture
def published(sample_library, monkeypatch):
    """The sample library with A and C told of the “小巨人” item: two pending emails."""
    setup_enterprises(sample_library, monkeypatch)
    publish(sample_library, "小巨人")
    return sample_library


@pytest.fixture
def sessions(published):
    engine = make_engine(published)
    yield make_sessionmaker(engine)
    engine.dispose()


def settings(url: str, **values) -> Settings:
    return Settings(database_url=url, notify_retry_seconds=60, notify_lease_seconds=300, **values)


def statuses(url: str) -> dict[str, tuple]:
    return {r.email: (r.status, r.attempts) for r in rows(url, OutboxEmail)}


def test_a_server_that_is_down_is_retried_with_backoff_then_delivered(published, sessions):
    smtp = SmtpServer()  # not started: the port refuses connections
    config = settings(published, smtp_host="127.0.0.1", smtp_port=smtp.port)
    sender = SmtpSender(host="127.0.0.1", port=smtp.port, timeout=5)
    before = clock.now()
    report = outbox.run(sessions=sessions, sender=sender, settings=config)
    assert report.count("pending") == 2 and report.count("sent") == 0
    first = {r.email: r for r in rows(published, OutboxEmail)}
    for row in first.values():
        assert row.status == "pending" and row.attempts == 1 and "ConnectionRefused" in row.last_error
        assert before + timedelta(seconds=60) <= row.next_attempt_at <= clock.now() + timedelta(seconds=60)

    assert not outbox.run(sessions=sessions, sender=sender, settings=config).deliveries  # not due yet
    later = clock.now() + timedelta(seconds=61)
    report = outbox.run(sessions=sessions, sender=sender, settings=config, now=later)
    assert report.count("pending") == 2
    second = {r.email: r for r in rows(published, OutboxEmail)}
    for row in second.values():  # the wait doubled: two minutes after the second attempt
        assert row.attempts == 2
        assert abs(row.next_attempt_at - later - timedelta(seconds=120)) < timedelta(seconds=2)

    smtp.start()
    try:
        much_later = clock.now() + timedelta(hours=1)
        report = outbox.run(sessions=sessions, sender=sender, settings=config, now=much_later)
        assert report.count("sent") == 2
        assert statuses(published) == {ACME_EMAIL: ("sent", 3), C_CONTACT: ("sent", 3)}
        assert all(r.last_error is None and r.sent_at for r in rows(published, OutboxEmail))
        assert not outbox.run(sessions=sessions, sender=sender, settings=config, now=much_later).deliveries
        assert sorted(m["To"] for m in smtp.inbox.messages) == sorted([ACME_EMAIL, C_CONTACT])
    finally:
        smtp.stop()


def test_rows_claimed_by_a_run_that_died_come_back_after_the_lease(published, sessions):
    config = settings(published)
    with sessions() as db_session:  # a run claims, commits, and is killed before sending anything
        _, claimed = outbox.claim(db_session=db_session, limit=100, lease_seconds=300)
        db_session.commit()
    assert len(claimed) == 2
    assert {s for s, _ in statuses(published).values()} == {"sending"}

    sender = MemorySender()
    assert not outbox.run(sessions=sessions, sender=sender, settings=config).deliveries  # leased
    after_lease = clock.now() + timedelta(seconds=301)
    report = outbox.run(sessions=sessions, sender=sender, settings=config, now=after_lease)
    assert report.count("sent") == 2 and len(sender.sent) == 2
    assert statuses(published) == {ACME_EMAIL: ("sent", 2), C_CONTACT: ("sent", 2)}
    assert not outbox.run(sessions=sessions, sender=sender, settings=config, now=after_lease).deliveries
    assert len(sender.sent) == 2


def test_two_runs_never_claim_the_same_row(published, sessions):
    with sessions() as first, sessions() as second:
        token_1, mine = outbox.claim(db_session=first, limit=1, lease_seconds=300)
        first.commit()
        token_2, theirs = outbox.claim(db_session=second, limit=100, lease_seconds=300)
        second.commit()
    assert len(mine) == 1 and len(theirs) == 1 and set(mine).isdisjoint(theirs) and token_1 != token_2
    # a late settle of a run whose claim was taken over changes nothing
    with sessions() as db_session:
        outbox._settle(db_session, theirs[0], token_1, status="sent")
        db_session.commit()
    (row,) = rows(published, OutboxEmail, OutboxEmail.id == theirs[0])
    assert row.status == "sending" and row.claim == token_2


def test_the_last_attempt_gives_up(published, sessions):
    config = settings(published, notify_max_attempts=2)
    sender = MemorySender(failing=True)
    outbox.run(sessions=sessions, sender=sender, settings=config)
    report = outbox.run(
        sessions=sessions, sender=sender, settings=config, now=clock.now() + timedelta(hours=1)
    )
    assert report.count("failed") == 2
    assert {s for s, _ in statuses(published).values()} == {"failed"}
    sender.failing = False
    assert not outbox.run(
        sessions=sessions, sender=sender, settings=config, now=clock.now() + timedelta(days=30)
    ).deliveries


def test_the_server_delivers_in_the_background(published):
    smtp = SmtpServer()
    smtp.start()
    config = Settings(database_url=published, smtp_host="127.0.0.1", smtp_port=smtp.port, notify_interval=0.2)
    try:
        with TestClient(create_app(config)):  # the lifespan starts the outbox task
            deadline = time.monotonic() + 20
            while len(smtp.inbox.messages) < 2 and time.monotonic() < deadline:
                time.sleep(0.1)
        assert sorted(m["To"] for m in smtp.inbox.messages) == sorted([ACME_EMAIL, C_CONTACT])
        assert {s for s, _ in statuses(published).values()} == {"sent"}
    finally:
        smtp.stop()


def test_no_background_task_without_an_smtp_server(published):
    with TestClient(create_app(Settings(database_url=published, notify_interval=0.1))):
        time.sleep(0.3)
    assert {s for s, _ in statuses(published).values()} == {"pending"}
    assert free_port()  # (the helper works without a server too)
