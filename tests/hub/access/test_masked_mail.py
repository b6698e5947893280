"""A role that reads e-mail addresses masked answers the masks it was shown: the hub
puts the one address of the conversation with that mask in its place, or refuses
the mail when a mask fits none or several (it would go astray)."""

from __future__ import annotations

from core.protocol import email as ep
from core.protocol.models import IdentityKind
from hub.access import role_store
from hub.access.roles_file import parse
from hub.store import schema as t
from testbed.email_corpus import simple
from tests.hub.email.conftest import open_email_hub


def _reply(conversation_id: str, *to: str, cc: tuple[str, ...] = ()) -> ep.SendEmail:
    return ep.SendEmail(op="op-1", conversation_id=conversation_id, message_id="m-1",
                        kind=ep.EmailKind.REPLY, to=list(to), cc=list(cc), subject="Re: hi",
                        text="On it.")


def test_masked_recipients_become_the_conversations_addresses(hub_db: str) -> None:
    hub = open_email_hub(hub_db)
    hub.store.create_customer("王芳", [(IdentityKind.EMAIL, "fang@example.com")])
    got = hub.channel.inbound.receive("t:1", simple("订单", "a1", sender="Fang <Fang@Example.com>"))
    conversation = got.conversation_id or ""
    fields = hub.service.access.fields
    [trainee] = parse('[roles.trainee]\nlike = "agent"\nwithout = ["customers.contact"]\n')
    with hub.store.db.begin() as conn:
        role_store.define_role(conn, trainee)
        conn.execute(t.agents.update().where(t.agents.c.id == hub.agent_id)
                     .values(role="trainee"))

    # What the trainee was shown, and what the hub sends to.
    shown = _reply(conversation, "Fang <f***@example.com>", cc=("f***@Example.com",))
    sent = fields.unmask_mail(hub.agent_id, shown)
    assert sent.to == ["Fang <fang@example.com>"] and sent.cc == ["fang@example.com"]
    assert hub.service.access.refusal(hub.agent_id, sent) is None
    # A mask that fits nobody of this conversation stays, and the mail is refused.
    stranger = fields.unmask_mail(hub.agent_id, _reply(conversation, "z***@example.com"))
    refusal = hub.service.access.refusal(hub.agent_id, stranger)
    assert refusal is not None and '"code":"invalid"' in refusal
    assert "z***@example.com is a masked address" in refusal
    # A mask two addresses of a conversation share (fiona@ wrote, fang@ in Cc):
    # ambiguous, refused too.
    other = hub.channel.inbound.receive("t:2", simple(
        "Hi", "b2", sender="Fiona <fiona@example.com>", extra="Cc: fang@example.com\r\n"))
    ambiguous = _reply(other.conversation_id or "", "f***@example.com")
    assert fields.unmask_mail(hub.agent_id, ambiguous).to == ["f***@example.com"]
    assert hub.service.access.refusal(hub.agent_id, ambiguous) is not None
    # An address typed in full is left alone.
    plain = _reply(conversation, "someone@else.example")
    assert fields.unmask_mail(hub.agent_id, plain) is plain
