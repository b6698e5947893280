"""The cache's schema as a list of forward migrations; ``Cache`` applies them in order.

Each step is frozen SQL: once a version has shipped, its step never changes (a
cache written by that release must migrate the same way forever). A new version
appends a step and bumps ``SCHEMA_VERSION``. Steps run inside one transaction when
a file is opened, so a cache is either at its old version or at the new one.

    v1  customers, identities, conversations, messages, outbox, sync state
    v2  attachments' metadata; customer tags as rows (store mode looks customers
        up by tag); when a directory page last refreshed a customer
    v3  snapshot bookkeeping (which snapshot last listed a conversation) and why a
        conversation stopped being the agent's
    v4  the full customer record (JSON), verified and digits-only identities, notes,
        the timeline cache, recorded merges, and full-text search (FTS5 trigram)
        over customers and message text
    v5  messages indexed for search off the write path
    v6  routing: offers ringing, a conversation's priority, queue SLA due time,
        first reply, disposition and transfer note, SLA breaches, queue statistics
    v7  email: each mail's details (JSON), drafts saved as they are typed, and
        outgoing mails waiting for their attachments to upload
    v8  agent assist: quick replies, the latest suggestions of each conversation
        and the agent's verdicts on them; the last seq is forgotten once, so the
        hub sends a snapshot that carries the quick replies made before
    v9  sentiment trend of a conversation; supervisors' escalation alerts
    v10 coaching: supervisors' coaching notes (and who joined a conversation),
        the conversations a supervisor monitors
    v11 the knowledge base's articles this agent may read (published; drafts too
        for editors), for offline search (FTS5 trigram over title, body and tags)
    v12 follow-ups this agent owns
    v13 call transcripts: who said what in a call, searchable (FTS5 trigram)
    v14 each article's search row shares the article's rowid, so replacing or
        removing an article finds its row by rowid (the old lookup by article id
        read the whole index: a listing of 10,000 articles grew quadratic); the
        index is merged in bounded steps by its writer, not automatically
    v15 the articles indexed in the knowledge-base window's order (title, id), so
        it reads a window of rows, a count and a row's position without a sort;
        each search column ends with a newline, so two characters are always the
        start of a trigram and a two-character term is found through the index
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

import sqlite_utils

# receipt column of customer messages
RECEIPT_NONE, RECEIPT_DUE, RECEIPT_SENT = 0, 1, 2

V1_SQL = """
CREATE TABLE IF NOT EXISTS "meta" (
   "key" TEXT PRIMARY KEY,
   "value" TEXT
);
CREATE TABLE IF NOT EXISTS "sync_state" (
   "key" TEXT PRIMARY KEY,
   "value" TEXT
);
CREATE TABLE IF NOT EXISTS "customers" (
   "id" TEXT PRIMARY KEY,
   "name" TEXT,
   "language" TEXT,
   "tier" TEXT,
   "tags" TEXT
);
CREATE TABLE IF NOT EXISTS "identities" (
   "customer_id" TEXT REFERENCES "customers"("id"),
   "kind" TEXT,
   "value" TEXT,
   PRIMARY KEY ("customer_id", "kind", "value")
);
CREATE TABLE IF NOT EXISTS "conversations" (
   "id" TEXT PRIMARY KEY,
   "customer_id" TEXT,
   "channel" TEXT,
   "status" TEXT,
   "created_at" INTEGER,
   "queue" TEXT,
   "agent_id" TEXT,
   "closed_at" INTEGER,
   "closed_by" TEXT,
   "last_message_at" INTEGER,
   "last_text" TEXT,
   "last_author" TEXT,
   "waiting_since" INTEGER,
   "unread" INTEGER DEFAULT 0,
   "assigned" INTEGER DEFAULT 0
);
CREATE INDEX IF NOT EXISTS "idx_conversations_customer_id_created_at"
    ON "conversations" ("customer_id", "created_at");
CREATE INDEX IF NOT EXISTS "idx_conversations_assigned_status"
    ON "conversations" ("assigned", "status");
