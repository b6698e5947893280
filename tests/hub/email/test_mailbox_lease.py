"""The mailbox lease (hub/email/mailbox_lease.py) on each database: one holder at a
time, taken over only once it ran out or was given back; a mail left stored by a
dead importer is processed once, whoever processes it. Each "process" is a store on
its own engine (its own connection pool), as separate hub processes have."""

from __future__ import annotations

from pathlib import Path

from hub.email.inbound import Outcome
from hub.email.mailbox_lease import MailboxLease, process_holder
from hub.store import schema
from hub.store.base import create_engine
from hub.store.store import Store
from testbed.agent_probe import eventually
from testbed.email_corpus import simple
from tests.hub.email.conftest import open_email_hub
from tests.support.hub_sql import hub_rows

MAILBOX = "support@example.com@127.0.0.1:993/INBOX"


def _lease(db: str, name: str, lease_s: float = 30.0) -> MailboxLease:
    engine = create_engine(db)
    schema.migrate(engine)
    return MailboxLease(Store(engine).db, MAILBOX, process_holder(name), lease_s)


def test_one_holder_until_it_gives_the_lease_back(hub_db: str) -> None:
    a, b = _lease(hub_db, "a"), _lease(hub_db, "b")
    assert a.take()
    assert not b.take()  # a's lease holds for 30 s
    assert a.take() and a.renew()  # taking again is renewing
    assert b.current_holder() == a.holder == a.current_holder()
    a.release()
    assert b.current_holder() is None
    assert b.take()  # at once, without waiting for the lease to run out
    assert not a.renew() and not a.take()
    assert a.current_holder() == b.holder


async def test_a_lease_not_renewed_is_taken_over(hub_db: str) -> None:
    a, b = _lease(hub_db, "a", lease_s=0.5), _lease(hub_db, "b", lease_s=0.5)
    assert a.take() and not b.take()
    # a stops renewing (its process died): b gets the mailbox once the lease ran out.
    await eventually(b.take, timeout=10, interval=0.05)
    assert b.current_holder() == b.holder
    assert not a.renew()  # a process back from a freeze finds the mailbox taken


def test_a_mailbox_has_one_lease_row(hub_db: str) -> None:
    leases = [_lease(hub_db, f"p{i}") for i in range(4)]
    taken = [lease.take() for lease in leases]
    assert taken == [True, False, False, False]
    assert hub_rows(hub_db, "SELECT mailbox, holder FROM email_mailbox_leases") == [
        (MAILBOX, leases[0].holder)]


def test_a_stored_mail_becomes_one_message_when_two_process_it(hub_db: str,
                                                               tmp_path: Path) -> None:
    # A mail the dead importer stored but did not process, processed by the new
    # importer and by the old one coming back from a freeze.
    first, second = open_email_hub(hub_db), open_email_hub(hub_db)
    raw = simple("left behind", "left1")
    raw_id = first.channel.emails.put_raw(f"imap:{MAILBOX}:7:1", raw)
    assert raw_id is not None
    done = first.channel.inbound.process(raw_id, raw)
    assert done.outcome is Outcome.NEW_CONVERSATION
    again = second.channel.inbound.process(raw_id, raw)
    assert (again.outcome, again.message_id) == (Outcome.STORED, done.message_id)
    assert hub_rows(hub_db, "SELECT count(*) FROM email_messages") == [(1,)]
    assert hub_rows(hub_db, "SELECT count(*) FROM conversations") == [(1,)]
    (stored,) = hub_rows(hub_db, "SELECT message_id, state FROM email_raw")
    assert stored == (done.message_id, "processed")
    assert first.channel.inbound.resume() == 0  # nothing left stored
