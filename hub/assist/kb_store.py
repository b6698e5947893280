"""Knowledge-base rows: articles, their versions and the embeddings of each version.

Shares the hub's engine and unit of work (StoreBase), like the email store: an
article change made by a command commits with that command's events and op id.
Every change of an article is a new version row; ``kb_articles`` mirrors the newest
version so lists and the search index read one table.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from hub.access.permissions import Permission
from hub.access.role_store import permits, roles_with
from hub.store import schema as t
from hub.store.base import StoreBase, StoreError, now_ms


class Language(enum.Enum):
    ZH = "zh"
    EN = "en"


class ArticleStatus(enum.Enum):
    DRAFT = "draft"
    PUBLISHED = "published"


class SaveOutcome(enum.Enum):
    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class ArticleContent:
    """What an author writes; everything else (version, time, author) the store adds."""

    id: str
    title: str
    body: str
    language: Language
    tags: tuple[str, ...] = ()
    status: ArticleStatus = ArticleStatus.PUBLISHED

    def content_hash(self) -> str:
        blob = json.dumps(
            [self.title, self.body, self.language.value, self.status.value, list(self.tags)],
            ensure_ascii=False,
        )
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    body: str
    language: Language
    tags: tuple[str, ...]
    status: ArticleStatus
    version: int
    author: str  # who wrote this version
    updated_at: int
    created_by: str = ""
    created_at: int = 0

    def content(self) -> ArticleContent:
        return ArticleContent(
            self.id, self.title, self.body, self.language, self.tags, self.status
        )


@dataclass(frozen=True)
class ArticleVersion:
    article_id: str
    version: int
    title: str
    body: str
    language: Language
    status: ArticleStatus
    tags: tuple[str, ...]
    author: str
    created_at: int


@dataclass
class Embeddings:
    """The stored passage vectors of article versions, for one model."""

    model: str
    vectors: dict[tuple[str, int], list[np.ndarray]] = field(default_factory=dict)


def vector_bytes(vector: np.ndarray) -> bytes:
    return np.ascontiguousarray(vector, dtype="<f4").tobytes()


def vector_from(data: bytes, dim: int) -> np.ndarray:
    vector = np.frombuffer(data, dtype="<f4").astype(np.float32)
    if vector.shape != (dim,):
        raise ValueError(f"stored vector has {vector.size} values, expected {dim}")
    return vector




def _tags(text: str) -> tuple[str, ...]:
    return tuple(str(tag) for tag in json.loads(text))


class KnowledgeBaseStore(StoreBase):
    # ---- reading ---------------------------------------------------------------

    def articles(
        self,
        status: ArticleStatus | None = None,
        language: Language | None = None,
        after: str | None = None,
        limit: int | None = None,
    ) -> list[Article]:
        """Articles at their newest version, ordered by id (a page: ``after``, ``limit``)."""
        a, v = t.kb_articles.c, t.kb_article_versions.c
        query = (
            sa.select(t.kb_articles, v.body, v.author)
            .join(
                t.kb_article_versions,
                sa.and_(v.article_id == a.id, v.version == a.version),
            )
            .order_by(a.id)
        )
        if status is not None:
            query = query.where(a.status == status.value)
        if language is not None:
            query = query.where(a.language == language.value)
        if after is not None:
            query = query.where(a.id > after)
        if limit is not None:
            query = query.limit(limit)
        with self.db.connect() as conn:
            rows = conn.execute(query).all()
        return [
            Article(
                id=r.id,
                title=r.title,
                body=r.body,
                language=Language(r.language),
                tags=_tags(r.tags),
                status=ArticleStatus(r.status),
                version=r.version,
                author=r.author,
                updated_at=r.updated_at,
                created_by=r.created_by,
                created_at=r.created_at,
            )
            for r in rows
        ]

    def count(self, status: ArticleStatus | None = None) -> int:
        """How many articles there are (with ``status``, when given)."""
        query = sa.select(sa.func.count()).select_from(t.kb_articles)
        if status is not None:
            query = query.where(t.kb_articles.c.status == status.value)
        with self.db.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def article(self, article_id: str) -> Article | None:
        a, v = t.kb_articles.c, t.kb_article_versions.c
        with self.db.connect() as conn:
            r = conn.execute(
                sa.select(t.kb_articles, v.body, v.author)
                .join(
                    t.kb_article_versions,
                    sa.and_(v.article_id == a.id, v.version == a.version),
                )
                .where(a.id == article_id)
            ).first()
        if r is None:
            return None
        return Article(
            id=r.id,
            title=r.title,
            body=r.body,
            language=Language(r.language),
            tags=_tags(r.tags),
            status=ArticleStatus(r.status),
            version=r.version,
            author=r.author,
            updated_at=r.updated_at,
            created_by=r.created_by,
            created_at=r.created_at,
        )

    def versions(self, article_id: str) -> list[ArticleVersion]:
        v = t.kb_article_versions.c
        with self.db.connect() as conn:
            rows = conn.execute(
                sa.select(t.kb_article_versions)
                .where(v.article_id == article_id)
                .order_by(v.version)
            ).all()
        return [
            ArticleVersion(
                article_id=r.article_id,
                version=r.version,
                title=r.title,
                body=r.body,
                language=Language(r.language),
                status=ArticleStatus(r.status),
                tags=_tags(r.tags),
                author=r.author,
                created_at=r.created_at,
            )
            for r in rows
        ]

    def audience(self) -> list[tuple[str, bool]]:
        """Every agent, and whether they edit the knowledge base (supervisors, admins)."""
        with self.db.connect() as conn:
            editors = set(roles_with(conn, Permission.KB_EDIT))
            rows = conn.execute(sa.select(t.agents.c.id, t.agents.c.role).order_by(t.agents.c.id))
            return [(r.id, r.role in editors) for r in rows]

    def is_editor(self, agent_id: str) -> bool:
        with self.db.connect() as conn:
            return permits(conn, agent_id, Permission.KB_EDIT)

    def author_name(self, agent_id: str) -> str:
        with self.db.connect() as conn:
            name = conn.execute(
                sa.select(t.agents.c.username).where(t.agents.c.id == agent_id)
            ).scalar()
        return str(name or agent_id)

    def kb_revision(self) -> tuple[int, int]:
        """Changes when any article changes: (article count, sum of versions)."""
        a = t.kb_articles.c
        with self.db.connect() as conn:
            count, total = conn.execute(
                sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(a.version), 0))
            ).one()
        return int(count), int(total)

    # ---- writing ---------------------------------------------------------------

    def save_article(
        self, content: ArticleContent, author: str, ts: int | None = None
    ) -> tuple[SaveOutcome, int]:
        """Write ``content`` as the article's next version unless it is unchanged.

        Returns what happened and the article's newest version. Joins the unit of
        work in progress, so a batch (an import) commits or fails as a whole.
        """
        if not content.id or not content.title.strip():
            raise StoreError("invalid", "an article needs an id and a title")
        ts = ts if ts is not None else now_ms()
        digest = content.content_hash()
        a, v = t.kb_articles.c, t.kb_article_versions.c
        tags = json.dumps(list(content.tags), ensure_ascii=False)
        with self.db.begin() as conn:
            current = conn.execute(
                sa.select(a.version).where(a.id == content.id)
            ).scalar()
            if current is not None:
                last_hash = conn.execute(
                    sa.select(v.content_hash).where(
                        v.article_id == content.id, v.version == current
                    )
                ).scalar_one()
                if last_hash == digest:
                    return SaveOutcome.UNCHANGED, int(current)
            version = 1 if current is None else int(current) + 1
            fields = {
                "title": content.title,
                "language": content.language.value,
                "status": content.status.value,
                "tags": tags,
                "version": version,
                "updated_at": ts,
            }
            if current is None:
                conn.execute(
                    t.kb_articles.insert().values(
                        id=content.id, created_by=author, created_at=ts, **fields
                    )
                )
            else:
                conn.execute(t.kb_articles.update().where(a.id == content.id).values(**fields))
            conn.execute(
                t.kb_article_versions.insert().values(
                    article_id=content.id,
                    version=version,
                    title=content.title,
                    body=content.body,
                    language=content.language.value,
                    status=content.status.value,
                    tags=tags,
                    content_hash=digest,
                    author=author,
                    created_at=ts,
                )
            )
        outcome = SaveOutcome.ADDED if current is None else SaveOutcome.UPDATED
        return outcome, version

    def record_op(self, agent_id: str, op: str, seq: int | None) -> None:
        with self.db.begin() as conn:
            self._record_op(conn, agent_id, op, seq)

    # ---- embeddings ------------------------------------------------------------

    def embeddings(self, model: str, keys: Iterable[tuple[str, int]] | None = None) -> Embeddings:
        """Stored vectors of ``model``, for the given (article, version) keys or all."""
        e = t.kb_embeddings.c
        query = sa.select(t.kb_embeddings).where(e.model == model).order_by(
            e.article_id, e.version, e.passage
        )
        wanted = set(keys) if keys is not None else None
        if wanted is not None and len(wanted) <= 500:
            # A few versions (after an edit): read only their articles' rows.
            query = query.where(e.article_id.in_(sorted({key[0] for key in wanted})))
        found = Embeddings(model)
        with self.db.connect() as conn:
            for r in conn.execute(query):
                key = (r.article_id, r.version)
                if wanted is not None and key not in wanted:
                    continue
                found.vectors.setdefault(key, []).append(vector_from(r.vector, r.dim))
        return found

    def save_embeddings(
        self, model: str, vectors: dict[tuple[str, int], list[np.ndarray]]
    ) -> None:
        """Store passage vectors; a version's vectors are replaced as a whole."""
        if not vectors:
            return
        with self.db.begin() as conn:
            for (article_id, version), passages in vectors.items():
                self._replace_vectors(conn, model, article_id, version, passages)

    @staticmethod
    def _replace_vectors(
        conn: Connection, model: str, article_id: str, version: int, passages: list[np.ndarray]
    ) -> None:
        e = t.kb_embeddings.c
        conn.execute(
            t.kb_embeddings.delete().where(
                e.model == model, e.article_id == article_id, e.version == version
            )
        )
        if passages:
            conn.execute(
                t.kb_embeddings.insert(),
                [
                    {
                        "article_id": article_id,
                        "version": version,
                        "model": model,
                        "passage": i,
                        "dim": int(vec.shape[0]),
                        "vector": vector_bytes(vec),
                    }
                    for i, vec in enumerate(passages)
                ],
            )