CREATE TABLE IF NOT EXISTS "messages" (
   "id" TEXT PRIMARY KEY,
   "conversation_id" TEXT,
   "author" TEXT,
   "text" TEXT,
   "created_at" INTEGER,
   "status" TEXT,
   "agent_id" TEXT,
   "author_name" TEXT,
   "receipt" INTEGER DEFAULT 0
);
CREATE INDEX IF NOT EXISTS "idx_messages_conversation_id_created_at"
    ON "messages" ("conversation_id", "created_at");
CREATE TABLE IF NOT EXISTS "outbox" (
   "op" TEXT PRIMARY KEY,
   "kind" TEXT,
   "payload" TEXT,
   "created_at" INTEGER,
   "conversation_id" TEXT,
   "message_id" TEXT,
   "revert" TEXT
);
"""

V2_SQL = """
CREATE TABLE "attachments" (
   "id" TEXT PRIMARY KEY,
   "message_id" TEXT NOT NULL,
   "name" TEXT NOT NULL,
   "mime" TEXT,
   "size" INTEGER,
   "sha256" TEXT
);
CREATE INDEX "idx_attachments_message_id" ON "attachments" ("message_id");
CREATE TABLE "customer_tags" (
   "customer_id" TEXT NOT NULL REFERENCES "customers"("id"),
   "tag" TEXT NOT NULL,
   PRIMARY KEY ("customer_id", "tag")
);
CREATE INDEX "idx_customer_tags_tag" ON "customer_tags" ("tag");
ALTER TABLE "customers" ADD COLUMN "refreshed_at" INTEGER;
CREATE INDEX "idx_identities_value" ON "identities" ("value");
"""

V3_SQL = """
ALTER TABLE "conversations" ADD COLUMN "snapshot_seq" INTEGER;
ALTER TABLE "conversations" ADD COLUMN "unassigned_reason" TEXT;
"""


V4_SQL = """
ALTER TABLE "customers" ADD COLUMN "record" TEXT;
ALTER TABLE "identities" ADD COLUMN "verified" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "identities" ADD COLUMN "digits" TEXT;
CREATE INDEX "idx_identities_customer_id" ON "identities" ("customer_id");
CREATE TABLE "notes" (
   "id" TEXT PRIMARY KEY,
   "customer_id" TEXT NOT NULL,
   "text" TEXT NOT NULL,
   "created_at" INTEGER NOT NULL,
   "author_id" TEXT,
   "author_name" TEXT,
   "updated_at" INTEGER,
   "state" INTEGER NOT NULL DEFAULT 0,
   "error" TEXT
);
CREATE INDEX "idx_notes_customer_id" ON "notes" ("customer_id", "created_at");
CREATE TABLE "timeline_items" (
   "customer_id" TEXT NOT NULL,
   "kind" TEXT NOT NULL,
   "id" TEXT NOT NULL,
   "at" INTEGER NOT NULL,
   "channel" TEXT,
   "record" TEXT NOT NULL,
   PRIMARY KEY ("customer_id", "kind", "id")
);
CREATE INDEX "idx_timeline_items_customer_at" ON "timeline_items" ("customer_id", "at", "id");
CREATE INDEX "idx_timeline_items_id" ON "timeline_items" ("id");
CREATE TABLE "timeline_ends" (
   "customer_id" TEXT NOT NULL,
   "channel" TEXT NOT NULL,
   PRIMARY KEY ("customer_id", "channel")
);
CREATE TABLE "merges" (
   "id" TEXT PRIMARY KEY,
   "source_id" TEXT NOT NULL,
   "target_id" TEXT NOT NULL,
   "source_name" TEXT,
   "conversation_ids" TEXT NOT NULL,
   "merged_at" INTEGER NOT NULL
);
CREATE INDEX "idx_merges_target_id" ON "merges" ("target_id");
CREATE VIRTUAL TABLE "customer_fts" USING fts5(
   "name", "handles", tokenize='trigram'
);
CREATE VIRTUAL TABLE "message_fts" USING fts5(
   "text", content='messages', content_rowid='rowid', tokenize='trigram'
);
CREATE TRIGGER "messages_fts_insert" AFTER INSERT ON "messages" BEGIN
   INSERT INTO "message_fts" (rowid, "text") VALUES (new.rowid, new."text");
