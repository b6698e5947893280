"""Finding 13: what the email sanitiser let through. Text coloured almost like
its background (also a background set on an ancestor) gets the hidden-text notice
and is shown in the reader's colours; CSS escapes and comments cannot smuggle in
url(); a data: image too large to decode safely is refused."""

from __future__ import annotations

import pytest

from core.email.html_sanitiser import Finding, sanitise
from tests.support.images import gif_b64, jpeg_b64, png_b64


@pytest.mark.parametrize(
    "html",
    [
        '<p style="color:#fefefe">secret</p>',
        '<div style="background:#000"><span style="color:#000001">secret</span></div>',
        '<table style="background-color: black"><tr><td><font color="#010101">secret'
        "</font></td></tr></table>",
        '<div style="background-color: rgb(10,10,10)"><p><b style="color: rgb(12,12,12)">'
        "secret</b></p></div>",
        '<p style="color:#eeeeee">secret</p>',
    ],
)
def test_nearly_invisible_text_gets_the_notice_and_is_shown(html: str) -> None:
    safe = sanitise(html)
    assert Finding.HIDDEN_STYLE in safe.findings
    assert "secret" in safe.html
    for colour in ("fefefe", "000001", "010101", "12,12,12", "eeeeee"):
        assert colour not in safe.html


@pytest.mark.parametrize(
    "html",
    [
        '<p style="color:#333">grey enough</p>',
        '<div style="background:#003366"><p style="color:#ffcc00">on a dark band</p></div>',
        '<p style="color: #c00; background-color: #fee">red on pink</p>',
    ],
)
def test_readable_colours_are_left_alone(html: str) -> None:
    safe = sanitise(html)
    assert Finding.HIDDEN_STYLE not in safe.findings
    assert "color" in safe.html


@pytest.mark.parametrize(
    "style",
    [
        r"background:\75rl(http://evil.example/x.png)",
        r"background:\000075 rl(http://evil.example/x.png)",
        r"background:u\rl(http://evil.example/x.png)",
        "background:u/**/rl(http://evil.example/x.png)",
        "background:image-set('http://evil.example/x.png' 1x)",
        "background:-webkit-image-set(url(http://evil.example/x.png) 1x)",
        "background: URL(http://evil.example/x.png)",
        r"b\61 ckground:url(http://evil.example/x.png)",
    ],
)
def test_css_cannot_load_anything(style: str) -> None:
    safe = sanitise(f'<p style="{style}">text</p>')
    assert "evil.example" not in safe.html
    assert "text" in safe.html


@pytest.mark.parametrize(
    "image",
    [
        f"data:image/png;base64,{png_b64(20_000, 20_000)}",
        f"data:image/png;base64,{png_b64(20_000, 1)}",
        f"data:image/gif;base64,{gif_b64(20_000, 20_000)}",
        f"data:image/jpeg;base64,{jpeg_b64(20_000, 20_000)}",
        "data:image/png;base64,iVBORw0KGgo=",  # a header with no size: unreadable
        "data:image/png;base64," + "A" * 800_000,  # over 512 KiB: not even decoded
    ],
)
def test_oversized_data_images_are_refused(image: str) -> None:
    safe = sanitise(f'<p>before<img src="{image}">after</p>')
    assert "data:" not in safe.html
    assert Finding.IMAGE_REFUSED in safe.findings
    assert "before" in safe.html and "after" in safe.html


def test_small_data_images_and_sizes_are_kept() -> None:
    small = [f"data:image/png;base64,{png_b64(16, 16)}",
             f"data:image/gif;base64,{gif_b64(200, 100)}",
             f"data:image/jpeg;base64,{jpeg_b64(640, 480)}"]
    safe = sanitise("".join(f'<img src="{src}" width="64">' for src in small))
    assert safe.html.count("data:image/") == 3
    assert safe.html.count('width="64"') == 3
    assert Finding.IMAGE_REFUSED not in safe.findings


def test_huge_image_dimensions_are_dropped() -> None:
    safe = sanitise('<img src="cid:logo@x" width="20000" height="20000">')
    assert "20000" not in safe.html and "cid:logo@x" in safe.html
