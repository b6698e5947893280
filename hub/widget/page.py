"""The widget's page and its files, served with a policy that loads nothing from elsewhere."""

from __future__ import annotations

from pathlib import Path

from starlette.responses import FileResponse, JSONResponse, Response
from starlette.staticfiles import StaticFiles

# The widget's files stay beside the hub package (hub/static/).
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

# The widget page loads nothing from elsewhere and runs no inline script.
WIDGET_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors *"
)


def widget_page() -> Response:
    page = STATIC_DIR / "widget.html"
    if not page.exists():
        return JSONResponse(
            {"error": {"code": "not_found", "message": "the widget is not installed"}},
            status_code=404,
        )
    response = FileResponse(page, media_type="text/html; charset=utf-8")
    response.headers["Content-Security-Policy"] = WIDGET_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def static_files() -> StaticFiles:
    return StaticFiles(directory=STATIC_DIR)