END;
CREATE TRIGGER "messages_fts_delete" AFTER DELETE ON "messages" BEGIN
   INSERT INTO "message_fts" ("message_fts", rowid, "text")
      VALUES ('delete', old.rowid, old."text");
END;
CREATE TRIGGER "messages_fts_update" AFTER UPDATE OF "text" ON "messages" BEGIN
   INSERT INTO "message_fts" ("message_fts", rowid, "text")
      VALUES ('delete', old.rowid, old."text");
   INSERT INTO "message_fts" (rowid, "text") VALUES (new.rowid, new."text");
END;
"""

# Digits of phone numbers ("+86 138-0013 8000" -> "8613800138000"), for search.
PHONE_DIGITS_SQL = (
    "REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(value, ' ', ''), '-', ''), '+', ''), "
    "'(', ''), ')', ''), '.', '')"
)


def _v4(db: sqlite_utils.Database) -> None:
    """Statements split with sqlite3.complete_statement: trigger bodies hold ';'."""
    statement = ""
    for line in V4_SQL.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    # Backfill: phone digits, and the search index over what the cache holds.
    db.execute(f"UPDATE identities SET digits={PHONE_DIGITS_SQL} WHERE kind='phone'")
    db.execute(
        "INSERT INTO customer_fts (rowid, name, handles) SELECT c.rowid, COALESCE(c.name, ''), "
        "(SELECT group_concat(i.value || COALESCE(' ' || i.digits, ''), ' ') FROM identities i "
        " WHERE i.customer_id = c.id) FROM customers c"
    )
    db.execute("INSERT INTO message_fts (message_fts) VALUES ('rebuild')")


def _v2_backfill(db: sqlite_utils.Database) -> None:
    """Tags were a JSON list on the customer row: copy them into rows."""
    db.execute(
        "INSERT OR IGNORE INTO customer_tags (customer_id, tag) "
        "SELECT customers.id, j.value FROM customers, json_each("
        "CASE WHEN json_valid(customers.tags) THEN customers.tags ELSE '[]' END) AS j "
        "WHERE j.type = 'text'"
    )


def _script(sql: str) -> Callable[[sqlite_utils.Database], None]:
    def run(db: sqlite_utils.Database) -> None:
        # One statement at a time: executescript() would commit the open transaction.
        for statement in sql.split(";"):
            if statement.strip():
                db.execute(statement)

    return run


# v5: messages are indexed for search after they are stored, in small steps off
# the write path (core.cache.search_upkeep); only rows already indexed are kept in step
# by triggers.
# The triggers that keep already indexed messages in step with the search index.
SEARCH_TRIGGERS_SQL = """
CREATE TRIGGER "messages_fts_delete" AFTER DELETE ON "messages" WHEN old."indexed" = 1 BEGIN
   INSERT INTO "message_fts" ("message_fts", rowid, "text")
      VALUES ('delete', old.rowid, old."text");
END;
CREATE TRIGGER "messages_fts_update" AFTER UPDATE OF "text" ON "messages"
WHEN old."indexed" = 1 BEGIN
   INSERT INTO "message_fts" ("message_fts", rowid, "text")
      VALUES ('delete', old.rowid, old."text");
   INSERT INTO "message_fts" (rowid, "text") VALUES (new.rowid, new."text");
