"""Finding 16 (framing): the widget page may be framed only by the hub's own pages
unless the operator names the sites; a value that is not an origin is refused."""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from collections.abc import Callable
from pathlib import Path

from hub.process import PACKAGE_ROOT, HubProcess


def _headers(hub: HubProcess) -> dict[str, str]:
    with urllib.request.urlopen(hub.widget_url, timeout=10) as response:
        return {k.lower(): v for k, v in response.headers.items()}


def _ancestors(csp: str) -> list[str]:
    for directive in csp.split(";"):
        name, _, value = directive.strip().partition(" ")
        if name == "frame-ancestors":
            return value.split()
    raise AssertionError(f"no frame-ancestors in {csp!r}")


def test_by_default_only_the_hub_frames_the_widget(hub: HubProcess) -> None:
    headers = _headers(hub)
    assert _ancestors(headers["content-security-policy"]) == ["'self'"]
    assert headers["x-frame-options"] == "SAMEORIGIN"


def test_the_operator_names_the_sites(make_hub: Callable[..., HubProcess]) -> None:
    hub = make_hub("--widget-frame-ancestor", "https://shop.example.com",
                   "--widget-frame-ancestor", "https://*.example.org:8443")
    headers = _headers(hub)
    assert _ancestors(headers["content-security-policy"]) == [
        "https://shop.example.com", "https://*.example.org:8443"]
    assert "x-frame-options" not in headers


def test_a_value_that_is_not_an_origin_is_refused(tmp_path: Path) -> None:
    for bad in ("https://shop.example.com; script-src *", "*", "javascript:alert(1)"):
        done = subprocess.run(
            [sys.executable, "-m", "hub", "serve", "--db", str(tmp_path / "h.sqlite3"),
             "--port", "0", "--widget-frame-ancestor", bad],
            cwd=PACKAGE_ROOT, capture_output=True, text=True, timeout=60)
        assert done.returncode == 2, bad
        assert "--widget-frame-ancestor" in done.stderr
