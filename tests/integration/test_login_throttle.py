"""Finding 11: failed logins are throttled per address and per user, not only per
(address, user): spraying many usernames from one address and guessing one user's
password from many addresses both end in 429. X-Forwarded-For is believed only
from a configured proxy: from anyone else it changes nothing."""

from __future__ import annotations

import http.client
import json
from collections.abc import Callable

from hub.process import HubProcess


def _login(hub: HubProcess, username: str, password: str = "wrong-password",
           source: str = "127.0.0.1", forwarded: str | None = None) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", hub.port, timeout=30,
                                      source_address=(source, 0))
    headers = {"Content-Type": "application/json"}
    if forwarded:
        headers["X-Forwarded-For"] = forwarded
    conn.request("POST", "/api/login", json.dumps({"username": username, "password": password}),
                 headers)
    status = conn.getresponse().status
    conn.close()
    return status


def test_password_spraying_from_one_address_is_throttled(hub: HubProcess) -> None:
    codes = [_login(hub, f"user{i}") for i in range(21)]
    assert codes[:20] == [401] * 20 and codes[20] == 429
    # Another address is not affected.
    assert _login(hub, "lina", "zuoxi-demo", source="127.0.0.2") == 200


def test_one_user_guessed_from_many_addresses_is_throttled(hub: HubProcess) -> None:
    codes = [_login(hub, "alex", source=f"127.0.0.{2 + i // 4}") for i in range(11)]
    assert codes[:10] == [401] * 10 and codes[10] == 429
    # Other users are not affected.
    assert _login(hub, "lina", "zuoxi-demo", source="127.0.0.9") == 200


def test_forwarded_headers_from_strangers_change_nothing(hub: HubProcess) -> None:
    codes = [_login(hub, f"spray{i}", forwarded=f"203.0.113.{i}") for i in range(21)]
    assert codes[20] == 429


def test_forwarded_headers_from_the_configured_proxy_name_the_client(
    make_hub: Callable[..., HubProcess],
) -> None:
    hub = make_hub("--trusted-proxy", "127.0.0.1")
    # Behind the proxy, each client has its own budget...
    codes = [_login(hub, f"spray{i}", forwarded="198.51.100.7") for i in range(21)]
    assert codes[20] == 429
    assert _login(hub, "lina", "zuoxi-demo", forwarded="198.51.100.8") == 200
    # ...and a stranger's forwarded header is still not believed.
    codes = [_login(hub, f"other{i}", source="127.0.0.3", forwarded=f"192.0.2.{i}")
             for i in range(21)]
    assert codes[20] == 429
