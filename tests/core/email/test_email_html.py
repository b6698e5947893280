"""The email HTML sanitiser: allow-list, hidden content, remote images, links."""

from __future__ import annotations

import pytest

from core.email.html_sanitiser import (
    BLOCKED_SCHEME,
    MAX_NESTING,
    Finding,
    html_to_text,
    nesting_depth,
    quote_text,
    sanitise,
    text_to_html,
)
from tests.data.xss_corpus import CORPUS, FORBIDDEN
from tests.support.images import png_b64

BASE = "http://127.0.0.1:9"


@pytest.mark.parametrize("sample", CORPUS)
def test_xss_corpus_leaves_nothing_active(sample: str) -> None:
    out = sanitise(sample.format(base=BASE)).html.lower()
    for marker in FORBIDDEN:
        assert marker not in out, (marker, out)
    # Nothing refers to the recording server any more, except blocked placeholders.
    assert "127.0.0.1:9" not in out


def test_remote_images_become_numbered_placeholders() -> None:
    safe = sanitise(f'<p>hi<img src="{BASE}/a.png"><img src="https://x.example/b.gif"></p>')
    assert f'src="{BLOCKED_SCHEME}:0"' in safe.html
    assert f'src="{BLOCKED_SCHEME}:1"' in safe.html
    assert safe.remote_images == (f"{BASE}/a.png", "https://x.example/b.gif")
    assert Finding.REMOTE_IMAGES_BLOCKED in safe.findings


def test_remote_images_kept_when_allowed_for_the_message() -> None:
    safe = sanitise(f'<img src="{BASE}/a.png">', allow_remote_images=True)
    assert f'src="{BASE}/a.png"' in safe.html
    assert Finding.REMOTE_IMAGES_BLOCKED not in safe.findings


def test_cid_and_data_images_kept_other_data_dropped() -> None:
    safe = sanitise(
        f'<img src="cid:logo@example.com"><img src="data:image/png;base64,{png_b64(16, 16)}">'
        '<img src="data:image/svg+xml;base64,PHN2Zz4=">'
    )
    assert 'src="cid:logo@example.com"' in safe.html
    assert "data:image/png" in safe.html
    assert "svg" not in safe.html
    assert safe.cid_images == ("logo@example.com",)


def test_links_recorded_with_their_real_target() -> None:
    safe = sanitise(
        '<a href="https://evil.example/login">https://bank.example.com</a>'
        '<a href="mailto:help@shop.example">mail</a><a href="ftp://x/y">ftp</a>'
    )
    assert [link.target for link in safe.links] == [
        "https://evil.example/login", "mailto:help@shop.example"
    ]
    assert "ftp://" not in safe.html


@pytest.mark.parametrize(
    "style",
    [
        "display:none", "visibility: hidden", "font-size:0", "font-size: 1px", "opacity:0",
        "opacity: 0.01", "position:absolute; left:-9999px", "text-indent:-9999px",
        "color:#fff", "color: white", "color:#123456; background-color:#123456",
        "height:0; overflow:hidden",
    ],
)
def test_styles_that_hide_content_are_removed(style: str) -> None:
    safe = sanitise(f'<p style="{style}">secret</p>')
    assert "secret" in safe.html
    assert Finding.HIDDEN_STYLE in safe.findings
    for word in ("none", "hidden", "absolute", "-9999", "opacity", "font-size: 0"):
        assert word not in safe.html


def test_harmless_styles_survive() -> None:
    safe = sanitise('<p style="color: #c00; font-weight: bold; font-size: 14px">red</p>')
    assert "color: #c00" in safe.html and "font-weight: bold" in safe.html
    assert "font-size: 14px" in safe.html
    assert not safe.findings


def test_white_font_tag_colour_removed() -> None:
    safe = sanitise('<font color="#FFFFFF">invisible</font>')
    assert "color" not in safe.html and "invisible" in safe.html


def test_html_bomb_is_flattened_to_text() -> None:
    depth = MAX_NESTING * 50
    bomb = "<div>" * depth + "payload" + "</div>" * depth
    assert nesting_depth(bomb) == depth
    safe = sanitise(bomb)
    assert Finding.TOO_DEEP in safe.findings
    assert "payload" in safe.html and "<div>" * 3 not in safe.html


def test_plain_text_fallback_and_quoting() -> None:
    text = html_to_text(
        "<html><head><title>t</title><style>p{}</style></head>"
        "<body><p>Hello &amp; welcome</p><div>line two<br>line three</div></body></html>"
    )
    assert text == "Hello & welcome\nline two\nline three"
    assert text_to_html("a <b>\nb") == (
        '<div style="white-space: pre-wrap">a &lt;b&gt;<br>b</div>'
    )
    assert quote_text("one\n\ntwo") == "> one\n>\n> two"
