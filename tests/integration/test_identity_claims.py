"""Addresses a widget visitor typed are claims: mail from the address still reaches an
agent under the address's owner, and the visitor gains nothing. A real hub process,
a visitor on the /customer websocket, mail over SMTP into the embedded receiver."""

from __future__ import annotations

import asyncio
import json
import smtplib
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from core.protocol import agent as ap
from core.protocol import profile as pp
from core.protocol.models import Channel, IdentityKind
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from hub.store import schema as t
from hub.store.store import Store, create_engine
from testbed.agent_probe import AgentProbe
from testbed.email_corpus import simple
from tests.support.databases import DatabaseMaker

# The hub under these runs on SQLite and on PostgreSQL.
pytestmark = pytest.mark.postgresql

ADDRESS = "ceo@bigclient.example"
RENEWAL = simple("Contract renewal", "renewal1", sender=f"Big Boss <{ADDRESS}>",
                 body="Please call me about the renewal.")


def _email_hub(
    make_hub: Callable[..., HubProcess], name: str = "hub", db: str | None = None
) -> HubProcess:
    return make_hub("--email-mailbox", "support@example.com", "--smtp-receiver-port", "0",
                    name=name, db=db)


def _deliver(hub: HubProcess, raw: bytes) -> None:
    """Hand a mail to the hub's embedded SMTP receiver, as a sending server would."""
    ready = json.loads((hub.workdir / "hub-ready.json").read_text())
    host, port = ready["email"]["smtp_receiver"].rsplit(":", 1)
    with smtplib.SMTP(host, int(port), timeout=30) as client:
        client.sendmail(ADDRESS, ["support@example.com"], raw)


def _healthz(hub: HubProcess) -> dict[str, Any]:
    with urllib.request.urlopen(hub.url + "/healthz", timeout=10) as resp:
        result: dict[str, Any] = json.loads(resp.read())
    return result


def _mail_assigned(agent: AgentProbe, subject: str) -> Any:
    return agent.wait_body(
        ap.ConversationAssigned,
        lambda b: b.conversation.channel is Channel.EMAIL
        and any(subject in m.text for m in b.messages), timeout=15)


def _contacts(store: Store, customer_id: str) -> list[tuple[IdentityKind, str, bool]]:
    return [(i.kind, i.value, i.verified) for i in store.customer(customer_id).identities]


async def test_mail_from_an_address_a_visitor_typed_reaches_an_agent_under_its_owner(
        make_hub: Callable[..., HubProcess]) -> None:
    hub = _email_hub(make_hub)
    store = Store(create_engine(hub.db_path))
    lina = await AgentProbe.logged_in(hub.url)
    # An anonymous visitor types someone else's address into the widget and chats.
    visitor = SimCustomer(hub.customer_ws_url, name="Anon", email="CEO@BigClient.Example")
    await visitor.connect()
    await visitor.send("what does my contract say?")
    chat = await lina.wait_body(ap.ConversationAssigned,
                                lambda b: b.conversation.channel is Channel.CHAT
                                and b.customer.name == "Anon")
    squatter = chat.customer.id
    assert _contacts(store, squatter) == [(IdentityKind.EMAIL, ADDRESS, False)]
    await visitor.disconnect()

    # The address's owner writes: the mail reaches an agent, under its own customer.
    await asyncio.to_thread(_deliver, hub, RENEWAL)
    mail = await _mail_assigned(lina, "Contract renewal")
    owner = mail.customer.id
    assert owner != squatter
    assert _contacts(store, owner) == [(IdentityKind.EMAIL, ADDRESS, True)]
    assert store.resolve_identity(IdentityKind.EMAIL, ADDRESS) == owner
    # The claim stays with the visitor as a suggestion; nothing was merged or moved.
    assert _contacts(store, squatter) == [(IdentityKind.EMAIL, ADDRESS, False)]
    assert lina.bodies(pp.CustomerMerged) == []
    assert store.conversation(chat.conversation.id).customer_id == squatter  # type: ignore

    # Back with the same address, the visitor sees their own chat and nothing else.
    back = SimCustomer(hub.customer_ws_url, visitor_id=visitor.visitor_id, email=ADDRESS)
    welcome = await back.connect()
    assert welcome.customer_name == "Anon"
    assert welcome.conversation_id == chat.conversation.id
    assert [m.text for m in welcome.messages] == ["what does my contract say?"]
    await back.disconnect()
    assert store.customer_by_identity(IdentityKind.VISITOR, visitor.visitor_id or "") == squatter

    # Later mail from the address keeps reaching its owner.
    await asyncio.to_thread(_deliver, hub, simple("Invoice copy", "invoice1", sender=ADDRESS))
    assert (await _mail_assigned(lina, "Invoice copy")).customer.id == owner
    assert _healthz(hub)["email_failed"] == 0
    await lina.close()
    store.engine.dispose()


async def test_a_database_with_a_squatted_address_migrates_and_accepts_the_mail(
        make_hub: Callable[..., HubProcess], databases: DatabaseMaker) -> None:
    # What an earlier hub left: the visitor's typed address owning the identity key,
    # and the owner's mail that failed on it, kept raw.
    db = databases.new("old", migrated=False)
    engine = create_engine(db)
    t.migrate(engine, target=6)
    with engine.begin() as conn:
        conn.execute(t.customers.insert().values(id="c_anon", name="Anon", created_at=1_000))
        conn.execute(t.identities.insert(), [
            {"kind": "visitor", "value": "v_anon", "customer_id": "c_anon", "verified": True},
            {"kind": "email", "value": ADDRESS, "customer_id": "c_anon", "verified": False},
        ])
        conn.execute(t.email_raw.insert().values(
            id="raw_failed", source_key="smtp:rcv_old", received_at=2_000, size=len(RENEWAL),
            data=RENEWAL, state="failed",
            error="IntegrityError: UNIQUE constraint failed: identities.kind, identities.value"))
    engine.dispose()

    hub = _email_hub(make_hub, name="old", db=db)
    store = Store(create_engine(hub.db_path))
    lina = await AgentProbe.logged_in(hub.url)
    # The kept mail was stored on start; new mail from the address arrives too.
    mail = await _mail_assigned(lina, "Contract renewal")
    owner = mail.customer.id
    assert owner != "c_anon"
    await asyncio.to_thread(_deliver, hub, simple("Invoice copy", "invoice1", sender=ADDRESS))
    assert (await _mail_assigned(lina, "Invoice copy")).customer.id == owner
    assert _contacts(store, owner) == [(IdentityKind.EMAIL, ADDRESS, True)]
    assert _contacts(store, "c_anon") == [(IdentityKind.EMAIL, ADDRESS, False)]
    with store.engine.connect() as conn:
        states = dict(conn.execute(sa.select(t.email_raw.c.source_key, t.email_raw.c.state)
                                   .where(t.email_raw.c.source_key.like("smtp:%"))).all())
    assert set(states.values()) == {"processed"} and len(states) == 2
    assert _healthz(hub)["email_failed"] == 0
    await lina.close()
    store.engine.dispose()
