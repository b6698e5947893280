"""The widget's page and its files, served with a policy that loads nothing from elsewhere."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from starlette.responses import FileResponse, JSONResponse, Response
from starlette.staticfiles import StaticFiles

# The widget's files stay beside the hub package (hub/static/).
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

# The widget page loads nothing from elsewhere and runs no inline script. Which
# sites may frame it is the operator's choice (finding 16: any site could frame it
# and dress it up as its own); by default only the hub's own pages.
WIDGET_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors {ancestors}"
)
DEFAULT_FRAME_ANCESTORS = ("'self'",)
_ANCESTOR = re.compile(r"'self'|https?://(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?")


class FrameAncestorError(ValueError):
    """Not an origin a CSP frame-ancestors list can hold."""


def check_frame_ancestor(origin: str) -> str:
    """``origin`` if it is 'self' or a scheme://host[:port] (host may start *.)."""
    if not _ANCESTOR.fullmatch(origin):
        raise FrameAncestorError(
            f"not an origin for frame-ancestors: {origin!r} (e.g. https://shop.example.com)")
    return origin


def widget_page(frame_ancestors: Sequence[str] = DEFAULT_FRAME_ANCESTORS) -> Response:
    page = STATIC_DIR / "widget.html"
    if not page.exists():
        return JSONResponse(
            {"error": {"code": "not_found", "message": "the widget is not installed"}},
            status_code=404,
        )
    response = FileResponse(page, media_type="text/html; charset=utf-8")
    ancestors = " ".join(check_frame_ancestor(a) for a in frame_ancestors) or "'none'"
    response.headers["Content-Security-Policy"] = WIDGET_CSP.format(ancestors=ancestors)
    if tuple(frame_ancestors) == DEFAULT_FRAME_ANCESTORS:
        response.headers["X-Frame-Options"] = "SAMEORIGIN"  # browsers without CSP 3
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def static_files() -> StaticFiles:
    return StaticFiles(directory=STATIC_DIR)
