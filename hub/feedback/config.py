"""Feedback settings: the NPS period, rating-link lifetime, the hub's public URL."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from hub.feedback.rating_links import DEFAULT_LINK_TTL_S, load_or_create_secret
from hub.feedback.rating_store import DEFAULT_NPS_PERIOD_S


@dataclass
class FeedbackConfig:
    nps_period_s: int = DEFAULT_NPS_PERIOD_S
    link_ttl_s: int = DEFAULT_LINK_TTL_S
    # Where customers reach the hub (the start of emailed rating links).
    public_url: str = "http://127.0.0.1:8765"
    # The link-signing key file; None: next to an SQLite database (a fresh key per
    # process for a database URL or no file: links then end with the process).
    secret_file: str | Path | None = None
    # Agents' outgoing mail carries one-click rating links (rated once closed).
    email_links: bool = True


def link_secret(config: FeedbackConfig, db: str | Path) -> bytes:
    if config.secret_file is not None:
        return load_or_create_secret(Path(config.secret_file).expanduser())
    text = str(db)
    if text and "://" not in text and text != ":memory:":
        path = Path(text).expanduser()
        return load_or_create_secret(path.with_name(path.name + ".rating-key"))
    return secrets.token_bytes(32)
