"""Knowledge-base frames of the agent protocol: search, read, and edit articles.

Everyone may search published articles and read them; supervisors and admins
(editors) may also see drafts and create, edit and publish articles. Edits are
commands (``op``, one ``ack`` or ``error``, safe to repeat); reads are answered
with a frame carrying the same ``op``. Published articles reach every desktop as
events, so a desktop can keep them for offline search. See docs/protocol.md.
"""

from __future__ import annotations

import enum
from typing import Annotated

import msgspec

from core.protocol.models import Id

OpId = Annotated[str, Id]
ArticleId = Annotated[
    str, msgspec.Meta(min_length=1, max_length=120, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
]
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
# Bounded by the 16 KiB client frame as well; long articles are imported as files.
Body = Annotated[str, msgspec.Meta(min_length=1, max_length=12_000)]
Tag = Annotated[str, msgspec.Meta(min_length=1, max_length=80)]
QueryText = Annotated[str, msgspec.Meta(min_length=1, max_length=2_000)]


class KbLanguage(enum.StrEnum):
    ZH = "zh"
    EN = "en"


class KbStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class KbArticle(msgspec.Struct):
    """An article at its newest version; ``answer`` is what an agent inserts."""

    id: str
    title: str
    body: str  # Markdown: show it as text (or through a sanitiser), never as HTML
    language: KbLanguage
    tags: list[str]
    status: KbStatus
    version: int
    author: str
    updated_at: int
    answer: str


class KbHit(msgspec.Struct):
    id: str
    title: str
    language: KbLanguage
    score: float  # confidence in [0, 1]; only confident hits are sent
    answer: str
    matched: list[str]  # the question's words the article contains (why it matched)


# ---- client -> hub: reads -----------------------------------------------------------


class KbSearch(msgspec.Struct, tag_field="type", tag="kb_search", forbid_unknown_fields=True):
    """Articles that answer ``text``; ``language`` is the question's (detected if null).
    ``drafts`` includes drafts (editors only)."""

    op: OpId
    text: QueryText
    language: KbLanguage | None = None
    limit: Annotated[int, msgspec.Meta(ge=1, le=20)] = 3
    drafts: bool = False


class KbFetch(msgspec.Struct, tag_field="type", tag="kb_fetch", forbid_unknown_fields=True):
    op: OpId
    article_id: ArticleId


class KbList(msgspec.Struct, tag_field="type", tag="kb_list", forbid_unknown_fields=True):
    """One page of published articles by id, for a desktop's offline copy.
    ``drafts`` lists drafts as well (editors only)."""

    op: OpId
    after: ArticleId | None = None
    limit: Annotated[int, msgspec.Meta(ge=1, le=100)] = 50
    drafts: bool = False


class KbVersions(msgspec.Struct, tag_field="type", tag="kb_versions", forbid_unknown_fields=True):
    """An article's version history (editors only)."""

    op: OpId
    article_id: ArticleId


# ---- client -> hub: commands (editors only) -----------------------------------------


class KbSave(msgspec.Struct, tag_field="type", tag="kb_save", forbid_unknown_fields=True):
    """Create an article or write its next version (nothing when unchanged)."""

    op: OpId
    article_id: ArticleId
    title: Title
    body: Body
    language: KbLanguage
    tags: Annotated[list[Tag], msgspec.Meta(max_length=30)] = []
    status: KbStatus = KbStatus.DRAFT


class KbPublish(msgspec.Struct, tag_field="type", tag="kb_publish", forbid_unknown_fields=True):
    """Publish the article's newest version (a new version with status published)."""

    op: OpId
    article_id: ArticleId


KbRead = KbSearch | KbFetch | KbList | KbVersions
KbCommand = KbSave | KbPublish


# ---- hub -> client --------------------------------------------------------------------


class KbResults(msgspec.Struct, tag_field="type", tag="kb_results"):
    op: str
    hits: list[KbHit]


class KbArticleFrame(msgspec.Struct, tag_field="type", tag="kb_article"):
    op: str
    article: KbArticle


class KbArticles(msgspec.Struct, tag_field="type", tag="kb_articles"):
    """Answer to ``kb_list``; ask again with ``after=next_after`` until it is null.
    ``total``: how many articles the whole listing holds (for a progress display)."""

    op: str
    articles: list[KbArticle]
    next_after: str | None = None
    total: int | None = None


class KbVersionInfo(msgspec.Struct):
    version: int
    title: str
    status: KbStatus
    author: str
    created_at: int


class KbVersionList(msgspec.Struct, tag_field="type", tag="kb_version_list"):
    """Answer to ``kb_versions``, oldest first."""

    op: str
    article_id: str
    versions: list[KbVersionInfo]


KbServerFrame = KbResults | KbArticleFrame | KbArticles | KbVersionList


# ---- events ---------------------------------------------------------------------------


class KbArticlePublished(msgspec.Struct, tag_field="kind", tag="kb_article_published"):
    """To every agent: a new or changed published article (replace the cached copy)."""

    article: KbArticle


class KbArticleDrafted(msgspec.Struct, tag_field="kind", tag="kb_article_drafted"):
    """To editors: an article saved as a draft."""

    article: KbArticle


class KbArticleWithdrawn(msgspec.Struct, tag_field="kind", tag="kb_article_withdrawn"):
    """To agents who are not editors: a published article went back to draft."""

    article_id: str


KbEvent = KbArticlePublished | KbArticleDrafted | KbArticleWithdrawn