END;
"""
V5_SQL = """
ALTER TABLE "messages" ADD COLUMN "indexed" INTEGER NOT NULL DEFAULT 0;
UPDATE "messages" SET "indexed" = 1;
CREATE INDEX "idx_messages_unindexed" ON "messages" ("indexed") WHERE "indexed" = 0;
DROP TRIGGER "messages_fts_insert";
DROP TRIGGER "messages_fts_delete";
DROP TRIGGER "messages_fts_update";
""" + SEARCH_TRIGGERS_SQL


def _statements(sql: str) -> list[str]:
    """Split a script whose trigger bodies hold ';'."""
    out, statement = [], ""
    for line in sql.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            out.append(statement)
            statement = ""
    return out


def _v5(db: sqlite_utils.Database) -> None:
    for statement in _statements(V5_SQL):
        db.execute(statement)


V6_SQL = """
ALTER TABLE "conversations" ADD COLUMN "priority" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "conversations" ADD COLUMN "sla_due_at" INTEGER;
ALTER TABLE "conversations" ADD COLUMN "first_reply_at" INTEGER;
ALTER TABLE "conversations" ADD COLUMN "disposition" TEXT;
ALTER TABLE "conversations" ADD COLUMN "disposition_note" TEXT;
ALTER TABLE "conversations" ADD COLUMN "transfer_note" TEXT;
ALTER TABLE "conversations" ADD COLUMN "transferred_by" TEXT;
CREATE TABLE "offers" (
   "id" TEXT PRIMARY KEY,
   "conversation_id" TEXT NOT NULL,
   "customer_id" TEXT NOT NULL,
   "channel" TEXT NOT NULL,
   "queue" TEXT,
   "priority" INTEGER NOT NULL DEFAULT 0,
   "expires_at" INTEGER NOT NULL,
   "transfer_note" TEXT,
   "transferred_by" TEXT,
   "received_at" INTEGER NOT NULL
);
CREATE TABLE "sla_breaches" (
   "conversation_id" TEXT NOT NULL,
   "kind" TEXT NOT NULL,
   "at" INTEGER NOT NULL,
   PRIMARY KEY ("conversation_id", "kind")
);
CREATE TABLE "queue_stats" (
   "queue" TEXT PRIMARY KEY,
   "waiting" INTEGER NOT NULL,
   "oldest_wait_ms" INTEGER NOT NULL,
   "sla_state" TEXT NOT NULL,
   "waiting_ids" TEXT NOT NULL,
   "at" INTEGER NOT NULL
)
"""


# v7 (email; 6 belongs to routing): details of each mail, drafts, sends in progress.
V7_SQL = """
CREATE TABLE "emails" (
   "message_id" TEXT PRIMARY KEY,
   "conversation_id" TEXT NOT NULL,
   "status" TEXT NOT NULL,
   "record" TEXT NOT NULL
);
CREATE INDEX "idx_emails_conversation_id" ON "emails" ("conversation_id");
CREATE TABLE "email_drafts" (
   "conversation_id" TEXT PRIMARY KEY,
   "record" TEXT NOT NULL,
   "updated_at" INTEGER NOT NULL
);
CREATE TABLE "email_sends" (
   "message_id" TEXT PRIMARY KEY,
   "conversation_id" TEXT NOT NULL,
   "command" TEXT NOT NULL,
   "files" TEXT NOT NULL,
   "error" TEXT,
   "created_at" INTEGER NOT NULL
);
"""


# v8 (agent assist): quick replies (state: 0 synced, 1 pending, 2 refused), the
# latest suggestions per conversation, the verdicts given on them.
V8_SQL = """
CREATE TABLE "quick_replies" (
   "id" TEXT PRIMARY KEY,
   "scope" TEXT NOT NULL,
   "owner_id" TEXT,
   "category" TEXT NOT NULL DEFAULT '',
   "shortcut" TEXT NOT NULL DEFAULT '',
   "title" TEXT NOT NULL,
   "text" TEXT NOT NULL,
   "channel" TEXT NOT NULL DEFAULT 'any',
   "updated_at" INTEGER NOT NULL DEFAULT 0,
   "state" INTEGER NOT NULL DEFAULT 0,
   "error" TEXT
);
CREATE TABLE "assist_suggestions" (
   "conversation_id" TEXT PRIMARY KEY,
   "message_id" TEXT NOT NULL,
   "items" TEXT NOT NULL,
   "received_at" INTEGER NOT NULL
);
CREATE TABLE "suggestion_verdicts" (
   "message_id" TEXT NOT NULL,
   "kind" TEXT NOT NULL,
   "item_id" TEXT NOT NULL,
   "verdict" TEXT NOT NULL,
   PRIMARY KEY ("message_id", "kind", "item_id")
);
INSERT OR REPLACE INTO "sync_state" ("key", "value")
   SELECT 'snapshot_wanted', 'quick_replies' FROM "sync_state" WHERE "key" = 'last_seq'
