"""An agent's outgoing mail, delivered to a real SMTP server on loopback, carries
one-click rating links for its conversation; the stored message keeps the agent's
own text; the link rates that conversation once it is closed."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from core.protocol import email as ep
from core.protocol.models import ClosedBy
from hub.composition import compose
from hub.email.config import EmailConfig, Security, SmtpSettings
from hub.feedback.rating_store import FeedbackError, FeedbackRefusal, RatingSource
from hub.routing.offers import VirtualClock
from hub.store import schema
from hub.store.store import Store, create_engine
from testbed.email_corpus import simple
from tests.support.smtp_server import SmtpServer


async def test_reply_carries_links_that_rate_its_conversation(tmp_path: Path) -> None:
    server = SmtpServer().start()
    try:
        engine = create_engine(tmp_path / "hub.sqlite3")
        schema.migrate(engine)
        store = Store(engine)
        agent = store.create_agent("lina", "李娜", "h")
        smtp = SmtpSettings(host="127.0.0.1", port=server.port, security=Security.PLAIN,
                            backoff_s=0.0, timeout_s=10)
        parts = compose(store, clock=VirtualClock(),
                        email=EmailConfig(mailbox="support@example.com", smtp=smtp))
        parts.feedback.public_url = "https://help.example.com"
        channel = parts.email
        got = channel.inbound.receive("t:1", simple("Where is my parcel?", "p1"))
        assert got.conversation_id and got.message_id
        conv = got.conversation_id
        store.assign(conv, agent)
        message_id = uuid.uuid4().hex
        channel.send(agent, ep.SendEmail(
            op=uuid.uuid4().hex, conversation_id=conv, message_id=message_id,
            kind=ep.EmailKind.REPLY, to=["Customer <customer@example.com>"],
            subject="Re: Where is my parcel?", text="It left the warehouse today.",
            html="<p>It left the warehouse today.</p>", in_reply_to=got.message_id))
        assert await channel.submit_due() == 1
        [delivery] = server.deliveries
    finally:
        server.stop()

    plain = delivery.message.get_body(("plain",))
    html = delivery.message.get_body(("html",))
    assert plain is not None and html is not None
    text = plain.get_content()
    assert text.startswith("It left the warehouse today.")
    urls = re.findall(r"https://help\.example\.com/rate/(\S+)\?score=(\d)", text)
    assert [score for _, score in urls] == ["5", "4", "3", "2", "1"]
    assert len({token for token, _ in urls}) == 1, "one token, the score in the query"
    html_urls = re.findall(r'href="https://help\.example\.com/rate/([^"?]+)\?score=(\d)"',
                           html.get_content())
    assert [score for _, score in html_urls] == ["1", "2", "3", "4", "5"]
    token = urls[0][0]
    feedback = parts.feedback
    assert feedback.links.verify(token, feedback.clock_ms() // 1000) == conv
    with engine.connect() as c:
        stored = c.execute(sa.select(schema.messages.c.text)
                           .where(schema.messages.c.id == message_id)).scalar()
    assert stored == "It left the warehouse today."

    # Open: refused; closed: rated once, credited to the agent.
    with pytest.raises(FeedbackError) as early:
        feedback.rate_by_link(token, 5, True, None)
    assert early.value.refusal is FeedbackRefusal.NOT_CLOSED
    store.close_conversation(conv, ClosedBy.AGENT)
    rating = feedback.rate_by_link(token, 4, True, None)
    assert (rating.conversation_id, rating.agent_id, rating.source) == \
        (conv, agent, RatingSource.EMAIL)
