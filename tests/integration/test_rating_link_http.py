"""Emailed rating links against a real hub over real HTTP: the page shows the
choice and stores nothing; the form stores the rating once; reused, expired,
forged, cross-conversation and not-yet-closed links get a clear refusal page.

The links are minted with the hub's own key file, as the hub mints the ones in its
outgoing mail (hub/feedback/email_footer.py)."""

from __future__ import annotations

import contextlib
import sqlite3
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any

from websockets.asyncio.client import connect

from core.protocol import customer as cp
from core.protocol.codec import customer_server_decoder, encode_text
from hub.feedback.rating_links import DEFAULT_LINK_TTL_S, RatingLinks


def _http(url: str, form: dict[str, str] | None = None,
          lang: str = "en") -> tuple[int, str]:
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(url, data=data, headers={"Accept-Language": lang})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


async def _conversation(hub: Any, close: bool) -> str:
    """A widget visitor's conversation, closed by the visitor when ``close``."""
    decoder = customer_server_decoder()
    async with connect(hub.customer_ws_url) as ws:
        await ws.send(encode_text(cp.Hello(v=1, name="Mail customer")))
        assert isinstance(decoder.decode(await ws.recv()), cp.Welcome)
        await ws.send(encode_text(cp.Send(id=uuid.uuid4().hex, text="Where is my refund?")))
        while not isinstance(frame := decoder.decode(await ws.recv()), cp.Ack):
            pass
        conversation_id = frame.message.conversation_id
        if close:
            await ws.send(encode_text(cp.Close(conversation_id=conversation_id)))
            while not isinstance(decoder.decode(await ws.recv()), cp.Closed):
                pass
    return conversation_id


def _ratings(hub: Any) -> list[tuple[str, int, int | None, str | None, str]]:
    with contextlib.closing(sqlite3.connect(hub.db_path)) as db:
        return db.execute("SELECT conversation_id, score, solved, comment, source "
                          "FROM conversation_ratings ORDER BY rated_at").fetchall()


async def test_a_link_rates_its_conversation_once_and_bad_links_are_refused(hub: Any) -> None:
    mine = await _conversation(hub, close=True)
    theirs = await _conversation(hub, close=True)
    still_open = await _conversation(hub, close=False)
    key = hub.db_path.with_name(hub.db_path.name + ".rating-key").read_bytes()
    links = RatingLinks(key)
    now = int(time.time())
    token = links.issue(mine, now)
    base = f"{hub.url}/rate/"

    # Opening the one-click link shows the choice and stores nothing (mail scanners).
    status, page = _http(f"{base}{token}?score=4")
    assert status == 200 and 'data-state="form"' in page
    assert 'value="4" checked' in page and 'name="comment"' in page
    assert _ratings(hub) == []

    # Forged: another conversation under my signature, a stretched expiry, a made-up key.
    conv, expiry, nonce, sig = token.split(".")
    forged = [f"{theirs}.{expiry}.{nonce}.{sig}", f"{conv}.{int(expiry) + 86400}.{nonce}.{sig}",
              RatingLinks(b"x" * 32).issue(theirs, now), "not-a-token"]
    for bad in forged:
        for form in (None, {"score": "1"}):
            status, page = _http(base + urllib.parse.quote(bad), form)
            assert status == 403 and "This rating link is not valid." in page, bad
    # Expired: issued longer ago than the default lifetime.
    expired = links.issue(mine, now - DEFAULT_LINK_TTL_S - 5)
    status, page = _http(base + expired, {"score": "5"})
    assert status == 410 and "expired" in page
    status, page = _http(base + expired, lang="zh-CN")
    assert status == 410 and "此评价链接已过期。" in page
    # Not closed yet: no rating, a page that says why.
    status, page = _http(base + links.issue(still_open, now), {"score": "5"})
    assert status == 409 and "still open" in page
    # A missing or out-of-range score is asked again.
    status, page = _http(base + token, {"score": "9"})
    assert status == 400 and 'data-state="form"' in page
    assert _ratings(hub) == []

    status, page = _http(base + token, {"score": "2", "solved": "no",
                                        "comment": "Nobody answered my second mail."})
    assert status == 200 and 'data-state="thanks"' in page
    # Reused: the same link or a fresh one for the same conversation.
    for again in (token, links.issue(mine, now)):
        status, page = _http(base + again, {"score": "5"})
        assert status == 409 and "already been rated" in page
        status, page = _http(base + again, lang="zh-CN")
        assert status == 409 and "此会话已评价过" in page
    assert _ratings(hub) == [(mine, 2, 0, "Nobody answered my second mail.", "email")]