"""


# v9 (sentiment): a conversation's trend; supervisors' escalation alerts.
V9_SQL = """
ALTER TABLE "conversations" ADD COLUMN "sentiment_first" REAL;
ALTER TABLE "conversations" ADD COLUMN "sentiment_last" REAL;
ALTER TABLE "conversations" ADD COLUMN "escalations" TEXT;
CREATE TABLE "escalation_alerts" (
   "message_id" TEXT PRIMARY KEY,
   "conversation_id" TEXT NOT NULL,
   "customer_name" TEXT NOT NULL,
   "excerpt" TEXT NOT NULL,
   "reasons" TEXT NOT NULL,
   "score" REAL NOT NULL,
   "priority" INTEGER NOT NULL,
   "agent_id" TEXT,
   "queue" TEXT,
   "at" INTEGER NOT NULL
);
CREATE INDEX "idx_escalation_alerts_at" ON "escalation_alerts" ("at");
"""


# v10 (coaching): supervisors' coaching notes and the conversations a supervisor
# monitors (core/supervision/coaching_cache.py).
V10_SQL = """
CREATE TABLE "coaching_notes" (
   "id" TEXT PRIMARY KEY,
   "conversation_id" TEXT NOT NULL,
   "kind" TEXT NOT NULL,
   "author_id" TEXT NOT NULL,
   "author_name" TEXT NOT NULL,
   "text" TEXT NOT NULL,
   "created_at" INTEGER NOT NULL
);
CREATE INDEX "idx_coaching_notes_conversation"
    ON "coaching_notes" ("conversation_id", "created_at");
CREATE TABLE "monitored_conversations" (
   "conversation_id" TEXT PRIMARY KEY,
   "agent_name" TEXT,
   "barged" INTEGER NOT NULL DEFAULT 0,
   "since" INTEGER NOT NULL
);
"""


# v11 (knowledge base): the hub's articles as this agent may see them; ``kb_fts``
# holds their text for offline search (trigram: Chinese by any substring).
V11_SQL = """
CREATE TABLE "kb_articles" (
   "id" TEXT PRIMARY KEY,
   "title" TEXT NOT NULL,
   "body" TEXT NOT NULL,
   "answer" TEXT NOT NULL,
   "language" TEXT NOT NULL,
   "tags" TEXT NOT NULL,
   "status" TEXT NOT NULL,
   "version" INTEGER NOT NULL,
   "author" TEXT NOT NULL,
   "updated_at" INTEGER NOT NULL,
   "stamp" INTEGER NOT NULL
);
CREATE INDEX "idx_kb_articles_stamp" ON "kb_articles" ("stamp");
CREATE VIRTUAL TABLE "kb_fts" USING fts5(
   "article_id" UNINDEXED, "title", "body", "tags", tokenize = 'trigram'
)
"""


# v12 (follow-ups): the follow-ups this agent owns (core/followups/followup_cache.py),
# each stored whole as the hub sent it (JSON), with the fields the list sorts by.
V12_SQL = """
CREATE TABLE "followups" (
   "id" TEXT PRIMARY KEY,
   "owner_id" TEXT,
   "status" TEXT NOT NULL,
   "due_at" INTEGER NOT NULL,
   "body" TEXT NOT NULL
);
CREATE INDEX "idx_followups_due" ON "followups" ("due_at");
"""


# v13 (call transcripts, core/call/transcript_cache.py): each segment of a transcribed
# call; ``call_segment_fts`` holds their text for search, kept by triggers.
V13_SQL = """
CREATE TABLE "call_segments" (
   "call_id" TEXT NOT NULL,
   "seq" INTEGER NOT NULL,
   "conversation_id" TEXT NOT NULL,
   "speaker" TEXT NOT NULL,
   "at" INTEGER NOT NULL,
   "start_ms" INTEGER NOT NULL,
   "end_ms" INTEGER NOT NULL,
   "text" TEXT NOT NULL,
   "language" TEXT NOT NULL,
   PRIMARY KEY ("call_id", "seq")
);
CREATE INDEX "idx_call_segments_conversation" ON "call_segments" ("conversation_id", "at");
CREATE VIRTUAL TABLE "call_segment_fts" USING fts5("text", tokenize = 'trigram');
CREATE TRIGGER "call_segments_fts_insert" AFTER INSERT ON "call_segments" BEGIN
   INSERT INTO "call_segment_fts" (rowid, "text") VALUES (new.rowid, new."text");
