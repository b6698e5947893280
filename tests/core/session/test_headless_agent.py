"""HeadlessAgent in-process against a real hub: no secret in the cache, digests agree,
and the --check-consistency command line reports it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core.session.headless import HeadlessAgent
from desktop.settings import cache_path
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess

ROOT = Path(__file__).resolve().parents[3]


async def test_sign_in_and_sync_store_no_token_and_match_the_hub(
    hub: HubProcess, tmp_path: Path
) -> None:
    customer = SimCustomer(hub.customer_ws_url, name="Token Test")
    await customer.connect()
    await customer.send("hello")
    path = tmp_path / "cache.sqlite3"
    agent = HeadlessAgent(hub.url, "lina", "zuoxi-demo", path)
    await agent.start()
    try:
        await agent.wait_online()
        await agent.wait_until(lambda: len(agent.service.inbox()) == 1)
        conversation_id = customer.conversation_id
        assert conversation_id is not None
        agent.service.send_message(conversation_id, "hi there")
        await agent.wait_until(lambda: agent.outbox_size() == 0)
        await customer.wait_message(lambda m: m.text == "hi there")
        token = agent.token
        assert token
        hub_digest = await agent.hub_digest()
        await agent.wait_until(lambda: agent.digest() == hub_digest, timeout=10)
        assert hub_digest.conversations.count == 1 and hub_digest.messages.count == 2
    finally:
        await agent.stop()
        await customer.disconnect()
    # the token is nowhere in the cache file (nor its WAL)
    files = [path, path.with_name(path.name + "-wal")]
    for file in files:
        data = file.read_bytes() if file.exists() else b""
        assert token.encode() not in data, file.name
        assert b"zuoxi-demo" not in data, file.name


@pytest.mark.plain_cache("the desktop it starts has only its own keyring, not this run's keys")
def test_check_consistency_command_line(hub: HubProcess, tmp_path: Path) -> None:
    import asyncio

    data = tmp_path / "data"
    # A cache as the desktop keeps it for the remote hub, and the stored sign-in.
    path = cache_path(data, hub.url, "lina")

    async def sync() -> None:
        agent = HeadlessAgent(hub.url, "lina", "zuoxi-demo", path)
        await agent.start()
        await agent.wait_online()
        await agent.stop()

    asyncio.run(sync())
    settings = data / "settings.ini"
    settings.write_text(f"[hub]\nurl={hub.url}\nusername=lina\n")
    env_script = (
        "import keyring, sys\n"
        "from keyring.backend import KeyringBackend\n"
        "from core.session.auth import login_blocking\n"
        f"token = login_blocking({hub.url!r}, 'lina', 'zuoxi-demo').token\n"
        "class K(KeyringBackend):\n"
        "    priority = 1\n"
        "    def get_password(self, s, u): return token\n"
        "    def set_password(self, s, u, p): pass\n"
        "    def delete_password(self, s, u): pass\n"
        "keyring.set_keyring(K())\n"
        "from desktop.main import main\n"
        f"sys.exit(main(['--check-consistency', '--data-dir', {str(data)!r}]))\n"
    )
    result = subprocess.run([sys.executable, "-c", env_script], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "the cache matches the hub" in result.stdout
    # no stored sign-in: a clear error, status 2
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "--check-consistency", "--data-dir", str(tmp_path / "x"),
         "--hub", "http://127.0.0.1:9"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "could not run" in result.stdout
