"""Quick replies for the desktop: read from the cache, searched, filled in, edited
through the outbox.

Everything here works offline: the list, the search and the rendering come from
the cache, and an edit made offline goes out once the hub is reachable. The hub
decides who may edit what (a personal reply is its owner's; team replies are
edited by supervisors); a refused edit is undone here and reported by the
``quick_reply_did_fail`` notice. Thread: the loop's (the GUI thread).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from core.assist import quick_reply_cache as cache_replies
from core.assist.quick_reply_cache import ReplyState
from core.assist.quick_reply_render import RenderContext, Rendered, render
from core.assist.quick_reply_search import Hit, search
from core.cache.cache import Cache, now_ms
from core.protocol.assist import (
    DeleteQuickReply,
    QuickReply,
    QuickReplyChannel,
    QuickReplyScope,
    SaveQuickReply,
)
from core.protocol.models import AgentInfo, Channel
from core.records import Changes
from core.sync.outbox import Outbox

SUPERVISOR_ROLES = frozenset({"supervisor", "admin"})


class QuickReplyError(ValueError):
    """An edit the desktop refuses before it reaches the hub (``code`` says why)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class QuickReplyDraft:
    """What the agent typed into the editor."""

    title: str
    text: str
    scope: QuickReplyScope = QuickReplyScope.PERSONAL
    channel: QuickReplyChannel = QuickReplyChannel.ANY
    category: str = ""
    shortcut: str = ""


@dataclass(frozen=True)
class ListedReply:
    reply: QuickReply
    state: ReplyState
    error: str | None
    editable: bool


def _channel_fits(reply: QuickReply, channel: Channel | None) -> bool:
    if channel is None or reply.channel is QuickReplyChannel.ANY:
        return True
    return reply.channel.value == channel.value


class QuickReplies:
    def __init__(self, cache: Cache, outbox: Outbox, announce: Callable[[Changes], None],
                 wake: Callable[[], None], agent: Callable[[], AgentInfo | None],
                 role: Callable[[], str | None]) -> None:
        self._cache = cache
        self._db = cache.db
        self._outbox = outbox
        self._announce = announce
        self._wake = wake
        self._agent = agent
        self._role = role

    # ---- reads -------------------------------------------------------------------------

    def all(self) -> list[QuickReply]:
        return cache_replies.all_replies(self._db)

    def get(self, reply_id: str) -> QuickReply | None:
        return cache_replies.reply(self._db, reply_id)

    def listed(self) -> list[ListedReply]:
        """Every reply with its sync state and whether this agent may edit it."""
        states = cache_replies.states(self._db)
        return [ListedReply(r, *states.get(r.id, (ReplyState.SYNCED, None)),
                            editable=self.may_edit(r.scope))
                for r in self.all()]

    def may_edit(self, scope: QuickReplyScope) -> bool:
        """Team replies: supervisors and admins (the hub checks it again)."""
        return scope is QuickReplyScope.PERSONAL or self._role() in SUPERVISOR_ROLES

    def search(self, query: str, channel: Channel | None = None, limit: int = 20) -> list[Hit]:
        """The popup's search over the cached replies that fit the channel."""
        replies = [r for r in self.all() if _channel_fits(r, channel)]
        return search(replies, query, limit)

    def render(self, reply: QuickReply, context: RenderContext) -> Rendered:
        return render(reply.text, context)

    def render_text(self, template: str, context: RenderContext) -> Rendered:
        return render(template, context)

    def context_for(self, conversation_id: str) -> RenderContext:
        """The variables' values for a conversation, from the cache."""
        agent = self._agent()
        item = self._cache.conversation(conversation_id)
        attributes = {}
        name = tier = None
        if item is not None:
            name = item.customer_name
            profile = self._cache.customer_profile(item.customer_id)
            if profile is not None:
                attributes = dict(profile.attributes)
                name = profile.name or name
                tier = profile.tier
        return RenderContext(customer_name=name, agent_name=agent.display_name if agent else None,
                             conversation_id=conversation_id, customer_tier=tier,
                             attributes=attributes)

    # ---- edits ---------------------------------------------------------------------------

    def save(self, draft: QuickReplyDraft, reply_id: str | None = None) -> str:
        """Create (no ``reply_id``) or change a reply; returns its id. Works offline."""
        title, text = draft.title.strip(), draft.text.strip()
        if not title or not text:
            raise QuickReplyError("empty")
        shortcut = draft.shortcut.strip().lstrip("/")
        if any(c.isspace() or c == "/" for c in shortcut):
            raise QuickReplyError("shortcut")
        existing = self.get(reply_id) if reply_id else None
        scope = existing.scope if existing is not None else draft.scope
        if not self.may_edit(scope):
            raise QuickReplyError("forbidden")
        agent = self._agent()
        new_id = reply_id or "qr_" + uuid.uuid4().hex
        command = SaveQuickReply(
            op=uuid.uuid4().hex, reply_id=new_id, scope=scope, title=title[:120],
            text=text, channel=draft.channel, category=draft.category.strip()[:60],
            shortcut=shortcut[:40],
        )
        owner = agent.id if agent and scope is QuickReplyScope.PERSONAL else None
        local = QuickReply(id=new_id, scope=scope, title=command.title, text=text,
                           channel=draft.channel, category=command.category,
                           shortcut=command.shortcut,
                           owner_id=existing.owner_id if existing else owner,
                           updated_at=now_ms())
        with self._db.atomic():
            revert = cache_replies.local_save(self._db, local)
            self._outbox.queue(command, revert=revert)
        self._announce(Changes(quick_replies=True))
        self._wake()
        return new_id

    def delete(self, reply_id: str) -> bool:
        existing = self.get(reply_id)
        if existing is None:
            return False
        if not self.may_edit(existing.scope):
            raise QuickReplyError("forbidden")
        state = cache_replies.states(self._db).get(reply_id, (ReplyState.SYNCED, None))[0]
        with self._db.atomic():
            revert = cache_replies.local_delete(self._db, reply_id)
            if state is not ReplyState.REFUSED:  # one the hub never had: just gone
                self._outbox.queue(DeleteQuickReply(op=uuid.uuid4().hex, reply_id=reply_id),
                                   revert=revert)
        self._announce(Changes(quick_replies=True))
        self._wake()
        return True