END;
CREATE TRIGGER "call_segments_fts_delete" AFTER DELETE ON "call_segments" BEGIN
   INSERT INTO "call_segment_fts" ("call_segment_fts", rowid, "text")
   VALUES ('delete', old.rowid, old."text");
END;
"""


# v14 (knowledge base): ``kb_fts`` rows take the rowid of their ``kb_articles`` row
# (core/assist/kb_cache.py writes them so); the rows of older caches are rewritten.
# Its segments are merged in bounded steps by the writer (``kb_cache.merge_index``),
# not by FTS5's automatic merge inside whichever commit crosses its threshold.
V14_SQL = """
INSERT INTO "kb_fts" ("kb_fts", "rank") VALUES ('automerge', 0);
DELETE FROM "kb_fts";
INSERT INTO "kb_fts" (rowid, "article_id", "title", "body", "tags")
   SELECT a.rowid, a."id", a."title", a."body",
          (SELECT COALESCE(group_concat(j.value, ' '), '') FROM json_each(a."tags") AS j)
   FROM "kb_articles" AS a
"""


# v15 (knowledge base): the window's list order (core/assist/kb_rows.py) as an index,
# with the status its filter needs, so a page, a count and a position read the index.
# The search rows are written again with a newline after each column (kb_cache.END):
# then every two characters of the text begin one of its trigrams, and a term of two
# characters is looked up through the index's terms instead of a scan of every text.
V15_SQL = """
CREATE INDEX "idx_kb_articles_title" ON "kb_articles" ("title" COLLATE NOCASE, "id", "status");
DELETE FROM "kb_fts";
INSERT INTO "kb_fts" (rowid, "article_id", "title", "body", "tags")
   SELECT a.rowid, a."id", a."title" || char(10), a."body" || char(10),
          (SELECT COALESCE(group_concat(j.value, ' '), '') FROM json_each(a."tags") AS j)
          || char(10)
   FROM "kb_articles" AS a
"""


def _v13(db: sqlite_utils.Database) -> None:
    for statement in _statements(V13_SQL):
        db.execute(statement)


def _v2(db: sqlite_utils.Database) -> None:
    _script(V2_SQL)(db)
    _v2_backfill(db)


# (version, step): step brings a cache at version - 1 to version.
MIGRATIONS: Sequence[tuple[int, Callable[[sqlite_utils.Database], None]]] = (
    (1, _script(V1_SQL)),
    (2, _v2),
    (3, _script(V3_SQL)),
    (4, _v4),
    (5, _v5),
    (6, _script(V6_SQL)),
    (7, _script(V7_SQL)),
    (8, _script(V8_SQL)),
    (9, _script(V9_SQL)),
    (10, _script(V10_SQL)),
    (11, _script(V11_SQL)),
    (12, _script(V12_SQL)),
    (13, _v13),
    (14, _script(V14_SQL)),
    (15, _script(V15_SQL)),
)

SCHEMA_VERSION = MIGRATIONS[-1][0]


def migrate(db: sqlite_utils.Database, current: int, target: int = SCHEMA_VERSION) -> None:
    """Apply the steps after ``current`` up to ``target`` (the caller holds a transaction)."""
    for version, step in MIGRATIONS:
        if current < version <= target:
            step(db)
    db.execute(
        "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
        "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
        [str(target)],
    )
