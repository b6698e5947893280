"""Hub storage schema (SQLAlchemy Core) and its forward migrations.

The schema is described once, as ``metadata``; migrations are numbered steps that
bring an existing database from one version to the next. A new database runs every
step in order, so the path an old database takes is the same one a new one took.
Everything here is portable SQL so PostgreSQL can replace SQLite later.
"""

from __future__ import annotations

import contextvars
import json
import time
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.schema import CreateColumn

metadata = sa.MetaData()

# Columns added to an existing table by a later step carry ``info={"since": N}``.
# While step M creates a table, columns with N > M are left out, so a shipped step
# creates exactly the table it always created and step N adds the column to new
# and old databases alike.
_creating_version: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "creating_version", default=None
)


@compiles(CreateColumn)
def _create_column(element: CreateColumn, compiler: Any, **kw: Any) -> str | None:
    version = _creating_version.get()
    since = element.element.info.get("since", 1)
    if version is not None and since > version:
        return None
    text: str = compiler.visit_create_column(element, **kw)
    return text


def _since(version: int) -> dict[str, int]:
    return {"since": version}

schema_migrations = sa.Table(
    "schema_migrations",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("applied_at", sa.BigInteger, nullable=False),
)

agents = sa.Table(
    "agents",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("display_name", sa.String(120), nullable=False),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("role", sa.String(20), nullable=False, server_default="agent"),
    sa.Column("presence", sa.String(20), nullable=False, server_default="offline"),
    # Per-agent event stream head: the seq of the last event appended for this agent.
    sa.Column("head_seq", sa.BigInteger, nullable=False, server_default="0"),
    # Round-robin order: the agent assigned longest ago goes first.
    sa.Column("last_assigned_at", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    # Routing: why away, when after-call work ends, offers missed in a row.
    sa.Column("away_reason", sa.String(20), nullable=True, info=_since(4)),
    sa.Column("presence_ends_at", sa.BigInteger, nullable=True, info=_since(4)),
    sa.Column("missed_offers", sa.Integer, nullable=False, server_default="0", info=_since(4)),
    sa.Column(
        "auto_accept_chat", sa.Boolean, nullable=False, server_default=sa.false(),
        info=_since(4),
    ),
    # Supervision: the team an agent belongs to (free text set by an admin), if any.
    sa.Column("team", sa.String(80), nullable=True, info=_since(22)),
)

tokens = sa.Table(
    "tokens",
    metadata,
    # Only a SHA-256 digest is stored: a copy of the database grants no access.
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("agent_id", sa.String(64), sa.ForeignKey("agents.id"), nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("expires_at", sa.BigInteger, nullable=False),
    sa.Column("revoked_at", sa.BigInteger, nullable=True),
)

queues = sa.Table(
    "queues",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(120), nullable=False),
    sa.Column("channel", sa.String(20), nullable=False),
)

customers = sa.Table(
    "customers",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(120), nullable=False),
    sa.Column("language", sa.String(20), nullable=True),
    sa.Column("tier", sa.String(20), nullable=True),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("preferred_channel", sa.String(20), nullable=True, info=_since(3)),
    # JSON objects: {key: str | float} and {key: bool}.
    sa.Column("attributes", sa.Text, nullable=True, info=_since(3)),
    sa.Column("consent", sa.Text, nullable=True, info=_since(3)),
    # The automatic tags as last evaluated (JSON list of {tag, rule, reason}).
    sa.Column("auto_tags", sa.Text, nullable=True, info=_since(3)),
    # Set while the customer is merged into another (its row stays for unmerge).
    sa.Column("merged_into", sa.String(64), nullable=True, info=_since(3)),
    # Filled by the feedback feature; null until then.
    sa.Column("avg_csat", sa.Float, nullable=True, info=_since(3)),
    sa.Column("last_nps", sa.Integer, nullable=True, info=_since(3)),
)

identities = sa.Table(
    "identities",
    metadata,
    sa.Column("kind", sa.String(20), primary_key=True),
    sa.Column("value", sa.String(255), primary_key=True),
    sa.Column("customer_id", sa.String(64), sa.ForeignKey("customers.id"), nullable=False),
    # Until step 7, false marked a contact point someone merely typed; such rows
    # are identity_claims now, so every identity is verified and owns its key.
    sa.Column(
        "verified", sa.Boolean, nullable=False, server_default=sa.true(), info=_since(3)
    ),
    sa.Index("ix_identities_customer", "customer_id"),
)

# Contact points nobody proved: what a widget visitor typed, or a raw value an agent
# kept although it did not validate. Shown to agents as unverified; never used to
# resolve a contact and never in the way of the customer who owns the key above.
# Several customers may claim one value (each a suggestion for agents to merge).
identity_claims = sa.Table(
    "identity_claims",
    metadata,
    sa.Column("customer_id", sa.String(64), sa.ForeignKey("customers.id"), primary_key=True),
    sa.Column("kind", sa.String(20), primary_key=True),
    sa.Column("value", sa.String(255), primary_key=True),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Index("ix_identity_claims_value", "kind", "value"),
)

