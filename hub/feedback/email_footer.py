"""The rating footer of an agent's outgoing mail: one-click links 1-5 (one signed
token for the conversation, the score in the query). They open the hub's rating
page, which accepts the rating once the conversation is closed."""

from __future__ import annotations

import html as html_lib
from collections.abc import Callable

LinkFor = Callable[[str], str]  # conversation id -> https://hub/rate/<token>

_TEXT_HEAD = "How did we do? Rate this conversation (1 = poor, 5 = excellent):\n" \
             "您对本次服务满意吗？请评分（1 = 很差，5 = 很好）："


def with_rating_links(link_for: LinkFor, conversation_id: str, text: str,
                      html: str | None) -> tuple[str, str | None]:
    base = link_for(conversation_id)
    lines = "\n".join(f"  {n}: {base}?score={n}" for n in range(5, 0, -1))
    text = f"{text.rstrip()}\n\n-- \n{_TEXT_HEAD}\n{lines}\n"
    if html is not None:
        links = " ".join(
            f'<a href="{html_lib.escape(base, quote=True)}?score={n}">{n}</a>'
            for n in range(1, 6))
        head = html_lib.escape(_TEXT_HEAD).replace("\n", "<br>")
        html = f"{html}<hr><p>{head}<br>{links}</p>"
    return text, html
