"""A plain-text reply goes out as multipart/alternative with an escaped HTML twin."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from html.parser import HTMLParser

import pytest

from core.protocol import email as ep
from hub.email.html_part import text_to_html
from hub.email.outbound import Attachment, build_message

TYPED = (
    "Dear <b>Daniel</b> & team,\n"
    "your parcel: https://track.example.com/50917?a=1&b=2.\n"
    "\n"
    "Questions? write to help@example.com.\n"
    "\n"
    "On Monday, Daniel wrote:\n"
    "> Can it go to my office?\n"
    "> > <script>alert(1)</script>\n"
    "> <img src=x onerror=alert(2)>\n"
    "-- \n"
    "Lina <lina@zuoxi.localhost>\n"
)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parsed(html: str) -> _Tags:
    tags = _Tags()
    tags.feed(html)
    return tags


def _details(text: str, html: str | None = None) -> ep.EmailDetails:
    return ep.EmailDetails(
        message_id="m1", conversation_id="c1", direction=ep.EmailDirection.OUTBOUND,
        status=ep.EmailStatus.QUEUED, header_message_id="<r1@zuoxi.localhost>",
        subject="Re: Change of delivery address",
        from_=ep.EmailAddress(address="support@zuoxi.localhost", name="Support"),
        to=[ep.EmailAddress(address="daniel@example.com", name="Daniel")], date=0,
        text=text, html=html)


def test_plain_reply_is_multipart_alternative() -> None:
    raw = build_message(_details(TYPED), "support@zuoxi.localhost", "Support", "ZX-ABCD2345",
                        [Attachment("a.txt", "text/plain", b"hello")])
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    assert msg.get_content_type() == "multipart/mixed"
    alternative, attachment = msg.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    assert attachment.get_filename() == "a.txt"
    text, html = alternative.iter_parts()  # type: ignore[attr-defined]
    assert text.get_content_type() == "text/plain"
    assert html.get_content_type() == "text/html"
    assert text.get_content().replace("\r\n", "\n") == TYPED
    assert html.get_content_charset() == "utf-8"
    assert html.get_content().startswith("<!DOCTYPE html>")


def test_without_attachments_the_top_is_the_alternative() -> None:
    raw = build_message(_details("Hi"), "support@zuoxi.localhost", "Support", "ZX-ABCD2345", [])
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]


def test_an_html_body_given_is_kept() -> None:
    raw = build_message(_details("Hi", "<p>Hi</p>"), "support@zuoxi.localhost", "S", "ZX-A", [])
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    body = msg.get_body(("html",))
    assert body is not None and body.get_content().strip() == "<p>Hi</p>"


def test_typed_html_stays_text() -> None:
    html = text_to_html(TYPED)
    tags = _parsed(html)
    names = {name for name, _ in tags.tags}
    assert names <= {"html", "head", "meta", "body", "p", "br", "a", "blockquote"}
    for _, attrs in tags.tags:
        assert not any(key.startswith("on") for key in attrs)
    shown = "".join(tags.text)
    assert "<script>alert(1)</script>" in shown  # shown as typed, never as markup
    assert "<img src=x onerror=alert(2)>" in shown
    assert "Dear <b>Daniel</b> & team," in shown


def test_links_quotes_and_line_breaks() -> None:
    tags = _parsed(text_to_html(TYPED))
    hrefs = [attrs["href"] for name, attrs in tags.tags if name == "a"]
    # Sentence punctuation is not part of a link; "&" in a URL survives escaping.
    assert hrefs == ["https://track.example.com/50917?a=1&b=2", "mailto:help@example.com",
                     "mailto:lina@zuoxi.localhost"]
    html = text_to_html(TYPED)
    assert html.count("<blockquote") == 2  # "> >" nests inside ">"
    outer = html.index("<blockquote")
    assert html.index("Can it go to my office?") > outer
    assert html.index("&lt;script&gt;") > html.index("<blockquote", outer + 1)
    assert "Dear &lt;b&gt;Daniel&lt;/b&gt; &amp; team,<br>" in html
    assert html.count("<p>") == 7  # 3 above, 3 in the quotes, the signature


@pytest.mark.parametrize("text", ["", "\n\n\n", "> " * 500 + "deep", "x" * 100_000])
def test_odd_input_gives_a_document(text: str) -> None:
    html = text_to_html(text)
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert html.count("<blockquote") <= 20