conversations = sa.Table(
    "conversations",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("customer_id", sa.String(64), sa.ForeignKey("customers.id"), nullable=False),
    sa.Column("channel", sa.String(20), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("queue_id", sa.String(64), nullable=True),
    sa.Column("agent_id", sa.String(64), sa.ForeignKey("agents.id"), nullable=True),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("closed_at", sa.BigInteger, nullable=True),
    sa.Column("closed_by", sa.String(20), nullable=True),
    sa.Column("last_message_at", sa.BigInteger, nullable=True),
    # Calls: how long and how it ended; any channel: a disposition.
    sa.Column("duration_s", sa.Integer, nullable=True, info=_since(3)),
    sa.Column("outcome", sa.String(40), nullable=True, info=_since(3)),
    # Routing: score when queued, service-level due time, first agent reply,
    # disposition at close, the internal note of the last transfer.
    sa.Column("priority", sa.Integer, nullable=False, server_default="0", info=_since(4)),
    sa.Column("sla_due_at", sa.BigInteger, nullable=True, info=_since(4)),
    sa.Column("first_reply_at", sa.BigInteger, nullable=True, info=_since(4)),
    sa.Column("disposition", sa.String(40), nullable=True, info=_since(4)),
    sa.Column("disposition_note", sa.Text, nullable=True, info=_since(4)),
    sa.Column("transfer_note", sa.Text, nullable=True, info=_since(4)),
    # Sentiment (hub/assist): the first classified customer message's score, the
    # last few scores (JSON list), every escalation reason so far (JSON list) and
    # when it first escalated.
    sa.Column("sentiment_first", sa.Float, nullable=True, info=_since(8)),
    sa.Column("sentiment_recent", sa.Text, nullable=True, info=_since(8)),
    sa.Column("escalation_reasons", sa.Text, nullable=True, info=_since(8)),
    sa.Column("escalated_at", sa.BigInteger, nullable=True, info=_since(8)),
    sa.Index("ix_conversations_customer", "customer_id", "created_at"),
    sa.Index("ix_conversations_agent_status", "agent_id", "status"),
    sa.Index("ix_conversations_waiting", "status", "agent_id", "created_at"),
)

messages = sa.Table(
    "messages",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id"), nullable=False),
    sa.Column("author", sa.String(20), nullable=False),
    sa.Column("agent_id", sa.String(64), nullable=True),
    sa.Column("author_name", sa.String(120), nullable=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    # "<customer id>:<widget-made id>": a customer's retried send is stored once.
    sa.Column("dedupe_key", sa.String(140), nullable=True, unique=True),
    sa.Index("ix_messages_conversation", "conversation_id", "created_at"),
)

agent_events = sa.Table(
    "agent_events",
    metadata,
    sa.Column("agent_id", sa.String(64), primary_key=True),
    sa.Column("seq", sa.BigInteger, primary_key=True),
    sa.Column("ts", sa.BigInteger, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
)

ops = sa.Table(
    "ops",
    metadata,
    # Commands already applied, so that a retried command gets its first answer.
    sa.Column("agent_id", sa.String(64), primary_key=True),
    sa.Column("op", sa.String(64), primary_key=True),
    sa.Column("seq", sa.BigInteger, nullable=True),
    sa.Column("error_code", sa.String(40), nullable=True),
    sa.Column("error_message", sa.Text, nullable=True),
    sa.Column("created_at", sa.BigInteger, nullable=False),
)


customer_tags = sa.Table(
    "customer_tags",
    metadata,
    sa.Column("customer_id", sa.String(64), sa.ForeignKey("customers.id"), primary_key=True),
    sa.Column("tag", sa.String(80), primary_key=True),
    sa.Index("ix_customer_tags_tag", "tag", "customer_id"),
)


notes = sa.Table(
    "notes",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("customer_id", sa.String(64), sa.ForeignKey("customers.id"), nullable=False),
    sa.Column("author_id", sa.String(64), sa.ForeignKey("agents.id"), nullable=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("updated_at", sa.BigInteger, nullable=True),
    sa.Index("ix_notes_customer", "customer_id", "created_at"),
)

merges = sa.Table(
    "merges",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("target_id", sa.String(64), sa.ForeignKey("customers.id"), nullable=False),
    sa.Column("source_id", sa.String(64), sa.ForeignKey("customers.id"), nullable=False),
    # Who merged (null: the hub linked a visitor who gave a known contact point).
    sa.Column("agent_id", sa.String(64), nullable=True),
    # JSON lists of what moved, so unmerge moves exactly that back.
    sa.Column("conversation_ids", sa.Text, nullable=False),
    sa.Column("identities", sa.Text, nullable=False),
    sa.Column("claims", sa.Text, nullable=True, info=_since(7)),
    sa.Column("note_ids", sa.Text, nullable=False),
    sa.Column("tags", sa.Text, nullable=False),
    # Source's profile fields the target took over (keys added to the target).
    sa.Column("profile", sa.Text, nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("undone_at", sa.BigInteger, nullable=True),
    sa.Index("ix_merges_target", "target_id"),
    sa.Index("ix_merges_source", "source_id"),
)

agent_queues = sa.Table(
    "agent_queues",
    metadata,
    sa.Column("agent_id", sa.String(64), sa.ForeignKey("agents.id"), primary_key=True),
    sa.Column("queue_id", sa.String(64), primary_key=True),
)

agent_skills = sa.Table(
    "agent_skills",
    metadata,
    sa.Column("agent_id", sa.String(64), sa.ForeignKey("agents.id"), primary_key=True),
    sa.Column("skill", sa.String(40), primary_key=True),
    sa.Column("level", sa.Integer, nullable=False),  # 1-5
)

agent_capacity = sa.Table(
    "agent_capacity",
    metadata,
    # Overrides of the configured per-channel capacity for one agent.
    sa.Column("agent_id", sa.String(64), sa.ForeignKey("agents.id"), primary_key=True),
    sa.Column("channel", sa.String(20), primary_key=True),
    sa.Column("capacity", sa.Integer, nullable=False),
)

offers = sa.Table(
    "offers",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id"),
              nullable=False),
    sa.Column("agent_id", sa.String(64), sa.ForeignKey("agents.id"), nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("expires_at", sa.BigInteger, nullable=False),
    # open, accepted, declined, timeout, withdrawn
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("reason", sa.String(40), nullable=True),
    sa.Column("answered_at", sa.BigInteger, nullable=True),
    sa.Index("ix_offers_agent_status", "agent_id", "status"),
    sa.Index("ix_offers_conversation", "conversation_id"),
)

sla_breaches = sa.Table(
    "sla_breaches",
    metadata,
    sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id"),
              primary_key=True),
    sa.Column("kind", sa.String(20), primary_key=True),
    sa.Column("at", sa.BigInteger, nullable=False),
    sa.Column("queue_id", sa.String(64), nullable=True),
    sa.Column("agent_id", sa.String(64), nullable=True),
)


# ---- email (step 5) ----------------------------------------------------------------

# Every mail exactly as received (or as sent), written before it is parsed.
email_raw = sa.Table(
    "email_raw",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    # Where it came from, unique per source: "imap:<mailbox>:<uidvalidity>:<uid>",
    # "smtp:<id>", "out:<message id>". A second delivery of the same key is a no-op.
    sa.Column("source_key", sa.String(300), nullable=False, unique=True),
    sa.Column("received_at", sa.BigInteger, nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
    # stored -> processed, or failed (error says why; the raw stays).
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("message_id", sa.String(64), nullable=True),
    sa.Index("ix_email_raw_state", "state", "received_at"),
)

# A received mail's bytes, apart from its row in email_raw: that row changes state
# on the event loop when the mail is processed, and SQLite rewrites a whole row,
# megabytes of mail included, on every update. Rows stored before version 12 keep
# their bytes in email_raw.data (new rows leave it empty).
email_raw_data = sa.Table(
    "email_raw_data",
    metadata,
    sa.Column("raw_id", sa.String(64), sa.ForeignKey("email_raw.id"), primary_key=True),
    sa.Column("data", sa.LargeBinary, nullable=False),
)

# One row rewritten by /healthz: a real write that fails while the disk is full
# or the database read-only, and succeeds again once it is not.
health_probe = sa.Table(
    "health_probe",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("checked_at", sa.BigInteger, nullable=False),
)

# Customer satisfaction (hub/feedback): one CSAT rating per conversation, credited
# to the agent who last held it; NPS answers per customer (many over the years).
conversation_ratings = sa.Table(
    "conversation_ratings",
    metadata,
    sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id"),
              primary_key=True),
    sa.Column("customer_id", sa.String(64), nullable=False, index=True),
    sa.Column("agent_id", sa.String(64), nullable=True, index=True),
    sa.Column("queue_id", sa.String(64), nullable=True),
    sa.Column("channel", sa.String(20), nullable=False),
    sa.Column("score", sa.Integer, nullable=False),
    sa.Column("solved", sa.Boolean, nullable=True),
    sa.Column("comment", sa.Text, nullable=True),
    sa.Column("source", sa.String(20), nullable=False),
    sa.Column("rated_at", sa.BigInteger, nullable=False, index=True),
)

nps_answers = sa.Table(
    "nps_answers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("customer_id", sa.String(64), nullable=False, index=True),
    sa.Column("conversation_id", sa.String(64), nullable=True),
    sa.Column("agent_id", sa.String(64), nullable=True),
    sa.Column("queue_id", sa.String(64), nullable=True),
    sa.Column("score", sa.Integer, nullable=False),
    sa.Column("reason", sa.Text, nullable=True),
    sa.Column("answered_at", sa.BigInteger, nullable=False, index=True),
)


# The email side of a message (the messages row holds author, text, time).
email_messages = sa.Table(
    "email_messages",
    metadata,
    sa.Column("message_id", sa.String(64), sa.ForeignKey("messages.id"), primary_key=True),
    sa.Column("conversation_id", sa.String(64), nullable=False),
    sa.Column("raw_id", sa.String(64), nullable=True),
    sa.Column("direction", sa.String(20), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("header_message_id", sa.String(998), nullable=False),
    # EmailDetails as JSON (without attachments, which have their own rows).
    sa.Column("details", sa.Text, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("next_attempt_at", sa.BigInteger, nullable=True),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Index("ix_email_messages_header", "header_message_id"),
    sa.Index("ix_email_messages_conversation", "conversation_id", "created_at"),
    sa.Index("ix_email_messages_outbox", "status", "next_attempt_at"),
)

# Attachments of received mail, and files agents uploaded for mail they send.
email_attachments = sa.Table(
    "email_attachments",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("message_id", sa.String(64), nullable=True),
    sa.Column("uploaded_by", sa.String(64), nullable=True),
    sa.Column("filename", sa.String(255), nullable=False),
    sa.Column("content_type", sa.String(255), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("content_id", sa.String(255), nullable=True),
    sa.Column("inline", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Index("ix_email_attachments_message", "message_id"),
)

# One row per email conversation: its token ("ZX-…") and the customer's address.
email_threads = sa.Table(
    "email_threads",
    metadata,
    sa.Column("conversation_id", sa.String(64), primary_key=True),
    sa.Column("token", sa.String(40), nullable=False, unique=True),
    sa.Column("customer_address", sa.String(320), nullable=False),
    sa.Column("subject", sa.Text, nullable=False),
)

# IMAP progress per mailbox: nothing fetched twice or skipped across restarts.
email_mailboxes = sa.Table(
    "email_mailboxes",
    metadata,
    sa.Column("mailbox", sa.String(300), primary_key=True),
    sa.Column("uidvalidity", sa.BigInteger, nullable=False),
    sa.Column("last_uid", sa.BigInteger, nullable=False),
)

# Which hub process imports a mailbox, and until when (ms) its lease holds: it renews
# the lease while it imports; another process takes the mailbox only after that.
email_mailbox_leases = sa.Table(
    "email_mailbox_leases",
    metadata,
    sa.Column("mailbox", sa.String(300), primary_key=True),
    sa.Column("holder", sa.String(64), nullable=True),
    sa.Column("lease_until", sa.BigInteger, nullable=False),
)


# One row per agent leg of a call (a blind transfer makes a second leg).
calls = sa.Table(
    "calls",
    metadata,
    sa.Column("call_id", sa.String(64), primary_key=True),
    sa.Column("agent_id", sa.String(64), primary_key=True),
    sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id"), nullable=False),
    sa.Column("direction", sa.String(20), nullable=False),
    sa.Column("started_at", sa.BigInteger, nullable=False),
    sa.Column("answered_at", sa.BigInteger, nullable=True),
    sa.Column("ended_at", sa.BigInteger, nullable=False),
    sa.Column("end_reason", sa.String(40), nullable=False),
    sa.Column("quality", sa.Text, nullable=True),  # JSON CallQuality (the worst report)
    sa.Column("disposition", sa.String(40), nullable=True),
    sa.Column("note", sa.Text, nullable=True),
    sa.Index("ix_calls_conversation", "conversation_id"),
)

# Transcripts of recorded calls (hub/calls/transcripts): one row per call saying
# how far its transcription got, and what each side said.
call_transcripts = sa.Table(
    "call_transcripts",
    metadata,
    sa.Column("call_id", sa.String(64), primary_key=True),
    sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id"),
              nullable=False),
    sa.Column("recording", sa.Text, nullable=False),  # the file's path on the hub
    sa.Column("status", sa.String(20), nullable=False),  # pending, running, done, failed
    sa.Column("error_code", sa.String(40), nullable=True),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("submitted_at", sa.BigInteger, nullable=False),
    sa.Column("finished_at", sa.BigInteger, nullable=True),
    sa.Column("audio_ms", sa.BigInteger, nullable=True),
    sa.Column("speech_ms", sa.BigInteger, nullable=True),
    sa.Column("cpu_ms", sa.BigInteger, nullable=True),
    sa.Column("model", sa.String(40), nullable=True),
    # The process working on a running job, and until when (ms) its lease holds: it
    # renews the lease while it works; another process takes the job only after that.
    sa.Column("lease_holder", sa.String(64), nullable=True, info=_since(32)),
    sa.Column("lease_until", sa.BigInteger, nullable=True, info=_since(32)),
    sa.Index("ix_call_transcripts_conversation", "conversation_id"),
    sa.Index("ix_call_transcripts_status", "status", "submitted_at"),
)

call_transcript_segments = sa.Table(
    "call_transcript_segments",
    metadata,
    sa.Column("call_id", sa.String(64), sa.ForeignKey("call_transcripts.call_id"),
              primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("speaker", sa.String(20), nullable=False),  # customer (channel 1), agent
    sa.Column("start_ms", sa.BigInteger, nullable=False),
    sa.Column("end_ms", sa.BigInteger, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("language", sa.String(8), nullable=False),
)

# SIP calls the desktop reported as started and not yet ended (the PBX carries
# them; the hub only hears of them). The finished call goes to ``calls``.
sip_calls = sa.Table(
    "sip_calls",
    metadata,
    sa.Column("call_id", sa.String(64), primary_key=True),
    sa.Column("agent_id", sa.String(64), nullable=False),
    sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id"), nullable=False),
    sa.Column("direction", sa.String(20), nullable=False),
    sa.Column("number", sa.String(64), nullable=False),
    sa.Column("started_at", sa.BigInteger, nullable=False),
    sa.Column("answered_at", sa.BigInteger, nullable=True),
    sa.Index("ix_sip_calls_agent", "agent_id"),
)

# Agent assist: quick replies (personal ones have an owner; team ones none).
quick_replies = sa.Table(
    "quick_replies",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("scope", sa.String(20), nullable=False),
    sa.Column("owner_id", sa.String(64), sa.ForeignKey("agents.id"), nullable=True),
    sa.Column("category", sa.String(60), nullable=False, server_default=""),
    sa.Column("shortcut", sa.String(40), nullable=False, server_default=""),
    sa.Column("title", sa.String(120), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("channel", sa.String(20), nullable=False, server_default="any"),
    sa.Column("updated_at", sa.BigInteger, nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=True),
    sa.Index("ix_quick_replies_owner", "owner_id"),
)

# An agent's verdict on a suggestion (helpful or wrong), for supervisors.
suggestion_feedback = sa.Table(
    "suggestion_feedback",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("agent_id", sa.String(64), sa.ForeignKey("agents.id"), nullable=False),
    sa.Column("conversation_id", sa.String(64), nullable=False),
    sa.Column("message_id", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("item_id", sa.String(64), nullable=False),
    sa.Column("verdict", sa.String(20), nullable=False),
    sa.Column("title", sa.String(200), nullable=False, server_default=""),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    # One verdict per agent and suggestion: a second one replaces it.
    sa.UniqueConstraint("agent_id", "message_id", "kind", "item_id",
                        name="uq_suggestion_feedback"),
    sa.Index("ix_suggestion_feedback_created", "created_at"),
)

# One row per classified customer message (hub/assist): what the agent was shown.
message_sentiment = sa.Table(
    "message_sentiment",
    metadata,
    sa.Column("message_id", sa.String(64), sa.ForeignKey("messages.id"), primary_key=True),
    sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id"),
              nullable=False),
    sa.Column("sentiment", sa.String(20), nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("reasons", sa.Text, nullable=False),  # JSON list of reason codes
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Index("ix_message_sentiment_conversation", "conversation_id", "created_at"),
)


# ---- quality inspection (step 19) ----------------------------------------------------

# One score per closed conversation (hub/supervision/quality): the rules' results as
# JSON (core.protocol.quality.RuleResult), the review and the appeal.
quality_scores = sa.Table(
    "quality_scores",
    metadata,
    sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id"),
              primary_key=True),
    sa.Column("agent_id", sa.String(64), nullable=True),
    sa.Column("queue_id", sa.String(64), nullable=True),
    sa.Column("channel", sa.String(20), nullable=False),
    # The conversation's closed_at when scored: a reopened and closed again one is new.
    sa.Column("closed_at", sa.BigInteger, nullable=False),
    sa.Column("scored_at", sa.BigInteger, nullable=False),
    sa.Column("rules_version", sa.String(40), nullable=False),
    sa.Column("score", sa.Integer, nullable=True),
    sa.Column("final_score", sa.Integer, nullable=True),
    sa.Column("fatal", sa.Boolean, nullable=False),
    sa.Column("results", sa.Text, nullable=False),
    sa.Column("review", sa.String(20), nullable=False),
    sa.Column("review_reason", sa.String(20), nullable=True),
    sa.Column("appealed_at", sa.BigInteger, nullable=True),
    sa.Column("appeal_comment", sa.Text, nullable=True),
    sa.Index("ix_quality_scores_agent", "agent_id", "closed_at"),
    sa.Index("ix_quality_scores_closed", "closed_at"),
    sa.Index("ix_quality_scores_review", "review", "scored_at"),
)

# Every step of a score's life: scored, rescored, queued, confirmed, overridden, appealed.
quality_audit = sa.Table(
    "quality_audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(64), nullable=False),
    sa.Column("at", sa.BigInteger, nullable=False),
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("actor_id", sa.String(64), nullable=True),  # null: the hub
    sa.Column("score", sa.Integer, nullable=True),
    sa.Column("comment", sa.Text, nullable=True),
    sa.Index("ix_quality_audit_conversation", "conversation_id", "at"),
)

# How far scoring has come through closed conversations: (closed_at, id) of the last.
quality_cursor = sa.Table(
    "quality_cursor",
    metadata,
    sa.Column("name", sa.String(20), primary_key=True),
    sa.Column("closed_at", sa.BigInteger, nullable=False),
    sa.Column("conversation_id", sa.String(64), nullable=False),
)


# ---- self-service bot (step 15) -----------------------------------------------------

# One row per conversation the bot held: whether it contained it (the customer said
# an answer helped and never asked for a person) and why it was handed off, if it was.
bot_conversations = sa.Table(
    "bot_conversations",
    metadata,
    sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id"),
              primary_key=True),
    sa.Column("contained", sa.Boolean, nullable=False, default=False),
    sa.Column("answers", sa.Integer, nullable=False, default=0),
    sa.Column("declined", sa.Integer, nullable=False, default=0),
    sa.Column("handoff_reason", sa.String(40), nullable=True),
    sa.Column("handoff_at", sa.BigInteger, nullable=True),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    # What the bot needs to go on after a restart or on another hub process: the
    # widget topic the chat came with, and when a person took it some other way
    # (the bot never answers again then).
    sa.Column("topic", sa.String(80), nullable=True, info=_since(31)),
    sa.Column("released_at", sa.BigInteger, nullable=True, info=_since(31)),
)

# A customer question the bot had no confident answer for.
bot_unanswered = sa.Table(
    "bot_unanswered",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id"),
              nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Index("ix_bot_unanswered_created", "created_at"),
)


# ---- knowledge base (step 9) --------------------------------------------------------

# One row per article: who it is now (its newest version's fields, copied here so
# lists and the search index read one table).
kb_articles = sa.Table(
    "kb_articles",
    metadata,
    # The operator's own id (the Markdown file's front matter), stable across imports.
    sa.Column("id", sa.String(120), primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("language", sa.String(8), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),  # draft, published
    sa.Column("tags", sa.Text, nullable=False),  # JSON list of strings
    sa.Column("version", sa.Integer, nullable=False),  # the newest version
    sa.Column("created_by", sa.String(120), nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("updated_at", sa.BigInteger, nullable=False),
    sa.Index("ix_kb_articles_status", "status", "language"),
)

# Every change is a new row; rows are never updated or deleted.
kb_article_versions = sa.Table(
    "kb_article_versions",
    metadata,
    sa.Column("article_id", sa.String(120), sa.ForeignKey("kb_articles.id"), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),  # Markdown
    sa.Column("language", sa.String(8), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("tags", sa.Text, nullable=False),
    # SHA-256 of the fields above: an import of unchanged content adds nothing.
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("author", sa.String(120), nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
)

# Sentence embeddings of an article version's passages (float32, little-endian).
kb_embeddings = sa.Table(
    "kb_embeddings",
    metadata,
    sa.Column("article_id", sa.String(120), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("model", sa.String(80), primary_key=True),
    sa.Column("passage", sa.Integer, primary_key=True),  # 0: title + answer paragraph
    sa.Column("dim", sa.Integer, nullable=False),
    sa.Column("vector", sa.LargeBinary, nullable=False),
    sa.ForeignKeyConstraint(
        ["article_id", "version"],
        ["kb_article_versions.article_id", "kb_article_versions.version"],
    ),
)

# Monitoring and coaching (hub/supervision/coaching*): who watches which
# conversation, the coaching notes (never shown to customers), and the audit log
# of every supervisor command.
conversation_monitors = sa.Table(
    "conversation_monitors",
    metadata,
    sa.Column("conversation_id", sa.String(64), primary_key=True),
    sa.Column("supervisor_id", sa.String(64), sa.ForeignKey("agents.id"), primary_key=True),
    sa.Column("since", sa.BigInteger, nullable=False),
    sa.Column("barged", sa.Boolean, nullable=False, server_default=sa.false()),
)

coaching_notes = sa.Table(
    "coaching_notes",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("conversation_id", sa.String(64), nullable=False),
    sa.Column("author_id", sa.String(64), nullable=False),
    sa.Column("author_name", sa.String(120), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Index("ix_coaching_notes_conversation", "conversation_id", "created_at"),
)

supervision_audit = sa.Table(
    "supervision_audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.BigInteger, nullable=False),
    sa.Column("actor_id", sa.String(64), nullable=False),
    sa.Column("action", sa.String(30), nullable=False),
    sa.Column("op", sa.String(64), nullable=False),
    sa.Column("conversation_id", sa.String(64), nullable=True),
    sa.Column("target_agent_id", sa.String(64), nullable=True),
    sa.Column("reason", sa.Text, nullable=False, server_default=""),
    sa.Column("detail", sa.Text, nullable=False, server_default="{}"),  # JSON
    sa.Index("ix_supervision_audit_at", "at"),
)

# ---- supervision (step 17) -------------------------------------------------------

# One row per stretch a conversation waits in a queue and is then handled: the
# supervisor's figures and the reports are computed from these (hub/supervision).
contact_segments = sa.Table(
    "contact_segments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(64), nullable=False),
    sa.Column("queue_id", sa.String(64), nullable=False),
    sa.Column("channel", sa.String(20), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),  # new, transfer, reopen, requeue
    sa.Column("enqueued_at", sa.BigInteger, nullable=False),
    sa.Column("answered_at", sa.BigInteger, nullable=True),
    sa.Column("agent_id", sa.String(64), nullable=True),
    sa.Column("first_reply_at", sa.BigInteger, nullable=True),
    sa.Column("done_at", sa.BigInteger, nullable=True),
    sa.Column("outcome", sa.String(20), nullable=True),
    sa.Index("ix_contact_segments_conversation", "conversation_id", "enqueued_at"),
    sa.Index("ix_contact_segments_enqueued", "enqueued_at"),
    sa.Index("ix_contact_segments_done", "done_at"),
)

# Every presence change of every agent (occupancy, time in state).
presence_log = sa.Table(
    "presence_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("agent_id", sa.String(64), nullable=False),
    sa.Column("presence", sa.String(20), nullable=False),
    sa.Column("at", sa.BigInteger, nullable=False),
    sa.Index("ix_presence_log_at", "at"),
    sa.Index("ix_presence_log_agent", "agent_id", "at"),
)

# ---- reports and retention (step 20) --------------------------------------------------

# What the retention job removed: one row per kind per run (the audit PIPL/GDPR expect).
retention_runs = sa.Table(
    "retention_runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("ran_at", sa.BigInteger, nullable=False, index=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("days", sa.Integer, nullable=False),
    sa.Column("cutoff", sa.BigInteger, nullable=False),
    sa.Column("removed", sa.Integer, nullable=False),  # conversations, messages or rows
    sa.Column("detail", sa.Text, nullable=False),  # JSON: rows removed per table
    sa.Column("trigger", sa.String(20), nullable=False),  # schedule, command
)

# Scheduled report work, claimed once across hub processes (the key is the period).
report_runs = sa.Table(
    "report_runs",
    metadata,
    sa.Column("job", sa.String(20), primary_key=True),  # weekly, retention
    sa.Column("period", sa.BigInteger, primary_key=True),  # the period's start
    sa.Column("started_at", sa.BigInteger, nullable=False),
    sa.Column("finished_at", sa.BigInteger, nullable=True),
    sa.Column("outcome", sa.Text, nullable=True),
)

# ---- follow-ups (step 21) ---------------------------------------------------------------

# Work a conversation leaves behind (hub/followups); it outlives the conversation.
followups = sa.Table(
    "followups",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("conversation_id", sa.String(64), nullable=False, index=True),
    sa.Column("customer_id", sa.String(64), nullable=False, index=True),
    sa.Column("owner_id", sa.String(64), nullable=True, index=True),
    sa.Column("queue_id", sa.String(64), nullable=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("source", sa.String(20), nullable=False),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("contact_email", sa.String(254), nullable=True),
    sa.Column("contact_phone", sa.String(40), nullable=True),
    sa.Column("callback_at", sa.BigInteger, nullable=True),
    sa.Column("locale", sa.String(20), nullable=True),
    # The reminder outlives a restart: stored, re-armed on start (reminded_at set: done).
    sa.Column("due_at", sa.BigInteger, nullable=False),
    sa.Column("remind_at", sa.BigInteger, nullable=False),
    sa.Column("reminded_at", sa.BigInteger, nullable=True),
    sa.Column("created_by", sa.String(64), nullable=True),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("updated_at", sa.BigInteger, nullable=False),
    sa.Column("solved_at", sa.BigInteger, nullable=True),
    # The widget frame that left the message (a repeat answers as the first time).
    sa.Column("left_key", sa.String(64), nullable=True),
    sa.Index("ix_followups_remind", "status", "remind_at"),
    sa.UniqueConstraint("customer_id", "left_key", name="uq_followups_left_key"),
)

# Mails to customers about follow-ups (a left message confirmed, a follow-up solved),
# written in the unit that caused them and sent after the commit, with retries.
followup_mails = sa.Table(
    "followup_mails",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("followup_id", sa.String(64), nullable=False, index=True),
    sa.Column("kind", sa.String(20), nullable=False),  # confirm, solved
    sa.Column("to_addr", sa.String(254), nullable=False),
    sa.Column("locale", sa.String(20), nullable=True),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("next_at", sa.BigInteger, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("sent_at", sa.BigInteger, nullable=True),
    sa.Column("error", sa.Text, nullable=True),
    sa.Index("ix_followup_mails_pending", "sent_at", "next_at"),
)

# ---- roles and the audit log (step 23) --------------------------------------------

# Custom roles (hub.access): built-in roles live in code; these come from the
# operator's roles file, so every hub process on the database agrees.
roles = sa.Table(
    "roles",
    metadata,
    sa.Column("name", sa.String(20), primary_key=True),
    sa.Column("permissions", sa.Text, nullable=False),  # JSON list of permission names
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("updated_at", sa.BigInteger, nullable=False),
)

# Who did what to which customer or conversation, append-only: each row holds the
# previous row's hash and its own (hub.access.audit_log). ``audit_head`` is one row,
# the chain's end, updated in the same transaction as the row written after it
# (made by the first row: an empty database holds no row at all).
audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("at", sa.BigInteger, nullable=False),
    sa.Column("actor", sa.String(120), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("customer_id", sa.String(64), nullable=True),
    sa.Column("conversation_id", sa.String(64), nullable=True),
    sa.Column("target", sa.String(200), nullable=True),
    sa.Column("detail", sa.Text, nullable=False),  # JSON object
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.Index("ix_audit_log_at", "at"),
    sa.Index("ix_audit_log_actor", "actor", "at"),
    sa.Index("ix_audit_log_customer", "customer_id", "at"),
)
audit_head = sa.Table(
    "audit_head",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("last_id", sa.BigInteger, nullable=False),
    sa.Column("last_hash", sa.String(64), nullable=False),
)
AUDIT_GENESIS = "0" * 64

# Proactive outreach (hub/outreach): every trigger that opened the widget and every
# agent's reach-out; rate limits and the customer's timeline read it.
outreach_log = sa.Table(
    "outreach_log",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("customer_id", sa.String(64), nullable=False),
    sa.Column("at", sa.BigInteger, nullable=False),
    sa.Column("source", sa.String(16), nullable=False),  # trigger | agent
    sa.Column("trigger_id", sa.String(64)),
    sa.Column("agent_id", sa.String(64)),
    sa.Column("channel", sa.String(16), nullable=False),  # widget | email
    sa.Column("conversation_id", sa.String(64)),
    sa.Column("lang", sa.String(8)),
    sa.Column("url", sa.String(2048)),
    sa.Column("text", sa.Text, nullable=False),
    sa.Index("ix_outreach_log_customer_at", "customer_id", "at"),
)

# Call recordings (hub/calls/recordings.py): one file per agent leg, stored under the
# hub's recordings folder (``path`` is relative to it). Kept until ``delete_after``
# (the queue's recording_retention_days) or the reports file's recordings_days.
call_recordings = sa.Table(
    "call_recordings",
    metadata,
    sa.Column("call_id", sa.String(64), primary_key=True),
    sa.Column("agent_id", sa.String(64), primary_key=True),
    sa.Column("conversation_id", sa.String(64), nullable=False),
    sa.Column("queue_id", sa.String(64), nullable=True),
    sa.Column("path", sa.String(255), nullable=False),
    sa.Column("content_type", sa.String(60), nullable=False),
    sa.Column("channels", sa.Integer, nullable=False),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("duration_s", sa.Float, nullable=False),
    sa.Column("stored_at", sa.BigInteger, nullable=False),
    sa.Column("delete_after", sa.BigInteger, nullable=True),
    sa.Index("ix_call_recordings_conversation", "conversation_id"),
    sa.Index("ix_call_recordings_delete_after", "delete_after"),
)

# Every playback or download of a recording, and every refused attempt (who, what,
# when). Retention keeps these rows: they are the access audit.
recording_access = sa.Table(
    "recording_access",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("call_id", sa.String(64), nullable=False),
    sa.Column("recording_agent_id", sa.String(64), nullable=False),
    sa.Column("by_agent_id", sa.String(64), nullable=False),
    sa.Column("action", sa.String(20), nullable=False),  # play, download, refused
    sa.Column("at", sa.BigInteger, nullable=False),
    sa.Index("ix_recording_access_call", "call_id"),
)

# ---- routing with several hub processes (PostgreSQL; see docs/scale-out.md) ------------
# Self-contained: only routing with several processes reads or writes these.

# One row (id 1): the term of the elected router. A router takes the term up by one
# when elected and checks it, under a share lock, in every transaction that offers.
routing_lease = sa.Table(
    "routing_lease",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("term", sa.BigInteger, nullable=False),
    sa.Column("holder", sa.String(160), nullable=False),
    sa.Column("since", sa.BigInteger, nullable=False),
)

# A conversation waiting for an agent, as the router holds it: what routing
# decided about it and who declined or missed it, so a new router goes on from it.
routing_waiting = sa.Table(
    "routing_waiting",
    metadata,
    sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id"),
              primary_key=True),
    sa.Column("queue_id", sa.String(64), nullable=False),
    sa.Column("base", sa.Float, nullable=False),
    sa.Column("enqueued_at", sa.BigInteger, nullable=False),
    sa.Column("preferred_agent", sa.String(64), nullable=True),
    sa.Column("transferred_by", sa.String(120), nullable=True),
    sa.Column("customer_name", sa.String(120), nullable=False, server_default=""),
    sa.Column("excluded", sa.Text, nullable=False, server_default="[]"),  # JSON list
    sa.Column("declined", sa.Text, nullable=False, server_default="[]"),  # JSON list
    sa.Column("strict", sa.Boolean, nullable=False, server_default=sa.false()),
)

# Which hub process holds a socket of which agent. A process is alive while its
# routing connection is (application_name ``zuoxi-hub/<token>``).
agent_links = sa.Table(
    "agent_links",
    metadata,
    sa.Column("agent_id", sa.String(64), sa.ForeignKey("agents.id"), primary_key=True),
    sa.Column("process", sa.String(120), primary_key=True),
    sa.Column("since", sa.BigInteger, nullable=False),
)

# An agent with no socket on any process since ``since``: the router sets them away
# after the grace period and releases their conversations later.
agent_absence = sa.Table(
    "agent_absence",
    metadata,
    sa.Column("agent_id", sa.String(64), sa.ForeignKey("agents.id"), primary_key=True),
    sa.Column("since", sa.BigInteger, nullable=False),
    sa.Column("graced", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("auto_away", sa.Boolean, nullable=False, server_default=sa.false()),
)


# Frames for a customer's widget or an agent's desktop that another hub process
# may hold the socket of (PostgreSQL; hub.store.bus): the holding process reads a
# frame here when its hint arrives, or when it catches up after its listening
# connection dropped. Kept for minutes only; any process deletes older rows.
relay_frames = sa.Table(
    "relay_frames",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True,
              autoincrement=True),
    sa.Column("target", sa.String(10), nullable=False),  # customer | agent
    sa.Column("owner", sa.String(64), nullable=False),  # the customer's or agent's id
    sa.Column("frame", sa.Text, nullable=False),  # the frame as sent on the socket
    sa.Column("origin", sa.String(64), nullable=False),  # the sending process's token
    sa.Column("made_at", sa.BigInteger, nullable=False),
    sa.Index("ix_relay_frames_made_at", "made_at"),
)

# Which hub process holds a widget socket of which customer (PostgreSQL), so a
# process decides "online in the widget" for customers connected elsewhere. A
# process is alive while its routing connection is (as for ``agent_links``).
customer_links = sa.Table(
    "customer_links",
    metadata,
    sa.Column("customer_id", sa.String(64), primary_key=True),
    sa.Column("process", sa.String(120), primary_key=True),
    sa.Column("since", sa.BigInteger, nullable=False),
)


def _v1_initial(conn: Connection) -> None:
    for table in (
        agents,
        tokens,
        queues,
        customers,
        identities,
        conversations,
        messages,
        agent_events,
        ops,
    ):
        table.create(conn)


def _v2_customer_tags(conn: Connection) -> None:
    customer_tags.create(conn)


def _add_columns(conn: Connection, table: sa.Table, version: int) -> None:
    """Add ``table``'s columns of ``version`` that the database does not have yet."""
    have = {c["name"] for c in sa.inspect(conn).get_columns(table.name)}
    for column in table.columns:
        if column.info.get("since", 1) != version or column.name in have:
            continue
        ddl = sa.schema.CreateColumn(column).compile(dialect=conn.dialect)
        conn.execute(sa.text(f"ALTER TABLE {table.name} ADD COLUMN {ddl}"))


def _v3_profiles(conn: Connection) -> None:
    for table in (customers, identities, conversations):
        _add_columns(conn, table, 3)
    for table in (notes, merges, agent_queues):
        table.create(conn)
    # Until now every agent saw every customer: keep that for existing agents by
    # giving each one every existing queue (supervisors see all anyway).
    queue_ids = list(conn.execute(sa.select(queues.c.id)).scalars())
    rows = [
        {"agent_id": agent_id, "queue_id": queue_id}
        for agent_id in conn.execute(sa.select(agents.c.id)).scalars()
        for queue_id in sorted({*queue_ids, "store"})
    ]
    if rows:
        conn.execute(agent_queues.insert(), rows)
    conn.execute(customers.update().values(auto_tags=json.dumps([])))


def _v4_routing(conn: Connection) -> None:
    for table in (agents, conversations):
        _add_columns(conn, table, 4)
    for table in (agent_skills, agent_capacity, offers, sla_breaches):
        table.create(conn)


def _v5_email(conn: Connection) -> None:
    for table in (email_raw, email_messages, email_attachments, email_threads, email_mailboxes):
        table.create(conn)


def _v6_calls(conn: Connection) -> None:
    calls.create(conn)


def _v7_identity_claims(conn: Connection) -> None:
    _add_columns(conn, merges, 7)
    identity_claims.create(conn)
    # Typed contact points owned their key and made mail from the address fail:
    # they become claims, and the key is free for the address's owner.
    unverified = identities.c.verified == sa.false()
    rows = [
        {"customer_id": r.customer_id, "kind": r.kind, "value": r.value,
         "created_at": int(time.time() * 1000)}
        for r in conn.execute(sa.select(identities).where(unverified))
    ]
    if rows:
        conn.execute(identity_claims.insert(), rows)
    conn.execute(identities.delete().where(unverified))


def _v10_assist(conn: Connection) -> None:
    quick_replies.create(conn)
    suggestion_feedback.create(conn)
def _v8_sentiment(conn: Connection) -> None:
    _add_columns(conn, conversations, 8)
    message_sentiment.create(conn)
def _v9_knowledge_base(conn: Connection) -> None:
    for table in (kb_articles, kb_article_versions, kb_embeddings):
        table.create(conn)
def _v12_raw_data_and_health_probe(conn: Connection) -> None:
    email_raw_data.create(conn)
    health_probe.create(conn)


def _v15_selfservice(conn: Connection) -> None:
    for table in (bot_conversations, bot_unanswered):
        table.create(conn)


def _v16_feedback(conn: Connection) -> None:
    conversation_ratings.create(conn)
    nps_answers.create(conn)


def _v17_supervision(conn: Connection) -> None:
    contact_segments.create(conn)
    presence_log.create(conn)


def _v18_coaching(conn: Connection) -> None:
    for table in (conversation_monitors, coaching_notes, supervision_audit):
        table.create(conn)


def _v19_quality(conn: Connection) -> None:
    for table in (quality_scores, quality_audit, quality_cursor):
        table.create(conn)
    # Scoring walks closed conversations in closing order.
    conn.execute(sa.text(
        "CREATE INDEX IF NOT EXISTS ix_conversations_closed_at ON conversations (closed_at)"))


def _v20_reports(conn: Connection) -> None:
    retention_runs.create(conn)
    report_runs.create(conn)


def _v21_followups(conn: Connection) -> None:
    followups.create(conn)
    followup_mails.create(conn)


def _v22_agent_teams(conn: Connection) -> None:
    _add_columns(conn, agents, 22)


def _v24_call_recordings(conn: Connection) -> None:
    call_recordings.create(conn)
    recording_access.create(conn)


def _v25_call_transcripts(conn: Connection) -> None:
    # Self-contained (two new tables, nothing else touched), so it may be renumbered.
    for table in (call_transcripts, call_transcript_segments):
        table.create(conn)


def _v26_outreach(conn: Connection) -> None:
    outreach_log.create(conn)


def _v28_sip_calls(conn: Connection) -> None:
    sip_calls.create(conn)


def _v29_roles_and_audit(conn: Connection) -> None:
    for table in (roles, audit_log, audit_head):
        table.create(conn)


def _v30_routing_cluster(conn: Connection) -> None:
    for table in (routing_lease, routing_waiting, agent_links, agent_absence):
        table.create(conn)
    if conn.dialect.name == "postgresql":
        # At most one open offer per conversation, whichever process makes it.
        conn.execute(sa.text(
            "CREATE UNIQUE INDEX IF NOT EXISTS ux_offers_open_conversation "
            "ON offers (conversation_id) WHERE status = 'open'"))


def _v31_bot_state(conn: Connection) -> None:
    _add_columns(conn, bot_conversations, 31)


def _v32_transcript_lease(conn: Connection) -> None:
    _add_columns(conn, call_transcripts, 32)


def _v33_mailbox_lease(conn: Connection) -> None:
    # Self-contained (one new table), so it may be renumbered.
    email_mailbox_leases.create(conn)


def _v34_relay_frames(conn: Connection) -> None:
    # Self-contained (two new tables), so it may be renumbered.
    relay_frames.create(conn)
    customer_links.create(conn)


def _v35_kb_listing_index(conn: Connection) -> None:
    # The desktop's first listing pages through the published articles by id
    # (``kb_list``: status = 'published' AND id > after ORDER BY id LIMIT n): with
    # this index each page reads its rows in order instead of sorting every published
    # article. Self-contained (one new index), so it may be renumbered.
    conn.execute(sa.text(
        "CREATE INDEX IF NOT EXISTS ix_kb_articles_status_id ON kb_articles (status, id)"))


# Append new steps here; never edit a step that has shipped.
MIGRATIONS: list[tuple[int, Callable[[Connection], None]]] = [
    (1, _v1_initial),
    (2, _v2_customer_tags),
    (3, _v3_profiles),
    (4, _v4_routing),
    (5, _v5_email),
    (6, _v6_calls),
    (7, _v7_identity_claims),
    (8, _v8_sentiment),
    (9, _v9_knowledge_base),
    (10, _v10_assist),
    (12, _v12_raw_data_and_health_probe),
    (15, _v15_selfservice),
    (16, _v16_feedback),
    (17, _v17_supervision),
    (18, _v18_coaching),
    (19, _v19_quality),
    (20, _v20_reports),
    (21, _v21_followups),
    (22, _v22_agent_teams),
    (24, _v24_call_recordings),
    (25, _v25_call_transcripts),
    (26, _v26_outreach),
    (28, _v28_sip_calls),
    (29, _v29_roles_and_audit),
    (30, _v30_routing_cluster),
    (31, _v31_bot_state),
    (32, _v32_transcript_lease),
    (33, _v33_mailbox_lease),
    (34, _v34_relay_frames),
    (35, _v35_kb_listing_index),
]
LATEST_VERSION = MIGRATIONS[-1][0]


class SchemaTooNewError(RuntimeError):
    """The database was written by a newer hub than this one."""


def current_version(conn: Connection) -> int:
    if not sa.inspect(conn).has_table("schema_migrations"):
        return 0
    value = conn.execute(sa.select(sa.func.max(schema_migrations.c.version))).scalar()
    return int(value or 0)


def migrate(engine: Engine, target: int = LATEST_VERSION) -> int:
    """Bring the database to ``target``; returns the version it was at before."""
    with engine.begin() as conn:
        if not sa.inspect(conn).has_table("schema_migrations"):
            schema_migrations.create(conn)
        before = current_version(conn)
        if before > LATEST_VERSION:
            raise SchemaTooNewError(
                f"database schema version {before} is newer than this hub ({LATEST_VERSION})"
            )
        for version, step in MIGRATIONS:
            if before < version <= target:
                token = _creating_version.set(version)
                try:
                    step(conn)
                finally:
                    _creating_version.reset(token)
                conn.execute(
                    schema_migrations.insert().values(
                        version=version, applied_at=int(time.time() * 1000)
                    )
                )
        return before
